import {basename} from 'node:path'

import {VerificationError} from '../core/errors.js'
import {safeHost} from '../bundle/naming.js'
import {
  type BundleTarget, type BundleTargetKind, DEFAULT_PUB_NAME, keyNextToBundleWarning, publicKeyCandidates, type ResolvedPublicKey, resolveBundleTarget, resolvePublicKey,
} from './bundle-target.js'
import {type BundleDirReport, type BundleTarballReport, type SignatureStatus, type VerifyProblem, verifyBundleDir, verifyBundleTarball} from './bundle-verify.js'
import {bundleDigest, checkBundleCustody, custodyOf} from './custody-files.js'
import {verifyEncryptedBundle} from './encrypted-verify.js'
import {readPublicKeyFile} from './key-files.js'
import {readSideFileText} from './read-optional.js'
import {hex} from './signify-format.js'

/** What `verify` reports for one bundle (its `--json` document), and what `analyze` checks each bundle with. */
export interface VerifyResult {
  ok: boolean
  target: string
  type: BundleTargetKind
  bundle: string
  /** False for an encrypted bundle checked without --identity: only the signature over the ciphertext was checked. */
  contentsChecked: boolean
  publicKey: {fingerprint: string; path: string; source: 'bucket' | 'flag' | 'next-to-bundle'}
  signatures: SignatureStatus[]
  filesChecked: number
  manifestFiles: number
  custodyEvents: number
  problems: VerifyProblem[]
  warnings: string[]
}

export interface VerifyTargetOptions {
  /** --pub. */
  pub?: string
  /** age identities (--identity), for NAME.tar.gz.age. */
  identities?: string[]
  /** Problems found before (the server side of an s3:// target). */
  extraProblems?: VerifyProblem[]
  /** Notes to say first (which S3 versions were taken). */
  notes?: string[]
  /** How to name the target in the result (the s3:// URL rather than the temporary download). */
  shownAs?: string
  /** s3:// targets: how the bucket's .pub is named (never the temporary path it was downloaded to), and the warning for it. */
  keyFromBucket?: {shownAs: string; warning: string}
  /** Keep the unpacked bundle folder of a tarball or .age for the caller (analyze), verified or not. */
  keep?: boolean
}

export interface VerifiedTarget {
  result: VerifyResult
  target: BundleTarget
  /** With `keep`: the unpacked bundle folder and the private temporary folders to remove afterwards (innermost first). */
  extracted?: {dir: string; roots: string[]}
}

/**
 * Verifies one local bundle (tarball, .age, or folder) exactly as `verify` does: both signatures,
 * every hash, the manifest, the custody chain and its sidecar, the bundle's name against its manifest,
 * and a key found next to it against the manifest's signing record. Never throws for a bad bundle:
 * the problems are in the result (`ok: false`); a missing key or unreadable target is a usage error.
 */
export async function verifyTarget(path: string, options: VerifyTargetOptions = {}): Promise<VerifiedTarget> {
  const {identities} = options
  const target = await resolveBundleTarget(path)
  const publicKey = await resolvePublicKey(target, options.pub)
  const fingerprint = hex(publicKey.key.keynum)
  const warnings: string[] = [...(options.notes ?? [])]
  const fromBucket = publicKey.source === 'next-to-bundle' ? options.keyFromBucket : undefined
  if (publicKey.source === 'next-to-bundle') warnings.push(fromBucket?.warning ?? keyNextToBundleWarning(publicKey.path, fingerprint))

  let report: BundleTarballReport
  if (target.kind === 'directory') report = await verifyBundleDir(target.path, {publicKey: publicKey.key})
  else if (target.kind === 'encrypted') report = await verifyEncryptedBundle(target, publicKey.key, identities, {keep: options.keep})
  else report = await verifyBundleTarball(target.path, {keep: options.keep, publicKey: publicKey.key})
  const contentsChecked = target.kind !== 'encrypted' || identities !== undefined
  if (!contentsChecked) {
    warnings.push('the bundle is age-encrypted: only the signature over the ciphertext was checked, not its contents; add --identity FILE (the age identity it was encrypted to) to check them')
  }
  if (identities !== undefined && target.kind !== 'encrypted') warnings.push('--identity is only used for an age-encrypted bundle (NAME.tar.gz.age); this one is not encrypted')

  const problems = [...(options.extraProblems ?? []), ...report.problems, ...identityProblems(target, report), ...(await adjacentKeyProblems(target, publicKey, report, warnings))]
  problems.push(...(await sidecarProblems(target, report)))

  const result: VerifyResult = {
    bundle: report.top ?? target.name,
    contentsChecked,
    custodyEvents: report.custodyEvents,
    filesChecked: report.filesChecked,
    manifestFiles: report.manifestFiles,
    ok: problems.length === 0,
    problems,
    publicKey: {fingerprint, path: fromBucket?.shownAs ?? publicKey.path, source: fromBucket === undefined ? publicKey.source : 'bucket'},
    signatures: report.signatures,
    target: options.shownAs ?? target.path,
    type: target.kind,
    warnings,
  }
  return {result, target, ...(report.extracted === undefined ? {} : {extracted: report.extracted})}
}

/**
 * A bundle must carry the name it was collected under (M5): its top folder, manifest.json `name`,
 * and `case`/`host` all match the file (or folder) name. A genuine, validly signed older bundle
 * copied under the incident bundle's name is a problem, not a warning.
 */
function identityProblems(target: BundleTarget, report: BundleDirReport & {top?: string}): VerifyProblem[] {
  const problems: VerifyProblem[] = []
  const path = basename(target.path)
  const renamed = (detail: string): void => {
    problems.push({detail: `${detail}: the bundle was renamed (or swapped for another one)`, kind: 'malformed', path})
  }
  if (report.top !== undefined && report.top !== target.name) renamed(`the tarball's top folder is ${report.top}/, not ${target.name}/`)
  const identity = report.identity
  if (identity === undefined) return problems
  if (identity.name !== undefined && identity.name !== target.name) renamed(`manifest.json names the bundle ${identity.name}, not ${target.name}`)
  if (identity.case !== undefined && identity.host !== undefined) {
    const prefix = `${identity.case}_${safeHost(identity.host)}_`
    if (!target.name.startsWith(prefix)) renamed(`manifest.json says case ${identity.case}, host ${identity.host}, but the name ${target.name} does not start with ${prefix}`)
  }
  return problems
}

/**
 * A key found next to the bundle (M6). NAME.pub is what collect writes for a one-time key, so the
 * manifest (covered by the signatures) must say the bundle was signed with a one-time key of that
 * fingerprint; a bundle that names a persistent key, or another fingerprint, is a problem. When
 * hipaa-ir.pub was used and a NAME.pub with another key sits beside it, that is said too.
 */
async function adjacentKeyProblems(
  target: BundleTarget, publicKey: ResolvedPublicKey, report: BundleDirReport, warnings: string[],
): Promise<VerifyProblem[]> {
  if (publicKey.source !== 'next-to-bundle') return []
  const fingerprint = hex(publicKey.key.keynum)
  const name = basename(publicKey.path)
  if (name === DEFAULT_PUB_NAME) {
    const other = publicKeyCandidates(target).find((candidate) => basename(candidate) !== DEFAULT_PUB_NAME)
    const otherKey = other === undefined ? undefined : await readPublicKeyFile(other).catch(() => undefined)
    if (otherKey !== undefined && hex(otherKey.keynum) !== fingerprint) {
      warnings.push(`${basename(other ?? '')} next to the bundle holds another key (${hex(otherKey.keynum)}); it was not used: ${DEFAULT_PUB_NAME} takes precedence`)
    }
    return []
  }
  const signing = report.identity?.signing
  if (signing === undefined) return []
  if (signing.one_time_key === false || (signing.key_fingerprint !== undefined && signing.key_fingerprint !== fingerprint)) {
    const said = `${signing.one_time_key === false ? 'a persistent key' : 'a one-time key'}${signing.key_fingerprint === undefined ? '' : ` ${signing.key_fingerprint}`}`
    return [{
      detail: `manifest.json says the bundle was signed with ${said}, but the key next to it is ${fingerprint} (only one-time keys are written as NAME.pub): pass --pub with the organisation's key`,
      kind: 'wrong-key',
      path: name,
    }]
  }
  return []
}

/**
 * The custody sidecar NAME.custody.jsonl next to the bundle, when there is one (H4): it must belong
 * to this bundle (every event names its SHA-256; it continues the in-bundle chain unless the bundle
 * is encrypted) and be well linked. Signatures of later custody events are `custody show`'s job:
 * they are often made with other people's keys.
 */
async function sidecarProblems(target: BundleTarget, report: BundleDirReport): Promise<VerifyProblem[]> {
  const sidecarName = basename(target.sidecarPath)
  let sidecarText
  try {
    sidecarText = await readSideFileText(target.sidecarPath)
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error
    return [{detail: error.message, kind: 'malformed', path: sidecarName}]
  }
  if (sidecarText === undefined) return []
  // The inside of an encrypted bundle verified without --identity is unknown: only the binding to the ciphertext is checked.
  const bundleText = target.kind === 'encrypted' && report.custodyText === undefined ? undefined : (report.custodyText ?? '')
  const custody = custodyOf(bundleText, sidecarText, target.kind === 'encrypted')
  const check = checkBundleCustody(custody, sidecarName, undefined, undefined, await bundleDigest(target))
  return check.problems
    .filter((problem) => problem.file === sidecarName)
    .map((problem) => ({detail: `line ${problem.line}: ${problem.kind}: ${problem.detail}`, kind: 'malformed', path: sidecarName}))
}
