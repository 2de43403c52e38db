import {stat} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'

import {errnoCode, UsageError} from '../core/errors.js'
import {readPublicKeyFile} from './key-files.js'
import {type SignifyPublicKey} from './signify-format.js'

export type BundleTargetKind = 'tarball' | 'encrypted' | 'directory'

/** Where a bundle's pieces are, from a tarball (`NAME.tar.gz`, `NAME.tar.gz.age`) or a folder (`NAME/`). */
export interface BundleTarget {
  kind: BundleTargetKind
  /** Absolute path of what was given. */
  path: string
  name: string
  /** The folder holding the tarball (or the bundle folder). */
  dir: string
  /** Detached signature of the tarball or ciphertext (`PATH.sig`); undefined for a folder. */
  sigPath?: string
  /** The tarball next to a folder target, or the target itself. */
  tarballPath?: string
  /** Later custody events: `DIR/NAME.custody.jsonl`. */
  sidecarPath: string
}

/** Default name of a persistent key's public half next to bundles (the contract's example). */
export const DEFAULT_PUB_NAME = 'hipaa-ir.pub'

export function bundleNameOf(fileName: string): string {
  return fileName.replace(/\.age$/, '').replace(/(\.tar\.gz|\.tgz)$/, '')
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

export async function resolveBundleTarget(target: string): Promise<BundleTarget> {
  const path = resolve(target.replace(/\/+$/, '') || target)
  let info
  try {
    info = await stat(path)
  } catch (error) {
    throw new UsageError(`${target}: ${errnoCode(error) === 'ENOENT' ? 'no such file or folder' : `cannot read it (${errnoCode(error) ?? String(error)})`}`)
  }
  const dir = dirname(path)
  if (info.isDirectory()) {
    const name = basename(path)
    const tarball = join(dir, `${name}.tar.gz`)
    return {dir, kind: 'directory', name, path, sidecarPath: join(dir, `${name}.custody.jsonl`), tarballPath: (await isFile(tarball)) ? tarball : undefined}
  }
  if (!info.isFile()) throw new UsageError(`${target} is neither a bundle tarball nor a bundle folder`)
  const name = bundleNameOf(basename(path))
  return {
    dir,
    kind: path.endsWith('.age') ? 'encrypted' : 'tarball',
    name,
    path,
    sidecarPath: join(dir, `${name}.custody.jsonl`),
    sigPath: `${path}.sig`,
    tarballPath: path,
  }
}

export interface ResolvedPublicKey {
  key: SignifyPublicKey
  path: string
  /** `flag`: --pub; `next-to-bundle`: hipaa-ir.pub or NAME.pub beside the bundle (integrity, not origin). */
  source: 'flag' | 'next-to-bundle'
}

/**
 * Public-key files looked for next to a bundle when --pub is not given, in order: the organisation's
 * hipaa-ir.pub first, so a NAME.pub dropped beside it can never take its place; then NAME.pub (the
 * one-time key collect writes when no --key was given).
 */
export function publicKeyCandidates(target: BundleTarget): string[] {
  return [join(target.dir, DEFAULT_PUB_NAME), join(target.dir, `${target.name}.pub`)]
}

/** The key from --pub, else hipaa-ir.pub or NAME.pub next to the bundle; exit 2 when there is none. */
export async function resolvePublicKey(target: BundleTarget, pubFlag: string | undefined): Promise<ResolvedPublicKey> {
  if (pubFlag !== undefined) return {key: await readPublicKeyFile(pubFlag), path: resolve(pubFlag), source: 'flag'}
  for (const candidate of publicKeyCandidates(target)) {
    if (await isFile(candidate)) return {key: await readPublicKeyFile(candidate), path: candidate, source: 'next-to-bundle'}
  }
  throw new UsageError(`no public key: none given and neither ${publicKeyCandidates(target).map((path) => basename(path)).join(' nor ')} is next to the bundle`, {
    code: 'E_NO_PUBKEY',
    suggestions: ['pass --pub FILE with the public key you trust for this bundle'],
  })
}

/** What a key found next to the bundle proves, with its fingerprint: said on every such run, prominently. */
export function keyNextToBundleWarning(path: string, fingerprint: string): string {
  return `the public key ${basename(path)} was found next to the bundle (key ${fingerprint}): this proves the bundle is intact (unchanged since it was signed by that key), NOT who signed it; anyone who can write to that folder can re-sign a bundle and drop a key. Compare ${fingerprint} with the fingerprint recorded at collection, or pass --pub with a key obtained separately to prove origin`
}
