/**
 * `fleet verify`: every bundle of a case verified exactly as `verify s3://` does (the version the
 * run manifest names, else the oldest; newer versions with other content are superseded), the run
 * manifest's signature checked, each tarball's SHA-256 compared with the one the host reported in
 * the manifest, and every inventory host without a bundle named. Any problem → `ok: false` (exit 3).
 */
import type {S3Client} from '@aws-sdk/client-s3'

import {errorMessage} from '../core/errors.js'
import {readPublicKeyFile} from '../integrity/key-files.js'
import {verifyTarget} from '../integrity/verify-target.js'
import {hashFile} from '../io/evidence-fs.js'
import {removePrivateTempDir} from '../io/private-temp.js'
import type {KeyVersions} from '../storage/object-versions.js'
import type {RetryOptions} from '../storage/retry.js'
import {remoteVerifyInputs} from '../storage/verify-remote-command.js'
import {listCase, sameHost, type CaseBundle} from './case-listing.js'
import type {Inventory} from './inventory.js'
import {fleetManifestKeys, readFleetManifest, type FleetManifestHost, type ReadFleetManifest} from './manifest.js'

export interface FleetVerifyOptions {
  bucket: string
  caseId: string
  client: S3Client
  /** The bundles' signing key (default: each bundle's NAME.pub from the bucket: integrity, not origin). */
  bundlePub?: string
  endpoint?: string
  inventory?: Inventory
  /** The Object Lock mode every object must still be under. */
  mode: string
  prefix?: string
  /** The examiner's key for the run manifest (default: fleet-manifest.pub beside it: integrity, not origin). */
  pub?: string
  retry?: RetryOptions
  /** The run whose manifest is checked (default: the latest). */
  run?: string
}

export interface FleetVerifyBundle {
  bundle: string
  host: string
  inventory_name: null | string
  key: string
  ok: boolean
  problems: string[]
  sha256: null | string
  version_id: string
}

export interface FleetVerifyResult {
  bucket: string
  bundles: FleetVerifyBundle[]
  case: string
  manifest: null | {key: string; problems: string[]; signature: ReadFleetManifest['signature']; signer: ReadFleetManifest['signer']; version_id: null | string}
  /** Inventory hosts (or manifest hosts) with no verified bundle in the bucket. */
  missing: Array<{address: null | string; inventory_name: string; reason: string}>
  notes: string[]
  ok: boolean
  run: null | string
}

/** The version taken of a fleet key (the oldest: locked first), and a problem for any newer version with other content. */
function pinFleetKey(versions: KeyVersions | undefined, key: string): {problem?: string; versionId?: string} {
  const list = versions?.versions ?? []
  const oldest = list.at(-1)
  if (oldest === undefined) return {}
  const changed = list.slice(0, -1).filter((v) => v.etag !== oldest.etag || v.size !== oldest.size)
  return {
    versionId: oldest.versionId,
    ...(changed.length === 0 ? {} : {problem: `${key}: ${changed.length} newer version(s) with other content (${changed.map((v) => v.versionId).join(', ')}) were written after the one locked first (${oldest.versionId}); the oldest is the one checked`}),
  }
}

async function verifyBundle(bundle: CaseBundle, entry: FleetManifestHost | undefined, options: FleetVerifyOptions): Promise<FleetVerifyBundle> {
  const url = `s3://${options.bucket}/${bundle.key}`
  const versionId = entry?.version_id ?? bundle.oldest.versionId
  const out: FleetVerifyBundle = {
    bundle: bundle.name, host: bundle.host, inventory_name: entry?.inventory_name ?? null, key: bundle.key, ok: false, problems: [], sha256: null, version_id: versionId,
  }
  let downloadDir: string | undefined
  try {
    const remote = await remoteVerifyInputs(url, {mode: options.mode, 'version-id': versionId, ...(options.endpoint === undefined ? {} : {endpoint: options.endpoint})})
    downloadDir = remote.check.downloadDir
    out.sha256 = (await hashFile(remote.check.localTarball)).sha256
    const verified = await verifyTarget(remote.check.localTarball, {
      extraProblems: remote.check.problems, notes: remote.notes, shownAs: url,
      ...(remote.keyFromBucket === undefined ? {} : {keyFromBucket: remote.keyFromBucket}),
      ...(options.bundlePub === undefined ? {} : {pub: options.bundlePub}),
    })
    out.problems.push(...verified.result.problems.map((p) => `${p.kind} ${p.path}: ${p.detail}`))
    if (entry?.sha256 !== undefined && entry.sha256 !== null && entry.sha256 !== out.sha256) {
      out.problems.push(`hash-mismatch ${bundle.key}: SHA-256 ${out.sha256} in the bucket, but the host reported ${entry.sha256} (run manifest)`)
    }
  } catch (error) {
    out.problems.push(errorMessage(error))
  } finally {
    if (downloadDir !== undefined) await removePrivateTempDir(downloadDir)
  }
  out.ok = out.problems.length === 0
  return out
}

export async function verifyFleet(options: FleetVerifyOptions): Promise<FleetVerifyResult> {
  const listing = await listCase(options.client, options.bucket, options.prefix, options.caseId, options.retry)
  const result: FleetVerifyResult = {bucket: options.bucket, bundles: [], case: options.caseId, manifest: null, missing: [], notes: [], ok: false, run: null}
  const run = options.run ?? listing.runs.at(-1)
  let hosts: FleetManifestHost[] = []
  const manifestProblems: string[] = []
  if (run === undefined) {
    manifestProblems.push(`no fleet run manifest under s3://${options.bucket}/${listing.folder}_fleet/: the bundles cannot be checked against what the hosts reported`)
  } else {
    result.run = run
    const keys = fleetManifestKeys(options.prefix, options.caseId, run)
    const pins = {manifest: pinFleetKey(listing.fleetKeys.get(keys.manifest), keys.manifest), pub: pinFleetKey(listing.fleetKeys.get(keys.pub), keys.pub), sig: pinFleetKey(listing.fleetKeys.get(keys.sig), keys.sig)}
    for (const pin of Object.values(pins)) if (pin.problem !== undefined) manifestProblems.push(pin.problem)
    try {
      const read = await readFleetManifest(options.client, options.bucket, keys, {
        ...(options.pub === undefined ? {} : {publicKey: await readPublicKeyFile(options.pub)}),
        ...(pins.manifest.versionId === undefined ? {} : {manifestVersionId: pins.manifest.versionId}),
        ...(pins.sig.versionId === undefined ? {} : {sigVersionId: pins.sig.versionId}),
        ...(pins.pub.versionId === undefined ? {} : {pubVersionId: pins.pub.versionId}),
        ...(options.retry === undefined ? {} : {retry: options.retry}),
      })
      manifestProblems.push(...read.problems)
      if (read.manifest.case !== options.caseId) manifestProblems.push(`${keys.manifest} is for case ${read.manifest.case}, not ${options.caseId}`)
      if (read.signer?.source === 'bucket') {
        result.notes.push(`the manifest's public key came from the same bucket (${keys.pub}, key ${read.signer.fingerprint}): it proves the manifest is intact, not who signed it; pass --pub with the examiner's key`)
      }
      hosts = read.manifest.hosts
      result.manifest = {key: keys.manifest, problems: manifestProblems, signature: read.signature, signer: read.signer, version_id: read.versionId}
    } catch (error) {
      manifestProblems.push(errorMessage(error))
      result.manifest = {key: keys.manifest, problems: manifestProblems, signature: 'missing', signer: null, version_id: null}
    }
  }

  const byKey = new Map(hosts.filter((h) => h.key !== null).map((h) => [h.key as string, h]))
  for (const bundle of listing.bundles) {
    const entry = byKey.get(bundle.key)
    if (entry === undefined && run !== undefined) result.notes.push(`${bundle.key} is not in run ${run}'s manifest: verified on its own, its SHA-256 not compared with a host's report`)
    result.bundles.push(await verifyBundle(bundle, entry, options))
  }
  const verifiedKeys = new Set(result.bundles.map((b) => b.key))
  for (const entry of hosts) {
    if ((entry.state === 'done' || entry.state === 'partial') && entry.key !== null && !verifiedKeys.has(entry.key)) {
      result.missing.push({address: entry.address, inventory_name: entry.inventory_name, reason: `the run manifest says ${entry.state} with ${entry.key}, but the bucket has no such object`})
    }
  }
  for (const host of options.inventory?.hosts ?? []) {
    if (result.missing.some((m) => m.inventory_name === host.name)) continue
    const entry = hosts.find((h) => h.inventory_name === host.name)
    const has = result.bundles.some((b) => (entry?.key !== null && entry?.key === b.key) || sameHost(host.name, b.host) || (entry?.host !== null && entry?.host !== undefined && sameHost(entry.host, b.host)))
    if (!has) {
      result.missing.push({
        address: host.address, inventory_name: host.name,
        reason: entry === undefined ? 'no bundle in the bucket, and no run manifest entry' : `no bundle in the bucket (run manifest: ${entry.state}${entry.note === '' ? '' : `, ${entry.note}`})`,
      })
    }
  }
  if (result.manifest === null && manifestProblems.length > 0) result.manifest = {key: '', problems: manifestProblems, signature: 'missing', signer: null, version_id: null}
  result.ok = manifestProblems.length === 0 && result.bundles.every((b) => b.ok) && result.missing.length === 0 && result.bundles.length > 0
  if (result.bundles.length === 0) result.notes.push(`no bundle under s3://${options.bucket}/${listing.folder}`)
  return result
}
