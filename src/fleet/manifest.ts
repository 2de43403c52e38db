/**
 * The signed run manifest of a fleet collection: `s3://B/[P/]CASE/_fleet/RUN/fleet-manifest.json`
 * with its signify signature `fleet-manifest.json.sig` (and the signer's public key
 * `fleet-manifest.pub`, which proves integrity, not origin), under the same Object Lock retention as
 * the bundles. Per host: inventory name, host name, address, state, bundle name, key, VersionId,
 * tarball SHA-256 and a note, as the host reported them over its SSH channel; `fleet verify` checks
 * every bundle against it. Building and parsing are pure; writing reuses push's upload and proof.
 */
import {GetObjectCommand, type S3Client} from '@aws-sdk/client-s3'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError, VerificationError, errorMessage} from '../core/errors.js'
import type {Signer} from '../integrity/signer.js'
import {checkSignature} from '../integrity/signify-keys.js'
import {decodePublicKey, decodeSignature, hex, type SignifyPublicKey} from '../integrity/signify-format.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {isSafeSegment, normalisePrefix} from '../storage/object-key.js'
import {proveStored, type ProofKind} from '../storage/proof.js'
import type {LockSettings} from '../storage/retention.js'
import {withRetry, type RetryOptions} from '../storage/retry.js'
import {uploadFile} from '../storage/upload.js'

export const FLEET_MANIFEST_FORMAT = 'hipaa-ir-fleet-manifest/1'
export const FLEET_FOLDER = '_fleet'
export const FLEET_MANIFEST_FILE = 'fleet-manifest.json'

/** The per-host states of the contract, plus `not-started` for an inventory host no run reached. */
export const HOST_STATES = ['done', 'partial', 'pending', 'failed', 'no-answer'] as const
export type HostState = (typeof HOST_STATES)[number]

/** What a host's run leaves on record, in the run manifest and in `fleet` tables alike. */
export interface FleetHostRecord {
  address: string
  /** NAME of the bundle (CASE_HOST_STAMP); null when the host produced none. */
  bundle: null | string
  /** Host name as the host reported it (the HOST folder of its bundles); null when it never answered. */
  host: null | string
  inventory_name: string
  /** Object key of the tarball; null when nothing was stored. */
  key: null | string
  note: string
  /** SHA-256 of the tarball as the host computed it. */
  sha256: null | string
  version_id: null | string
}

export interface FleetManifestHost extends FleetHostRecord {
  /** Fingerprint of the key that signed the bundle (a one-time key's), when the host reported it. */
  pub_fingerprint?: null | string
  state: HostState
}

export interface FleetManifest {
  bucket: string
  case: string
  ended: string
  /** Who ran it (collect --examiner), when given. */
  examiner?: string
  format: typeof FLEET_MANIFEST_FORMAT
  hosts: FleetManifestHost[]
  prefix: string
  /** The run this one retried, for `fleet retry`. */
  retry_of?: string
  run: string
  started: string
  tool_version: string
}

export interface FleetManifestInput extends Omit<FleetManifest, 'ended' | 'format' | 'hosts' | 'prefix' | 'started'> {
  ended: Date | string
  hosts: FleetManifestHost[]
  prefix?: string
  started: Date | string
}

export interface FleetManifestKeys {
  folder: string
  manifest: string
  pub: string
  sig: string
}

const SHA256 = /^[0-9a-f]{64}$/
const RUN_ID = /^\d{8}T\d{6}Z(-[0-9a-z]{1,16})?$/

/** A run id from the start time: `YYYYMMDDTHHMMSSZ` (sortable), with an optional suffix. */
export function newRunId(now: Date, suffix?: string): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
  return suffix === undefined ? stamp : `${stamp}-${suffix}`
}

export function isRunId(run: string): boolean {
  return RUN_ID.test(run)
}

/** The case folder `[P/]CASE/` (with the trailing slash), checked like bundle keys are. */
export function caseFolder(prefix: string | undefined, caseId: string): string {
  if (!isSafeSegment(caseId)) throw new UsageError(`case id ${JSON.stringify(caseId)} cannot be part of an object key`, {code: 'E_CASE'})
  let normal: string
  try {
    normal = normalisePrefix(prefix)
  } catch (error) {
    throw new UsageError(`--prefix: ${errorMessage(error)}`, {code: 'E_PREFIX'})
  }
  return `${[normal, caseId].filter((s) => s !== '').join('/')}/`
}

export function fleetManifestKeys(prefix: string | undefined, caseId: string, run: string): FleetManifestKeys {
  if (!isRunId(run)) throw new UsageError(`run id ${JSON.stringify(run)} is not YYYYMMDDTHHMMSSZ[-SUFFIX]`, {code: 'E_FLEET_RUN'})
  const folder = `${caseFolder(prefix, caseId)}${FLEET_FOLDER}/${run}/`
  return {folder, manifest: `${folder}${FLEET_MANIFEST_FILE}`, pub: `${folder}fleet-manifest.pub`, sig: `${folder}${FLEET_MANIFEST_FILE}.sig`}
}

const isoTime = (value: Date | string): string => (typeof value === 'string' ? new Date(value) : value).toISOString()

/** Checks one host entry; returns what is wrong with it (empty when nothing). */
function hostProblems(host: FleetManifestHost, index: number): string[] {
  const where = `hosts[${index}] (${host.inventory_name || 'no name'})`
  const problems: string[] = []
  if (typeof host.inventory_name !== 'string' || host.inventory_name === '') problems.push(`${where}: inventory_name is missing`)
  if (!HOST_STATES.includes(host.state)) problems.push(`${where}: state ${JSON.stringify(host.state)} is not one of ${HOST_STATES.join(', ')}`)
  if (host.sha256 !== null && !SHA256.test(host.sha256)) problems.push(`${where}: sha256 is not 64 lowercase hex digits`)
  const stored = host.state === 'done' || host.state === 'partial'
  if (stored && (host.key === null || host.sha256 === null || host.bundle === null)) problems.push(`${where}: state ${host.state} needs bundle, key and sha256`)
  return problems
}

/** The manifest document, hosts sorted by inventory name. Pure; a malformed entry is exit 2. */
export function buildFleetManifest(input: FleetManifestInput): FleetManifest {
  const hosts = [...input.hosts].sort((a, b) => a.inventory_name.localeCompare(b.inventory_name))
  const problems = hosts.flatMap(hostProblems)
  const names = new Set<string>()
  for (const host of hosts) {
    if (names.has(host.inventory_name)) problems.push(`host ${host.inventory_name} is listed twice`)
    names.add(host.inventory_name)
  }
  if (!isRunId(input.run)) problems.push(`run ${JSON.stringify(input.run)} is not YYYYMMDDTHHMMSSZ[-SUFFIX]`)
  if (problems.length > 0) throw new UsageError(`the fleet manifest is not valid: ${problems.join('; ')}`, {code: 'E_FLEET_MANIFEST'})
  return {
    bucket: input.bucket,
    case: input.case,
    ended: isoTime(input.ended),
    ...(input.examiner === undefined ? {} : {examiner: input.examiner}),
    format: FLEET_MANIFEST_FORMAT,
    hosts: hosts.map((h) => ({...h})),
    prefix: normalisePrefix(input.prefix),
    ...(input.retry_of === undefined ? {} : {retry_of: input.retry_of}),
    run: input.run,
    started: isoTime(input.started),
    tool_version: input.tool_version,
  }
}

/** The exact bytes that are signed and stored. */
export function fleetManifestText(manifest: FleetManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Parses stored manifest text; anything that is not a manifest is a VerificationError (exit 3). */
export function parseFleetManifest(text: string, source: string): FleetManifest {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new VerificationError(`${source} is not JSON (${errorMessage(error)})`, {code: 'E_FLEET_MANIFEST'})
  }
  const m = parsed as Partial<FleetManifest> | null
  if (typeof m !== 'object' || m === null || m.format !== FLEET_MANIFEST_FORMAT || !Array.isArray(m.hosts) || typeof m.case !== 'string' || typeof m.run !== 'string') {
    throw new VerificationError(`${source} is not a fleet manifest (${FLEET_MANIFEST_FORMAT} with case, run and hosts)`, {code: 'E_FLEET_MANIFEST'})
  }
  const problems = (m.hosts as FleetManifestHost[]).flatMap(hostProblems)
  if (problems.length > 0) throw new VerificationError(`${source} is malformed: ${problems.join('; ')}`, {code: 'E_FLEET_MANIFEST'})
  return m as FleetManifest
}

export interface SignedFleetManifest {
  pubText: string
  sigText: string
  text: string
}

export function signFleetManifest(manifest: FleetManifest, signer: Signer): SignedFleetManifest {
  const text = fleetManifestText(manifest)
  return {pubText: signer.publicKeyText, sigText: signer.sign(Buffer.from(text), `hipaa-ir fleet manifest ${manifest.case} run ${manifest.run}`), text}
}

export interface StoredObject {
  key: string
  proof: ProofKind
  sha256: string
  versionId: null | string
}

export interface WriteFleetManifestOptions {
  bucket: string
  client: S3Client
  /** The bundles' Object Lock settings; undefined only for an unlocked drill bucket. */
  lock?: LockSettings
  now?: () => Date
  retry?: RetryOptions
}

export interface WrittenFleetManifest {
  keys: FleetManifestKeys
  manifest: StoredObject
  pub: StoredObject
  sig: StoredObject
}

/** Signs the manifest and uploads it, its signature and the public key under Object Lock, each proven like a pushed bundle. */
export async function writeFleetManifest(manifest: FleetManifest, signer: Signer, options: WriteFleetManifestOptions): Promise<WrittenFleetManifest> {
  const keys = fleetManifestKeys(manifest.prefix, manifest.case, manifest.run)
  const signed = signFleetManifest(manifest, signer)
  const now = options.now ?? (() => new Date())
  const dir = await makePrivateTempDir('hipaa-ir-fleet-')
  try {
    const put = async (name: string, text: string, key: string, contentType: string): Promise<StoredObject> => {
      const file = join(dir, name)
      await writeFile(file, text, {mode: 0o600})
      const uploaded = await uploadFile({
        bucket: options.bucket, client: options.client, contentType, file, key, size: Buffer.byteLength(text),
        ...(options.lock === undefined ? {} : {lock: options.lock}),
        ...(options.retry === undefined ? {} : {retry: options.retry}),
      })
      const proven = await proveStored({
        bucket: options.bucket, client: options.client, key, now: now(), uploaded,
        ...(options.lock === undefined ? {} : {lock: options.lock}),
        ...(options.retry === undefined ? {} : {retry: options.retry}),
      })
      return {key, proof: proven.proof, sha256: uploaded.digests.sha256Hex, versionId: proven.versionId ?? null}
    }
    return {
      keys,
      manifest: await put(FLEET_MANIFEST_FILE, signed.text, keys.manifest, 'application/json'),
      pub: await put('fleet-manifest.pub', signed.pubText, keys.pub, 'text/plain'),
      sig: await put(`${FLEET_MANIFEST_FILE}.sig`, signed.sigText, keys.sig, 'text/plain'),
    }
  } finally {
    await removePrivateTempDir(dir)
  }
}

/** What reading a stored manifest found: the document, and whether its signature holds and under which key. */
export interface ReadFleetManifest {
  keys: FleetManifestKeys
  manifest: FleetManifest
  /** Problems with the manifest itself (signature, missing .sig); empty when it checks out. */
  problems: string[]
  signature: 'bad-signature' | 'missing' | 'ok' | 'wrong-key'
  /** Key fingerprint used, and where it came from. */
  signer: null | {fingerprint: string; source: 'bucket' | 'flag'}
  versionId: null | string
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024

async function getText(client: S3Client, bucket: string, key: string, versionId: string | undefined, retry?: RetryOptions): Promise<undefined | {text: string; versionId: null | string}> {
  try {
    return await withRetry(async () => {
      const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key, VersionId: versionId}))
      if ((out.ContentLength ?? 0) > MAX_MANIFEST_BYTES) throw new VerificationError(`s3://${bucket}/${key} is larger than a manifest can be`, {code: 'E_FLEET_MANIFEST'})
      return {text: await out.Body?.transformToString('utf8') ?? '', versionId: out.VersionId ?? null}
    }, retry)
  } catch (error) {
    const name = (error as {name?: string}).name
    if (name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion') return undefined
    throw error
  }
}

/**
 * Reads a run's manifest (its oldest version: the one locked first; a newer one is someone's
 * rewrite), its signature and, without `publicKey`, the public key stored beside it.
 */
export async function readFleetManifest(
  client: S3Client, bucket: string, keys: FleetManifestKeys,
  options: {manifestVersionId?: string; publicKey?: SignifyPublicKey; retry?: RetryOptions; sigVersionId?: string; pubVersionId?: string} = {},
): Promise<ReadFleetManifest> {
  const body = await getText(client, bucket, keys.manifest, options.manifestVersionId, options.retry)
  if (body === undefined) throw new VerificationError(`s3://${bucket}/${keys.manifest} does not exist`, {code: 'E_FLEET_MANIFEST'})
  const manifest = parseFleetManifest(body.text, `s3://${bucket}/${keys.manifest}`)
  const problems: string[] = []
  const sig = await getText(client, bucket, keys.sig, options.sigVersionId, options.retry)
  let key = options.publicKey
  let source: 'bucket' | 'flag' = 'flag'
  if (key === undefined) {
    const pub = await getText(client, bucket, keys.pub, options.pubVersionId, options.retry)
    if (pub !== undefined) {
      try {
        key = decodePublicKey(pub.text, keys.pub)
        source = 'bucket'
      } catch (error) {
        problems.push(`${keys.pub}: ${errorMessage(error)}`)
      }
    }
  }
  let signature: ReadFleetManifest['signature'] = 'missing'
  if (sig === undefined) problems.push(`${keys.sig} is missing: the manifest cannot be proven`)
  else if (key === undefined) problems.push(`no public key to check ${keys.sig} with (pass --pub with the examiner's key)`)
  else {
    try {
      signature = checkSignature(Buffer.from(body.text), decodeSignature(sig.text, keys.sig), key)
    } catch (error) {
      signature = 'bad-signature'
      problems.push(`${keys.sig}: ${errorMessage(error)}`)
    }
    if (signature === 'bad-signature' && problems.length === 0) problems.push(`${keys.sig} does not match the manifest: it was changed after signing`)
    if (signature === 'wrong-key') problems.push(`${keys.sig} was made with another key than ${hex(key.keynum)}`)
  }
  return {
    keys, manifest, problems, signature,
    signer: key === undefined ? null : {fingerprint: hex(key.keynum), source},
    versionId: body.versionId,
  }
}
