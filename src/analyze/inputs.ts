import {lstat, readdir, rm} from 'node:fs/promises'
import {basename, join, resolve} from 'node:path'

import {UsageError, VerificationError} from '../core/errors.js'
import {bundleNameOf} from '../integrity/bundle-target.js'
import type {VerifyProblem} from '../integrity/bundle-verify.js'
import {safeExtractTarGz} from '../integrity/safe-extract.js'
import {type VerifiedTarget, type VerifyResult, verifyTarget} from '../integrity/verify-target.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {BUNDLE_SUFFIX} from '../storage/object-key.js'

/** One bundle, verified, and the folder to read it from. */
export interface OpenedBundle {
  /** `CASE_HOST_YYYYMMDDTHHMMSSZ`. */
  name: string
  /** As the user named it: a path or an s3:// URL. */
  shownAs: string
  verified: boolean
  verify: VerifyResult
  /** The bundle folder to read (unpacked into a private temporary folder, or the folder given). */
  dir: string
  /** Private temporary folders to remove when done. */
  temporary: string[]
}

export interface InputOptions {
  pub?: string
  identities?: string[]
  allowUnverified: boolean
  /** s3:// targets: endpoint and the Object Lock mode every bundle must still be under. */
  endpoint?: string
  mode: string
}

/** Bundles found in a folder: `NAME.tar.gz`, `NAME.tar.gz.age`, and bundle folders (with manifest.json) that have no tarball beside them. */
async function bundlesInFolder(dir: string, depth: number): Promise<string[]> {
  const entries = await readdir(dir, {withFileTypes: true})
  const names = new Set(entries.map((e) => e.name))
  const found: string[] = []
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name)
    if (entry.isFile() && BUNDLE_SUFFIX.test(entry.name)) {
      // A plaintext tarball and its ciphertext side by side are one bundle: the tarball is read.
      if (entry.name.endsWith('.age') && names.has(entry.name.replace(/\.age$/, ''))) continue
      found.push(path)
    } else if (entry.isDirectory()) {
      if (await isBundleFolder(path)) {
        // collect keeps NAME/ next to NAME.tar.gz: the signed tarball is the one read.
        if (!names.has(`${entry.name}.tar.gz`) && !names.has(`${entry.name}.tar.gz.age`)) found.push(path)
      } else if (depth > 0) found.push(...(await bundlesInFolder(path, depth - 1)))
    }
  }
  return found
}

async function isBundleFolder(dir: string): Promise<boolean> {
  return (await lstat(join(dir, 'manifest.json')).catch(() => undefined))?.isFile() === true
}

/**
 * Every bundle the targets name: a tarball, an .age ciphertext, a bundle folder, a folder of bundles
 * (also `CASE/HOST/` sub-folders, as fleet collection and S3 lay them out), or an s3:// case prefix.
 */
export async function expandTargets(targets: readonly string[], options: Pick<InputOptions, 'endpoint'>): Promise<string[]> {
  const out: string[] = []
  for (const target of targets) {
    if (target.startsWith('s3://')) {
      if (BUNDLE_SUFFIX.test(target)) out.push(target)
      else {
        const {listCaseBundles} = await import('../storage/case-bundles.js')
        const listed = await listCaseBundles(target, options)
        if (listed.length === 0) throw new UsageError(`${target} holds no bundle (no NAME.tar.gz or NAME.tar.gz.age below it)`, {suggestions: ['check the bucket, prefix and case id: push stores bundles as s3://BUCKET/[PREFIX/]CASE/HOST/NAME.tar.gz']})
        out.push(...listed)
      }
      continue
    }
    const path = resolve(target)
    const info = await lstat(path).catch(() => undefined)
    if (info === undefined) throw new UsageError(`${target}: no such file or folder`)
    if (info.isDirectory() && !(await isBundleFolder(path))) {
      const found = await bundlesInFolder(path, 2)
      if (found.length === 0) throw new UsageError(`${target} is neither a bundle folder nor a folder holding bundles (NAME.tar.gz, NAME.tar.gz.age or NAME/ with manifest.json)`)
      out.push(...found)
    } else out.push(path)
  }
  const seen = new Set<string>()
  return out.filter((t) => !seen.has(t) && seen.add(t) !== undefined)
}

/**
 * A tarball (or ciphertext) that failed verification, unpacked anyway because --allow-unverified
 * was given: through the same safe extractor (no links, no `..`, size limits), into private folders.
 */
async function openUnverified(verified: VerifiedTarget, identities: string[] | undefined): Promise<{dir: string; temporary: string[]}> {
  const {target} = verified
  if (target.kind === 'tarball') {
    const extracted = await safeExtractTarGz(target.path)
    return {dir: extracted.dir, temporary: [extracted.root]}
  }
  const outer = await makePrivateTempDir('hipaa-ir-decrypt-')
  try {
    const {decryptFileWithIdentities} = await import('../integrity/age.js')
    const plain = join(outer, `${target.name}.tar.gz`)
    await decryptFileWithIdentities(target.path, plain, identities ?? [])
    const extracted = await safeExtractTarGz(plain, {parentDir: outer})
    await rm(plain, {force: true})
    return {dir: extracted.dir, temporary: [extracted.root, outer]}
  } catch (error) {
    await removePrivateTempDir(outer)
    throw error
  }
}

/** Verifies one bundle exactly as `verify` does (an s3:// one is streamed down first) and keeps it unpacked. */
async function verifyOne(target: string, options: InputOptions): Promise<VerifiedTarget & {downloadDir?: string}> {
  if (!target.startsWith('s3://')) return verifyTarget(target, {identities: options.identities, keep: true, pub: options.pub})
  const {remoteVerifyInputs} = await import('../storage/verify-remote-command.js')
  const remote = await remoteVerifyInputs(target, {endpoint: options.endpoint, mode: options.mode})
  try {
    const verified = await verifyTarget(remote.check.localTarball, {
      extraProblems: remote.check.problems, identities: options.identities, keep: true, keyFromBucket: remote.keyFromBucket, notes: remote.notes, pub: options.pub, shownAs: target,
    })
    return {...verified, downloadDir: remote.check.downloadDir}
  } catch (error) {
    await removePrivateTempDir(remote.check.downloadDir)
    throw error
  }
}

export async function closeBundles(bundles: readonly OpenedBundle[]): Promise<void> {
  for (const bundle of bundles) for (const dir of bundle.temporary) await removePrivateTempDir(dir)
}

/** The first problems of a failed bundle, for the refusal message. */
function problemSummary(problems: readonly VerifyProblem[]): string {
  const shown = problems.slice(0, 3).map((p) => `${p.kind} ${p.path}: ${p.detail}`)
  return shown.join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : '')
}

/**
 * Verifies every bundle before anything is read, and keeps each unpacked in a private 0700
 * temporary folder. A bundle that fails is refused (exit 3, naming it and why) unless
 * allowUnverified, and then it is read with `verified: false`. An encrypted bundle needs --identity.
 */
export async function openBundles(targets: readonly string[], options: InputOptions, onBundle?: (done: number, total: number, name: string) => void): Promise<OpenedBundle[]> {
  const expanded = await expandTargets(targets, options)
  const opened: OpenedBundle[] = []
  const refused: string[] = []
  try {
    for (const [index, target] of expanded.entries()) {
      const verified = await verifyOne(target, options)
      const temporary = [...(verified.extracted?.roots ?? []), ...(verified.downloadDir === undefined ? [] : [verified.downloadDir])]
      const {result} = verified
      const name = bundleNameOf(basename(verified.target.path))
      const shownAs = target.startsWith('s3://') ? target : result.target
      onBundle?.(index + 1, expanded.length, name)
      let dir = verified.target.kind === 'directory' ? verified.target.path : verified.extracted?.dir
      const ok = result.ok && result.contentsChecked
      if (!result.contentsChecked) {
        await closeBundles([{dir: '', name, shownAs, temporary, verified: false, verify: result}])
        throw new UsageError(`${shownAs} is age-encrypted: pass --identity FILE (the age identity it was encrypted to) so that its contents can be verified and read`)
      }
      if (!ok && !options.allowUnverified) {
        refused.push(`${shownAs}: ${problemSummary(result.problems)}`)
        opened.push({dir: dir ?? '', name, shownAs, temporary, verified: false, verify: result})
        continue
      }
      if (dir === undefined) {
        const unverified = await openUnverified(verified, options.identities)
        dir = unverified.dir
        temporary.unshift(...unverified.temporary)
      }
      opened.push({dir, name, shownAs, temporary, verified: ok, verify: result})
    }
  } catch (error) {
    await closeBundles(opened)
    throw error
  }
  if (refused.length > 0) {
    await closeBundles(opened)
    throw new VerificationError(`${refused.length} of ${expanded.length} bundle(s) failed verification; nothing was analyzed:\n${refused.join('\n')}`, {
      suggestions: [`run hipaa-ir verify on each for the full list of problems; to analyze them anyway, marked unverified, add --allow-unverified`],
    })
  }
  return opened
}
