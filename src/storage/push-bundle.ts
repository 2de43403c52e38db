/**
 * Pushes one bundle (tarball, `.sig`, one-time `.pub` if present, custody sidecar) to a WORM bucket,
 * reads every object back on its VersionId, records a `retention-verified` custody event, and only
 * then marks the bundle pushed. Any failure leaves `NAME.push.json` pending with the error; the
 * local files are never deleted. A re-run skips objects already verified and resumes multipart.
 */
import type {S3Client} from '@aws-sdk/client-s3'
import {stat} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {PushError, errnoCode, errorMessage} from '../core/errors.js'
import {bundleIdentity} from './bundle-identity.js'
import {hashFile} from './file-hash.js'
import {bundleKeys, bundleNameFromPath} from './object-key.js'
import {readPushState, writePushState, type ObjectRole, type PushState, type PushedObject} from './push-state.js'
import {readBack} from './read-back.js'
import {retentionProblems, type LockSettings} from './retention.js'
import type {RetryOptions} from './retry.js'
import {describeS3Error} from './s3-client.js'
import {uploadFile} from './upload.js'

/** What the custody recorder is told after the tarball's read-back succeeded. */
export interface RetentionVerifiedEvent {
  bucket: string
  bundleSha256: string
  caseId: string
  host: string
  key: string
  legalHold: boolean
  mode?: string
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
    const digests = await hashFile(sibling.file)
    const done = state.objects?.[sibling.role]
    if (done?.verifiedAt !== undefined && done.sha256 === digests.sha256Hex && done.key === sibling.key) {
      options.onProgress?.({deltaBytes: digests.size, role: sibling.role, totalBytes})
      return done
    }
    const uploaded = await uploadFile({
      bucket, client, digests, file: sibling.file, key: sibling.key,
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
    const back = await readBack(client, bucket, sibling.key, uploaded.versionId, options.retry)
    const problems: string[] = []
    if (back.size !== digests.size) problems.push(`size read back is ${back.size}, local file has ${digests.size}`)
    if (back.sha256 !== digests.sha256Hex) problems.push(`SHA-256 read back is ${back.sha256}, local file has ${digests.sha256Hex}`)
    if (lock !== undefined) problems.push(...retentionProblems(back.retention, lock, now()))
    if (problems.length > 0) {
      throw new PushError(`read-back of s3://${bucket}/${sibling.key} (version ${back.versionId ?? 'none'}) failed: ${problems.join('; ')}`, {
        code: 'E_PUSH_READBACK',
      })
    }
    const pushed: PushedObject = {
      key: sibling.key, sha256: digests.sha256Hex, size: digests.size, verifiedAt: now().toISOString(),
      ...(back.versionId === undefined ? {} : {versionId: back.versionId}),
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
      ...(lock === undefined ? {} : {mode: lock.mode, retainUntil: lock.retainUntil.toISOString()}),
      ...(tar.versionId === undefined ? {} : {versionId: tar.versionId}),
      versions: objectVersions(state.objects),
    })
    await save({custodyRecorded: true})
  }
  if (await exists(custodyFile)) await pushOne({file: custodyFile, key: keys.custody, role: 'custody'})

  const final: PushState = {
    ...state, lastError: undefined, multipart: undefined, sha256: tar.sha256, status: 'pushed',
    verifiedAt: tar.verifiedAt, versionId: tar.versionId,
    ...(lock === undefined ? {} : {legalHold: lock.legalHold}),
  }
  delete final.lastError
  delete final.multipart
  await writePushState(tarball, final)
  return resultFromState(tarball, final, false, {multipart, resumedParts})
}
