import {join} from 'node:path'

import type {AcquisitionLog} from '../bundle/acquisition-log.js'
import type {HostAddress} from '../io/system-facts.js'
import {buildManifest, serializeManifest, sortByPath, type FileDigest} from '../bundle/manifest.js'
import {formatSha256Sums} from '../integrity/sha256sums.js'
import type {CollectorRecord} from '../collectors/record.js'
import {writeTarGz} from '../io/archive.js'
import {createEvidenceFile, hashFile} from '../io/evidence-fs.js'
import {listFilesRecursive, removeEmptyFolders} from '../io/list-files.js'
import {rm, stat} from 'node:fs/promises'

import {appendCustodyEvent} from '../integrity/custody.js'
import {sha256Hex} from '../integrity/custody-chain.js'
import {startSealCheck} from './seal-check.js'
import type {Signer} from '../integrity/signer.js'

export type BundleSigner = Signer

export interface SealInput {
  bundleDir: string
  name: string
  host: string
  hostAddresses: HostAddress[]
  examiner: string
  startedAt: Date
  now: () => Date
  log: AcquisitionLog
  collectors: CollectorRecord[]
  /** Collectors skipped for want of their evidence source (manifest `skipped`). */
  skipped: {id: string; reason: string; brief?: string}[]
  options: {caseId: string; outDir: string; root: string; since: Date; phiDirs: string[]; toolVersion: string; signer: BundleSigner; encryptTo?: string[]; isRoot?: boolean}
  collectedAt: Date
  /** Sealing's progress: files and bytes hashed (then archived) of the totals known from the listing. */
  onProgress?: (progress: SealProgress) => void
}

export interface SealProgress {
  phase: 'archive' | 'hash'
  files: number
  bytes: number
  totalFiles: number
  totalBytes: number
}

export interface SealResult {
  name: string
  /** The bundle folder, or null when --encrypt-to removed the plaintext. */
  bundle_dir: string | null
  tarball: string
  tarball_sha256: string
  encrypted: boolean
  signature: string
  /** Set for a one-time key: its public half, next to the tarball. */
  public_key: string | null
  manifest_sha256: string
  files: number
  /** The seal's own verify of the tarball (members against SHA256SUMS, in the same pass): `failed` makes collect partial. */
  self_verify: 'ok' | 'failed'
  warnings: string[]
}

/** Never listed in SHA256SUMS: the sums themselves and their signature. */
const NOT_SUMMED = new Set(['SHA256SUMS', 'SHA256SUMS.sig'])
/** Not in the manifest's files[]: the manifest itself and what is computed after it. */
const NOT_IN_MANIFEST = new Set(['manifest.json', 'custody.jsonl', ...NOT_SUMMED])

/**
 * manifest.json → custody.jsonl (collected, sealed, signed; each carrying the manifest's SHA-256)
 * → SHA256SUMS (covering the manifest's and the custody chain's exact bytes) → SHA256SUMS.sig →
 * NAME.tar.gz → NAME.tar.gz.sig. With --encrypt-to the tarball becomes NAME.tar.gz.age, the
 * detached signature covers the ciphertext, and no plaintext copy is left behind.
 */
export async function sealBundle(input: SealInput): Promise<SealResult> {
  const {bundleDir, name, options} = input
  const warnings: string[] = []
  await removeEmptyFolders(bundleDir)
  const artifacts = (await listFilesRecursive(bundleDir)).filter((p) => !NOT_IN_MANIFEST.has(p))
  // Nothing may be written into the bundle after this line but manifest.json, custody.jsonl, SHA256SUMS and its signature.
  input.log.record({note: 'acquisition log closed; sealing', step: 'seal'})
  const digests: FileDigest[] = []
  const hashProgress = input.onProgress && progressOf(input.onProgress, 'hash', await totalBytes(bundleDir, artifacts), artifacts.length)
  for (const path of artifacts) {
    const digest = await hashFile(join(bundleDir, path))
    digests.push({path, ...digest})
    hashProgress?.(digest.size)
  }
  const manifest = buildManifest({
    case: options.caseId,
    collectors: input.collectors,
    encryption: options.encryptTo?.length ? {recipients: options.encryptTo.length} : null,
    ended_at: input.now().toISOString(),
    examiner: input.examiner,
    files: digests,
    host: input.host,
    host_addresses: input.hostAddresses,
    live: options.root === '/',
    name,
    notes: [],
    phi_dirs: options.phiDirs,
    root: options.root,
    run_as_root: options.isRoot ?? process.getuid?.() === 0,
    signing: {key_fingerprint: options.signer.fingerprint, one_time_key: options.signer.oneTime},
    since: options.since.toISOString(),
    skipped: input.skipped,
    started_at: input.startedAt.toISOString(),
    tool: {name: 'hipaa-ir', version: options.toolVersion},
  })
  const manifestText = serializeManifest(manifest)
  await createEvidenceFile(join(bundleDir, 'manifest.json'), manifestText)
  // Hashed from the text just written, not read back from disk.
  const manifestDigest = {sha256: sha256Hex(manifestText), size: Buffer.byteLength(manifestText)}
  const signer = options.signer
  const custodyPath = join(bundleDir, 'custody.jsonl')
  const custody = (action: 'collected' | 'sealed' | 'signed', note: string, time: Date) =>
    appendCustodyEvent(custodyPath, {action, actor: input.examiner, bundleSha256: manifestDigest.sha256, host: input.host, note, time}, signer)
  await custody('collected', `${input.collectors.filter((c) => c.status !== 'skipped').length} collectors ran; ${digests.length} artifacts`, input.collectedAt)
  await custody('sealed', 'manifest.json written; bundle_sha256 is its SHA-256', input.now())
  await custody('signed', `SHA256SUMS signed with key ${signer.fingerprint}${signer.oneTime ? ' (one-time key for this case)' : ''}`, input.now())
  const summed = [...digests, {path: 'manifest.json', ...manifestDigest}, {path: 'custody.jsonl', ...(await hashFile(custodyPath))}]
  const sums = formatSha256Sums(sortByPath(summed))
  await createEvidenceFile(join(bundleDir, 'SHA256SUMS'), sums)
  await createEvidenceFile(join(bundleDir, 'SHA256SUMS.sig'), signer.sign(Buffer.from(sums), `hipaa-ir bundle ${name} SHA256SUMS`))
  const members = await listFilesRecursive(bundleDir)
  let tarball = join(options.outDir, `${name}.tar.gz`)
  // The tarball is verified as it is written: its members, parsed back, must match SHA256SUMS exactly.
  const check = await startSealCheck(name, sums)
  let tarDigest = await writeTarGz(tarball, name, bundleDir, members, input.onProgress && progressOf(input.onProgress, 'archive', await totalBytes(bundleDir, members), members.length), check.observer)
  const problems = await check.problems()
  for (const problem of problems.slice(0, 20)) warnings.push(`the sealed tarball does not verify: ${problem.kind} ${JSON.stringify(problem.path)}: ${problem.detail}`)
  if (problems.length > 20) warnings.push(`the sealed tarball does not verify: ${problems.length - 20} more problems`)
  const encrypted = (options.encryptTo?.length ?? 0) > 0
  if (encrypted) {
    const plain = tarball
    tarball = `${plain}.age`
    // Loaded only when asked for: the age library costs a third of a second of start-up.
    const {encryptFileToRecipients} = await import('../integrity/age.js')
    await encryptFileToRecipients(plain, tarball, options.encryptTo ?? [])
    await rm(plain, {force: true})
    // No plaintext stays at rest: the folder was only the staging area for the tarball.
    await rm(bundleDir, {force: true, recursive: true})
    tarDigest = await hashFile(tarball)
  }
  const signature = `${tarball}.sig`
  await createEvidenceFile(signature, await signer.signFile(tarball, `hipaa-ir bundle ${name}.tar.gz${encrypted ? '.age' : ''}`))
  let publicKey: string | null = null
  if (signer.oneTime) {
    publicKey = join(options.outDir, `${name}.pub`)
    await createEvidenceFile(publicKey, signer.publicKeyText)
    warnings.push(`signed with a one-time key (${publicKey}): it proves the bundle is intact, not who made it; use --key with the organisation's key to prove origin`)
  }
  return {
    bundle_dir: encrypted ? null : bundleDir,
    encrypted,
    files: members.length,
    manifest_sha256: manifestDigest.sha256,
    name,
    public_key: publicKey,
    self_verify: problems.length === 0 ? 'ok' : 'failed',
    signature,
    tarball,
    tarball_sha256: tarDigest.sha256,
    warnings,
  }
}

/** Sums the sizes of the listed files (stat only): the total a progress line counts towards. */
async function totalBytes(dir: string, paths: readonly string[]): Promise<number> {
  let total = 0
  for (const path of paths) total += (await stat(join(dir, path)).catch(() => undefined))?.size ?? 0
  return total
}

/** A per-file callback that reports at most every 200 ms (and at the last file). */
function progressOf(report: (progress: SealProgress) => void, phase: SealProgress['phase'], total: number, totalFiles: number): (bytes: number) => void {
  let files = 0
  let bytes = 0
  let last = 0
  return (size) => {
    files++
    bytes += size
    const now = performance.now()
    if (now - last < 200 && files < totalFiles) return
    last = now
    report({bytes, files, phase, totalBytes: total, totalFiles})
  }
}
