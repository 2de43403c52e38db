/**
 * Pushes one bundle (tarball, `.sig`, one-time `.pub` if present, custody sidecar) to a WORM bucket,
 * proves every object on its VersionId (proof.ts: the server's ETag against the MD5s of the bytes
 * sent, or with `readBack` a full read-back), records a `retention-verified` custody event, and only
 * then marks the bundle pushed. Any failure leaves `NAME.push.json` pending with the error; the
 * local files are never deleted. A re-run skips objects already verified and resumes multipart.
 */
import type {S3Client} from '@aws-sdk/client-s3'
import {stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {PushError, errnoCode, errorMessage} from '../core/errors.js'
import {hashFile} from '../io/evidence-fs.js'
import {bundleIdentity} from './bundle-identity.js'
import {bundleKeys, bundleNameFromPath} from './object-key.js'
import {proveStored} from './proof.js'
import {readPushState, writePushState, type ObjectRole, type ProofKind, type PushState, type PushedObject} from './push-state.js'
import type {LockSettings} from './retention.js'
import type {RetryOptions} from './retry.js'
import {describeS3Error} from './s3-client.js'
import {uploadFile} from './upload.js'

/** What the custody recorder is told after the tarball was proven stored. */
export interface RetentionVerifiedEvent {
  bucket: string
  bundleSha256: string
  caseId: string
  host: string
  key: string
  legalHold: boolean
  mode?: string
  /** How the tarball's stored bytes were proven. */
  proof?: ProofKind
  retainUntil?: string
  /** The tarball's VersionId. */
  versionId?: string
  /** The VersionId of every object uploaded before the event: tarball, .sig and the one-time .pub. */
  versions?: Partial<Record<ObjectRole, string>>
}

/** Appends the signed `retention-verified` event to the custody sidecar (wired by the command). */
export type RecordVerified = (custodyFile: string, event: RetentionVerifiedEvent) => Promise<void>

export interface PushProgress {
  /** Bytes just sent (negative when a failed attempt is rolled back). */
  deltaBytes: number
  role: ObjectRole
  totalBytes: number
}

export interface PushBundleOptions {
  bucket: string
  client: S3Client
  concurrency?: number
  /** Undefined only for a drill into an unlocked bucket (--allow-unlocked). */
  lock?: LockSettings
  now?: () => Date
  onProgress?: (progress: PushProgress) => void
  partSize?: number
  prefix?: string
  /** Prove every object by streaming it back and hashing it (push --read-back), not only by its ETag. */
  readBack?: boolean
  recordVerified?: RecordVerified
  retry?: RetryOptions
}

export interface PushBundleResult {
  alreadyPushed: boolean
  bucket: string
  bundle: string
  custodyRecorded: boolean
  key: string
  legalHold: boolean
  mode: null | string
  multipart: boolean
  objects: Partial<Record<ObjectRole, PushedObject>>
  /** How the tarball's stored bytes were proven (null for a push recorded before proofs were named). */
  proof: null | ProofKind
  resumedParts: number
  retainUntil: null | string
  sha256: string
  size: number
  status: 'pushed'
  verifiedAt: string
  versionId: null | string
}

interface Sibling {
  file: string
  key: string
  role: ObjectRole
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false
    throw error
  }
}

/** Role → VersionId of the objects that have one. */
export function objectVersions(objects: PushState['objects']): Partial<Record<ObjectRole, string>> {
  const versions: Partial<Record<ObjectRole, string>> = {}
  for (const [role, object] of Object.entries(objects ?? {}) as Array<[ObjectRole, PushedObject | undefined]>) {
    if (object?.versionId !== undefined) versions[role] = object.versionId
  }
  return versions
}

export function custodySidecarPath(tarball: string): string {
  return join(dirname(tarball), `${bundleNameFromPath(tarball)}.custody.jsonl`)
}

/** Marks a bundle pending (never downgrades a pushed one); returns the state written. */
export async function markPending(tarball: string, patch: Partial<PushState> = {}): Promise<PushState> {
  const current = await readPushState(tarball)
  if (current?.status === 'pushed') return current
  const next: PushState = {...current, ...patch, status: 'pending'}
  await writePushState(tarball, next)
  return next
}

function resultFromState(tarball: string, state: PushState, alreadyPushed: boolean, extra: {multipart: boolean; resumedParts: number}): PushBundleResult {
  const tar = state.objects?.tarball
  return {
    alreadyPushed,
    bucket: state.bucket ?? '',
    bundle: tarball,
    custodyRecorded: state.custodyRecorded === true,
    key: state.key ?? '',
    legalHold: state.legalHold === true,
    mode: state.mode ?? null,
    multipart: extra.multipart,
    objects: state.objects ?? {},
    proof: tar?.proof ?? null,
    resumedParts: extra.resumedParts,
    retainUntil: state.retainUntil ?? null,
    sha256: state.sha256 ?? '',
    size: tar?.size ?? 0,
    status: 'pushed',
    verifiedAt: state.verifiedAt ?? '',
    versionId: state.versionId ?? null,
  }
}

export async function pushBundle(tarball: string, options: PushBundleOptions): Promise<PushBundleResult> {
  const now = options.now ?? (() => new Date())
  const existing = await readPushState(tarball)
  if (existing?.status === 'pushed') return resultFromState(tarball, existing, true, {multipart: false, resumedParts: 0})
  let state: PushState = await markPending(tarball, {bucket: options.bucket})
  try {
    return await pushSteps(tarball, options, now, state, (next) => { state = next })
  } catch (error) {
    const lastError = error instanceof PushError ? error.message : describeS3Error(error)
    await markPending(tarball, {lastError})
    if (error instanceof PushError) throw error
    // The command (push or collect) adds the retry command, with every setting it was given.
    throw new PushError(`push of ${bundleNameFromPath(tarball)} failed: ${lastError}; the bundle is kept locally and marked pending`, {
      cause: error, code: 'E_PUSH_FAILED',
    })
  }
}

async function pushSteps(
  tarball: string, options: PushBundleOptions, now: () => Date, initial: PushState, track: (s: PushState) => void,
): Promise<PushBundleResult> {
  const {bucket, client, lock} = options
  let state = initial
  const save = async (patch: Partial<PushState>) => {
    state = {...state, ...patch, status: 'pending'}
    track(state)
    await writePushState(tarball, state)
  }
  if (!(await exists(tarball))) throw new PushError(`bundle ${tarball} does not exist`, {code: 'E_PUSH_NO_BUNDLE'})
  let identity
  try {
    identity = await bundleIdentity(tarball)
  } catch (error) {
    throw new PushError(`cannot place ${tarball} in the bucket: ${errorMessage(error)}`, {code: 'E_PUSH_NAME'})
  }
  const keys = bundleKeys(options.prefix, identity, tarball.endsWith('.age'))
  const custodyFile = custodySidecarPath(tarball)
  const siblings: Sibling[] = [
    {file: tarball, key: keys.tarball, role: 'tarball'},
    {file: `${tarball}.sig`, key: keys.sig, role: 'sig'},
  ]
  if (!(await exists(`${tarball}.sig`))) {
    throw new PushError(`${tarball}.sig is missing: an unsigned bundle cannot be proven intact later`, {code: 'E_PUSH_NO_SIG'})
  }
  const pubFile = join(dirname(tarball), `${identity.name}.pub`)
  if (await exists(pubFile)) siblings.push({file: pubFile, key: keys.pub, role: 'pub'})
  await save({bucket, key: keys.tarball, ...(lock === undefined ? {} : {mode: lock.mode, retainUntil: lock.retainUntil.toISOString()})})

  let multipart = false
  let resumedParts = 0
  const sizes = await Promise.all([...siblings.map((s) => s.file), custodyFile].map(async (f) => ((await exists(f)) ? (await stat(f)).size : 0)))
  const totalBytes = sizes.reduce((a, b) => a + b, 0)

  const pushOne = async (sibling: Sibling): Promise<PushedObject> => {
    const size = (await stat(sibling.file)).size
    const done = state.objects?.[sibling.role]
    // Proven by an earlier run: skipped when the file is still the one proven (hashed only on this retry path).
    if (done?.verifiedAt !== undefined && done.key === sibling.key && done.size === size && (await hashFile(sibling.file)).sha256 === done.sha256) {
      options.onProgress?.({deltaBytes: size, role: sibling.role, totalBytes})
      return done
    }
    const uploaded = await uploadFile({
      bucket, client, file: sibling.file, key: sibling.key, size,
      ...(options.concurrency === undefined ? {} : {concurrency: options.concurrency}),
      ...(lock === undefined ? {} : {lock}),
      onMultipartState: async (multipartState) => save({multipart: multipartState}),
      onProgress: (deltaBytes) => options.onProgress?.({deltaBytes, role: sibling.role, totalBytes}),
      ...(options.partSize === undefined ? {} : {partSize: options.partSize}),
      ...(state.multipart === undefined ? {} : {resume: state.multipart}),
      ...(options.retry === undefined ? {} : {retry: options.retry}),
    })
    if (sibling.role === 'tarball') {
      multipart = uploaded.multipart
      resumedParts = uploaded.resumedParts
    }
    const proven = await proveStored({
      bucket, client, key: sibling.key, now: now(), uploaded,
      ...(lock === undefined ? {} : {lock}),
      ...(options.readBack === true ? {readBack: true} : {}),
      ...(options.retry === undefined ? {} : {retry: options.retry}),
    })
    const pushed: PushedObject = {
      key: sibling.key, proof: proven.proof, sha256: uploaded.digests.sha256Hex, size, verifiedAt: now().toISOString(),
      ...(proven.versionId === undefined ? {} : {versionId: proven.versionId}),
    }
    await save({objects: {...state.objects, [sibling.role]: pushed}})
    return pushed
  }

  for (const sibling of siblings) await pushOne(sibling)
  const tar = state.objects?.tarball as PushedObject
  if (options.recordVerified !== undefined && state.custodyRecorded !== true) {
    await options.recordVerified(custodyFile, {
      bucket, bundleSha256: tar.sha256, caseId: identity.caseId, host: identity.host, key: tar.key,
      legalHold: lock?.legalHold ?? false,
      ...(tar.proof === undefined ? {} : {proof: tar.proof}),
      ...(lock === undefined ? {} : {mode: lock.mode, retainUntil: lock.retainUntil.toISOString()}),
      ...(tar.versionId === undefined ? {} : {versionId: tar.versionId}),
      versions: objectVersions(state.objects),
    })
    await save({custodyRecorded: true})
  }
  if (await exists(custodyFile)) await pushOne({file: custodyFile, key: keys.custody, role: 'custody'})

  const final: PushState = {
    ...state, lastError: undefined, multipart: undefined, proof: tar.proof, sha256: tar.sha256, status: 'pushed',
    verifiedAt: tar.verifiedAt, versionId: tar.versionId,
    ...(lock === undefined ? {} : {legalHold: lock.legalHold}),
  }
  delete final.lastError
  delete final.multipart
  await writePushState(tarball, final)
  return resultFromState(tarball, final, false, {multipart, resumedParts})
}
