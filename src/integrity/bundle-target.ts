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
  /** `flag`: --pub; `next-to-bundle`: NAME.pub or hipaa-ir.pub beside the bundle (integrity, not origin). */
  source: 'flag' | 'next-to-bundle'
}

/** Public-key files looked for next to a bundle when --pub is not given, in order. */
export function publicKeyCandidates(target: BundleTarget): string[] {
  return [join(target.dir, `${target.name}.pub`), join(target.dir, DEFAULT_PUB_NAME)]
}

/** The key from --pub, else NAME.pub or hipaa-ir.pub next to the bundle; exit 2 when there is none. */
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

export const KEY_NEXT_TO_BUNDLE_WARNING =
  'the public key was found next to the bundle: this proves the bundle is intact (unchanged since signing), not who signed it; pass --pub with a key you obtained separately to prove origin'
