import {join} from 'node:path'

import {type BundleTarget} from './bundle-target.js'
import {appendCustodyEvent, type NewCustodyEvent} from './custody.js'
import {type CustodyAnchor, type CustodyEvent, type CustodyHead, type CustodyProblem, checkCustodyChain, nextLink, ZERO_SHA256} from './custody-chain.js'
import {VerificationError} from '../core/errors.js'
import {hashFile, refuseUnsafeOutput} from '../io/evidence-fs.js'
import {NotRegularFileError, OversizeFileError, readOptionalFile, readSideFileText} from './read-optional.js'
import {readBundleMember} from './safe-extract.js'
import {type Signer} from './signer.js'
import {type SignifyPublicKey} from './signify-format.js'

/** A genuine chain has a few lines per hand-over; this is far more. */
const MAX_CUSTODY_BYTES = 64 * 1024 * 1024

/**
 * The custody chain of a bundle on disk: the in-bundle `NAME/custody.jsonl` (collected, sealed, signed)
 * continued by the sidecar `NAME.custody.jsonl` next to the tarball. The sidecar's first line links to
 * the in-bundle chain's last line (its SHA-256 as prev_sha256, and the next seq).
 */
export interface BundleCustody {
  /** In-bundle chain text; undefined when it cannot be read (encrypted bundle, or none). */
  bundleText?: string
  sidecarText: string
  /** What the sidecar's first line must link to. */
  anchor: CustodyAnchor
  /** True when the sidecar is anchored to the in-bundle chain (false: encrypted bundle, read alone). */
  anchored: boolean
  /** The bundle is age-encrypted (its sidecar may start a chain of its own: the in-bundle one cannot be read). */
  encrypted: boolean
}

export async function readBundleCustodyText(target: BundleTarget): Promise<string | undefined> {
  if (target.kind === 'directory') return (await readOptionalFile(join(target.path, 'custody.jsonl'), MAX_CUSTODY_BYTES))?.toString('utf8')
  if (target.kind === 'encrypted') return undefined
  // One pass over the tarball, stopping at the member.
  return (await readBundleMember(target.path, 'custody.jsonl'))?.toString('utf8')
}

/** Reads both halves of a bundle's chain and where the sidecar must link to. */
export async function readBundleCustody(target: BundleTarget): Promise<BundleCustody> {
  let bundleText
  try {
    bundleText = await readBundleCustodyText(target)
  } catch (error) {
    if (error instanceof NotRegularFileError || error instanceof OversizeFileError) throw new VerificationError(`${join(target.path, 'custody.jsonl')}: ${error.message}`)
    throw error
  }
  return custodyOf(bundleText, (await readSideFileText(target.sidecarPath)) ?? '', target.kind === 'encrypted')
}

/** The two halves of a chain, as read, and where the sidecar must link to. */
export function custodyOf(bundleText: string | undefined, sidecarText: string, encrypted: boolean): BundleCustody {
  const start = {prevSha256: ZERO_SHA256, seq: 1}
  if (bundleText === undefined || bundleText === '') return {anchor: start, anchored: false, bundleText, encrypted, sidecarText}
  return {anchor: nextLink(bundleText), anchored: true, bundleText, encrypted, sidecarText}
}

/**
 * The SHA-256 sidecar events carry: of the tarball (or ciphertext) when there is one, else, for a lone
 * extracted folder, of its SHA256SUMS (which pins every file).
 */
export async function bundleDigest(target: BundleTarget): Promise<string> {
  if (target.tarballPath !== undefined) return (await hashFile(target.tarballPath)).sha256
  return (await hashFile(join(target.path, 'SHA256SUMS'))).sha256
}

/** Appends a signed event to the bundle's sidecar, linked to the in-bundle chain when it is the first. */
export async function appendSidecarEvent(
  target: BundleTarget,
  event: Omit<NewCustodyEvent, 'bundleSha256'> & {bundleSha256?: string},
  signer: Signer,
): Promise<CustodyEvent> {
  // A planted link (or another user's file) is refused before anything is read through it.
  refuseUnsafeOutput(target.sidecarPath, 'append')
  // The in-bundle chain matters only for the sidecar's first line: it is not read once the sidecar has lines.
  const sidecarText = (await readSideFileText(target.sidecarPath)) ?? ''
  const anchor = sidecarText.trim() === '' ? (await readBundleCustody(target)).anchor : undefined
  const bundleSha256 = event.bundleSha256 ?? (await bundleDigest(target))
  return appendCustodyEvent(target.sidecarPath, {...event, bundleSha256}, signer, anchor === undefined ? {} : {anchor})
}

export interface LocatedCustodyProblem extends CustodyProblem {
  /** `custody.jsonl` (in the bundle) or the sidecar's file name. */
  file: string
}

export interface BundleCustodyCheck {
  intact: boolean
  events: (CustodyEvent & {file: string; line: number})[]
  problems: LocatedCustodyProblem[]
  head?: CustodyHead
  signaturesChecked: boolean
  warnings: string[]
}

/**
 * Checks the in-bundle chain and the sidecar as one chain (line numbers are reported per file), and
 * that the sidecar belongs to this bundle: every sidecar event must carry `bundleSha256` (the
 * tarball's or ciphertext's SHA-256; `foreign-bundle` otherwise), and a sidecar that starts afresh
 * (seq 1, prev zeros) is only accepted next to an encrypted bundle, whose in-bundle chain cannot be
 * read (`unlinked` otherwise: another bundle's sidecar copied over this one's). An unencrypted bundle
 * without its in-bundle custody.jsonl is `missing`.
 */
export function checkBundleCustody(
  custody: BundleCustody,
  sidecarName: string,
  keys: SignifyPublicKey[] | undefined,
  head: CustodyHead | undefined,
  bundleSha256: string,
): BundleCustodyCheck {
  const warnings: string[] = []
  const bundleText = custody.bundleText ?? ''
  const firstSidecar = custody.sidecarText.split('\n', 1)[0] ?? ''
  const startsAfresh = firstSidecar.includes(`"seq":1,`) && firstSidecar.includes(`"prev_sha256":"${ZERO_SHA256}"`)
  const separate = custody.anchored && startsAfresh
  const binding: LocatedCustodyProblem[] = []
  if (custody.bundleText === undefined) {
    if (custody.encrypted) warnings.push('the bundle is encrypted: its in-bundle custody.jsonl cannot be read, so the sidecar was checked on its own')
    else binding.push({detail: 'the bundle has no custody.jsonl (collect always writes one): its chain of custody was removed', file: 'custody.jsonl', kind: 'missing', line: 0})
  }
  if (separate) {
    binding.push({
      detail: `${sidecarName} starts a chain of its own (seq 1, no link) although this unencrypted bundle's custody.jsonl is readable: it does not continue this bundle's history (another bundle's sidecar?)`,
      file: sidecarName, kind: 'unlinked', line: 1,
    })
  }
  const parts = separate
    ? [
        {file: 'custody.jsonl', text: bundleText},
        {file: sidecarName, text: custody.sidecarText},
      ]
    : [{file: '', text: bundleText + custody.sidecarText}]
  const bundleLines = bundleText === '' ? 0 : bundleText.split('\n').length - (bundleText.endsWith('\n') ? 1 : 0)
  const locate = (file: string, line: number): {file: string; line: number} =>
    file !== '' ? {file, line} : line <= bundleLines ? {file: 'custody.jsonl', line} : {file: sidecarName, line: line - bundleLines}

  const result: BundleCustodyCheck = {events: [], intact: true, problems: [], signaturesChecked: keys !== undefined && keys.length > 0, warnings}
  parts.forEach((part, index) => {
    const isLast = index === parts.length - 1
    const check = checkCustodyChain(part.text, keys && keys.length > 0 ? keys : undefined, isLast && head ? {head} : {})
    let eventIndex = 0
    part.text.split('\n').forEach((line, lineIndex) => {
      const event = check.events[eventIndex]
      if (event !== undefined && line.startsWith(`{"seq":${event.seq},`)) {
        result.events.push({...event, ...locate(part.file, lineIndex + 1)})
        eventIndex += 1
      }
    })
    for (const problem of check.problems) result.problems.push({...problem, ...locate(part.file, problem.line)})
    if (isLast) result.head = check.head
  })
  for (const event of result.events) {
    if (event.file === sidecarName && event.bundle_sha256 !== bundleSha256) {
      binding.push({
        detail: `names bundle SHA-256 ${event.bundle_sha256.slice(0, 16)}…, but this bundle's is ${bundleSha256.slice(0, 16)}…: the event is about another bundle`,
        file: sidecarName, kind: 'foreign-bundle', line: event.line,
      })
    }
  }
  result.problems.unshift(...binding)
  result.intact = result.problems.length === 0
  return result
}
