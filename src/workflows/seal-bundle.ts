import {join} from 'node:path'

import type {AcquisitionLog} from '../bundle/acquisition-log.js'
import {buildManifest, serializeManifest} from '../bundle/manifest.js'
import {formatSha256Sums, type FileDigest} from '../bundle/sha256sums.js'
import type {CollectorRecord} from '../collectors/record.js'
import {writeTarGz} from '../io/archive.js'
import {hashFile, writeEvidenceFile} from '../io/evidence-fs.js'
import {listFilesRecursive} from '../io/list-files.js'
import {readFile} from 'node:fs/promises'

/** What sealing needs from a signing key (the integrity module's Signer satisfies it). */
export interface BundleSigner {
  readonly fingerprint: string
  readonly oneTime: boolean
  readonly publicKeyText: string
  sign(message: Uint8Array, comment?: string): string
}

export interface SealInput {
  bundleDir: string
  name: string
  host: string
  examiner: string
  startedAt: Date
  now: () => Date
  log: AcquisitionLog
  collectors: CollectorRecord[]
  options: {caseId: string; outDir: string; root: string; since: Date; phiDirs: string[]; toolVersion: string; signer?: BundleSigner; isRoot?: boolean}
}

export interface SealResult {
  name: string
  bundle_dir: string
  tarball: string
  tarball_sha256: string
  signature: string | null
  public_key: string | null
  manifest_sha256: string
  files: number
  warnings: string[]
}

/** Never listed in SHA256SUMS: the sums themselves and their signature. */
const NOT_SUMMED = new Set(['SHA256SUMS', 'SHA256SUMS.sig'])
/** Not in the manifest's files[]: the manifest itself and what is computed after it. */
const NOT_IN_MANIFEST = new Set(['manifest.json', ...NOT_SUMMED])

/**
 * manifest.json → SHA256SUMS (covering the manifest's exact bytes) → SHA256SUMS.sig → NAME.tar.gz
 * → NAME.tar.gz.sig. Without a signer the bundle is hashed but unsigned, and says so.
 */
export async function sealBundle(input: SealInput): Promise<SealResult> {
  const {bundleDir, name, options} = input
  const warnings: string[] = []
  input.log.record({step: 'seal', note: 'hashing artifacts and writing manifest.json'})
  const artifacts = (await listFilesRecursive(bundleDir)).filter((p) => !NOT_IN_MANIFEST.has(p))
  const digests: FileDigest[] = []
  for (const path of artifacts) digests.push({path, ...(await hashFile(join(bundleDir, path)))})
  const manifest = buildManifest({
    case: options.caseId,
    collectors: input.collectors,
    encryption: null,
    ended_at: input.now().toISOString(),
    examiner: input.examiner,
    files: digests,
    host: input.host,
    live: options.root === '/',
    name,
    notes: [],
    phi_dirs: options.phiDirs,
    root: options.root,
    run_as_root: options.isRoot ?? process.getuid?.() === 0,
    signing: options.signer ? {key_fingerprint: options.signer.fingerprint, one_time_key: options.signer.oneTime} : null,
    since: options.since.toISOString(),
    started_at: input.startedAt.toISOString(),
    tool: {name: 'hipaa-ir', version: options.toolVersion},
  })
  const manifestText = serializeManifest(manifest)
  await writeEvidenceFile(join(bundleDir, 'manifest.json'), manifestText)
  const manifestDigest = await hashFile(join(bundleDir, 'manifest.json'))
  const summed = [...digests, {path: 'manifest.json', ...manifestDigest}]
  const sums = formatSha256Sums(summed)
  await writeEvidenceFile(join(bundleDir, 'SHA256SUMS'), sums)
  const signer = options.signer
  if (signer) {
    await writeEvidenceFile(join(bundleDir, 'SHA256SUMS.sig'), signer.sign(Buffer.from(sums), `hipaa-ir bundle ${name} SHA256SUMS`))
  } else {
    warnings.push('no signing key: the bundle is hashed but not signed')
  }
  const tarball = join(options.outDir, `${name}.tar.gz`)
  const members = await listFilesRecursive(bundleDir)
  await writeTarGz(tarball, name, bundleDir, members)
  const tarDigest = await hashFile(tarball)
  let signature: string | null = null
  let publicKey: string | null = null
  if (signer) {
    signature = `${tarball}.sig`
    await writeEvidenceFile(signature, signer.sign(await readFile(tarball), `hipaa-ir bundle ${name}.tar.gz`))
    if (signer.oneTime) {
      publicKey = join(options.outDir, `${name}.pub`)
      await writeEvidenceFile(publicKey, signer.publicKeyText)
    }
  }
  return {
    bundle_dir: bundleDir,
    files: members.length,
    manifest_sha256: manifestDigest.sha256,
    name,
    public_key: publicKey,
    signature,
    tarball,
    tarball_sha256: tarDigest.sha256,
    warnings,
  }
}
