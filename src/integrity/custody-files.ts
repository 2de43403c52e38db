import {join} from 'node:path'

import {type BundleTarget} from './bundle-target.js'
import {appendCustodyEvent, type NewCustodyEvent} from './custody.js'
import {type CustodyAnchor, type CustodyEvent, type CustodyHead, type CustodyProblem, checkCustodyChain, nextLink, ZERO_SHA256} from './custody-chain.js'
import {hashFile, refuseUnsafeOutput} from '../io/evidence-fs.js'
import {readOptionalFile} from './read-optional.js'
import {readBundleMember} from './safe-extract.js'
import {type Signer} from './signer.js'
import {type SignifyPublicKey} from './signify-format.js'

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
}

async function readText(path: string): Promise<string | undefined> {
  return (await readOptionalFile(path))?.toString('utf8')
}

export async function readBundleCustodyText(target: BundleTarget): Promise<string | undefined> {
  if (target.kind === 'directory') return readText(join(target.path, 'custody.jsonl'))
  if (target.kind === 'encrypted') return undefined
  // One pass over the tarball, stopping at the member.
  return (await readBundleMember(target.path, 'custody.jsonl'))?.toString('utf8')
}

/** Reads both halves of a bundle's chain and where the sidecar must link to. */
export async function readBundleCustody(target: BundleTarget): Promise<BundleCustody> {
  const bundleText = await readBundleCustodyText(target)
  const sidecarText = (await readText(target.sidecarPath)) ?? ''
  const start = {prevSha256: ZERO_SHA256, seq: 1}
  if (bundleText === undefined || bundleText === '') return {anchor: start, anchored: false, bundleText, sidecarText}
  return {anchor: nextLink(bundleText), anchored: true, bundleText, sidecarText}
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
  const sidecarText = (await readText(target.sidecarPath)) ?? ''
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
 * Checks the in-bundle chain and the sidecar as one chain (line numbers are reported per file).
 * A sidecar that starts afresh (seq 1, prev zeros: written while the bundle was encrypted) is checked
 * on its own, with a warning that it is not linked to the in-bundle chain.
 */
export function checkBundleCustody(
  custody: BundleCustody,
  sidecarName: string,
  keys: SignifyPublicKey[] | undefined,
  head?: CustodyHead,
): BundleCustodyCheck {
  const warnings: string[] = []
  const bundleText = custody.bundleText ?? ''
  const firstSidecar = custody.sidecarText.split('\n', 1)[0] ?? ''
  const startsAfresh = firstSidecar.includes(`"seq":1,`) && firstSidecar.includes(`"prev_sha256":"${ZERO_SHA256}"`)
  const separate = custody.anchored && startsAfresh
  if (custody.bundleText === undefined) warnings.push('the in-bundle custody.jsonl could not be read (encrypted or absent): the sidecar was checked on its own')
  if (separate) warnings.push(`${sidecarName} starts a new chain instead of continuing the in-bundle one (written while the bundle was encrypted?)`)
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
  result.intact = result.problems.length === 0
  return result
}
