/**
 * Uploads one file under Object Lock: a single PutObject up to the part size, multipart above it.
 * Bounded memory: parts are streamed from the file (hashed in one pass, sent in a second).
 * RGW 16 ignores lock headers on CreateMultipartUpload, so after completion retention (and legal
 * hold) are set with PutObjectRetention / PutObjectLegalHold on the new version: the end state is
 * the same on AWS and RGW. Content-MD5 (the server checks it) and a precomputed SHA-256 go with
 * every write; AWS requires one of them on Object Lock writes.
 */
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  ListPartsCommand, PutObjectCommand, PutObjectLegalHoldCommand, PutObjectRetentionCommand, UploadPartCommand,
  type CompletedPart, type Part, type S3Client,
} from '@aws-sdk/client-s3'
import {createReadStream} from 'node:fs'
import {Transform, type Readable} from 'node:stream'

import {hashFile, type Digests} from './file-hash.js'
import type {MultipartState} from './push-state.js'
import type {LockSettings} from './retention.js'
import {withRetry, type RetryOptions} from './retry.js'
import {s3ErrorName} from './s3-client.js'

export const MIN_PART_SIZE = 5 * 1024 * 1024
export const DEFAULT_PART_SIZE = 64 * 1024 * 1024
const MAX_PARTS = 10_000

export interface UploadRequest {
  bucket: string
  client: S3Client
  /** Parts in flight at once (multipart only). */
  concurrency?: number
  contentType?: string
  /** Digests of the whole file, computed beforehand. */
  digests: Digests
  file: string
  /** Undefined for a drill into an unlocked bucket (--allow-unlocked). */
  lock?: LockSettings
  /** Saves or clears (undefined) the resumable multipart state; called before the first part. */
  onMultipartState?: (state: MultipartState | undefined) => Promise<void>
  /** Bytes sent (negative when a failed attempt is rolled back). */
  onProgress?: (deltaBytes: number) => void
  key: string
  partSize?: number
  /** State left by an interrupted run, if any. */
  resume?: MultipartState
  retry?: RetryOptions
}

export interface UploadResult {
  multipart: boolean
  parts: number
  /** Parts found already on the server and reused. */
  resumedParts: number
  versionId?: string
}

/** Object Lock request fields for PutObject / CreateMultipartUpload. */
function lockFields(lock: LockSettings | undefined) {
  if (lock === undefined) return {}
  return {
    ObjectLockLegalHoldStatus: lock.legalHold ? ('ON' as const) : undefined,
    ObjectLockMode: lock.mode,
    ObjectLockRetainUntilDate: lock.retainUntil,
  }
}

/** A byte range of the file as a stream that reports progress as it is read. */
function rangeBody(file: string, start: number, length: number, counter: {sent: number}, onProgress?: (d: number) => void): Readable {
  // 1 MiB reads: a 64 KiB default means sixteen times as many chunks through the stream and socket machinery.
  const source = length === 0 ? createReadStream(file, {end: -1, start: 0}) : createReadStream(file, {end: start + length - 1, highWaterMark: 1024 * 1024, start})
  const counting = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.sent += chunk.length
      onProgress?.(chunk.length)
      done(null, chunk)
    },
  })
  source.on('error', (error) => counting.destroy(error))
  counting.on('close', () => source.destroy())
  return source.pipe(counting)
}

/** One attempt's progress is rolled back when the attempt fails, so the bar never overshoots. */
async function sendCounted<T>(request: UploadRequest, attemptFn: (counter: {sent: number}) => Promise<T>): Promise<T> {
  return withRetry(async () => {
    const counter = {sent: 0}
    try {
      return await attemptFn(counter)
    } catch (error) {
      if (counter.sent > 0) request.onProgress?.(-counter.sent)
      throw error
    }
  }, request.retry)
}

export async function uploadFile(request: UploadRequest): Promise<UploadResult> {
  const partSize = request.partSize ?? DEFAULT_PART_SIZE
  if (partSize < MIN_PART_SIZE) throw new RangeError(`part size must be at least ${MIN_PART_SIZE} bytes (5 MiB)`)
  if (request.digests.size <= partSize) return putSingle(request)
  return putMultipart(request, Math.max(partSize, Math.ceil(request.digests.size / MAX_PARTS)))
}

async function putSingle(request: UploadRequest): Promise<UploadResult> {
  const {bucket, client, file, key} = request
  // Content-MD5 is needed for a single PUT; a whole-file hash may have left it out (see hashFile).
  const digests = request.digests.md5Base64 === '' ? {...request.digests, md5Base64: (await hashFile(file, undefined, {md5: true})).md5Base64} : request.digests
  const out = await sendCounted(request, (counter) => client.send(new PutObjectCommand({
    Body: rangeBody(file, 0, digests.size, counter, request.onProgress),
    Bucket: bucket,
    ChecksumSHA256: digests.sha256Base64,
    ContentLength: digests.size,
    ContentMD5: digests.md5Base64,
    ContentType: request.contentType ?? 'application/octet-stream',
    Key: key,
    Metadata: {sha256: digests.sha256Hex},
    ...lockFields(request.lock),
  })))
  return {multipart: false, parts: 1, resumedParts: 0, ...(out.VersionId === undefined ? {} : {versionId: out.VersionId})}
}

interface PlannedPart {
  length: number
  number: number
  start: number
}

function planParts(size: number, partSize: number): PlannedPart[] {
  const parts: PlannedPart[] = []
  for (let start = 0, n = 1; start < size; start += partSize, n++) parts.push({length: Math.min(partSize, size - start), number: n, start})
  return parts
}

const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '')

async function listAllParts(request: UploadRequest, uploadId: string): Promise<Part[]> {
  const parts: Part[] = []
  let marker: string | undefined
  do {
    const page = await withRetry(() => request.client.send(new ListPartsCommand({
      Bucket: request.bucket, Key: request.key, PartNumberMarker: marker, UploadId: uploadId,
    })), request.retry)
    parts.push(...(page.Parts ?? []))
    marker = page.IsTruncated === true ? page.NextPartNumberMarker : undefined
  } while (marker !== undefined)
  return parts
}

/** Finds an unfinished upload of this very file to resume: from our state first, else by listing the key's uploads. */
async function findResumable(request: UploadRequest, partSize: number): Promise<undefined | {parts: Part[]; uploadId: string}> {
  const {digests, resume} = request
  const candidates: string[] = []
  if (resume !== undefined && resume.bucket === request.bucket && resume.key === request.key
    && resume.sha256 === digests.sha256Hex && resume.size === digests.size && resume.partSize === partSize) {
    candidates.push(resume.uploadId)
  }
  if (candidates.length === 0) {
    const listed = await withRetry(() => request.client.send(new ListMultipartUploadsCommand({
      Bucket: request.bucket, Prefix: request.key,
    })), request.retry)
    for (const upload of listed.Uploads ?? []) {
      if (upload.Key === request.key && upload.UploadId !== undefined) candidates.push(upload.UploadId)
    }
  }
  for (const uploadId of candidates) {
    try {
      const parts = await listAllParts(request, uploadId)
      // Without our state, only adopt an upload whose parts have exactly our layout.
      if (resume?.uploadId === uploadId || parts.every((p) => p.PartNumber !== undefined
        && p.Size === Math.min(partSize, digests.size - (p.PartNumber - 1) * partSize))) {
        return {parts, uploadId}
      }
    } catch (error) {
      if (s3ErrorName(error) !== 'NoSuchUpload') throw error
    }
  }
  return undefined
}

async function putMultipart(request: UploadRequest, partSize: number): Promise<UploadResult> {
  const {bucket, client, digests, key} = request
  const found = await findResumable(request, partSize)
  let uploadId = found?.uploadId
  if (uploadId === undefined) {
    const created = await withRetry(() => client.send(new CreateMultipartUploadCommand({
      Bucket: bucket,
      ChecksumAlgorithm: 'SHA256',
      ContentType: request.contentType ?? 'application/octet-stream',
      Key: key,
      Metadata: {sha256: digests.sha256Hex},
      ...lockFields(request.lock),
    })), request.retry)
    uploadId = created.UploadId
    if (uploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId')
  }
  const id = uploadId
  await request.onMultipartState?.({bucket, key, partSize, sha256: digests.sha256Hex, size: digests.size, uploadId: id})

  const planned = planParts(digests.size, partSize)
  const onServer = new Map((found?.parts ?? []).map((p) => [p.PartNumber, unquote(p.ETag)]))
  const completed: CompletedPart[] = []
  let resumedParts = 0
  let next = 0
  const worker = async () => {
    while (next < planned.length) {
      const part = planned[next++] as PlannedPart
      const partDigests = await hashFile(request.file, {length: part.length, start: part.start})
      const md5Hex = Buffer.from(partDigests.md5Base64, 'base64').toString('hex')
      if (onServer.get(part.number) === md5Hex) {
        resumedParts++
        request.onProgress?.(part.length)
        completed.push({ChecksumSHA256: partDigests.sha256Base64, ETag: `"${md5Hex}"`, PartNumber: part.number})
        continue
      }
      const out = await sendCounted(request, (counter) => client.send(new UploadPartCommand({
        Body: rangeBody(request.file, part.start, part.length, counter, request.onProgress),
        Bucket: bucket,
        ChecksumSHA256: partDigests.sha256Base64,
        ContentLength: part.length,
        ContentMD5: partDigests.md5Base64,
        Key: key,
        PartNumber: part.number,
        UploadId: id,
      })))
      completed.push({ChecksumSHA256: partDigests.sha256Base64, ETag: out.ETag ?? `"${md5Hex}"`, PartNumber: part.number})
    }
  }
  await Promise.all(Array.from({length: Math.min(request.concurrency ?? 4, planned.length)}, worker))
  completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0))

  let versionId: string | undefined
  try {
    const done = await withRetry(() => client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, MultipartUpload: {Parts: completed}, UploadId: id,
    })), request.retry)
    versionId = done.VersionId
  } catch (error) {
    // A reset after the server completed it: the retry then finds no upload. Accept only our own object.
    if (s3ErrorName(error) !== 'NoSuchUpload') throw error
  }
  if (versionId === undefined) {
    const head = await withRetry(() => client.send(new HeadObjectCommand({Bucket: bucket, Key: key})), request.retry)
    if (head.ContentLength !== digests.size || head.Metadata?.sha256 !== digests.sha256Hex) {
      throw new Error(`multipart upload of ${key} did not complete (no upload and no matching object)`)
    }
    versionId = head.VersionId
  }
  await request.onMultipartState?.(undefined)
  if (request.lock !== undefined) await applyLock(request, versionId)
  return {multipart: true, parts: planned.length, resumedParts, ...(versionId === undefined ? {} : {versionId})}
}

/** Sets retention and legal hold on the exact version (needed after multipart on RGW 16; harmless on AWS). */
async function applyLock(request: UploadRequest, versionId: string | undefined): Promise<void> {
  const {bucket, client, key, lock} = request
  if (lock === undefined) return
  await withRetry(() => client.send(new PutObjectRetentionCommand({
    Bucket: bucket, Key: key, Retention: {Mode: lock.mode, RetainUntilDate: lock.retainUntil}, VersionId: versionId,
  })), request.retry)
  if (lock.legalHold) {
    await withRetry(() => client.send(new PutObjectLegalHoldCommand({
      Bucket: bucket, Key: key, LegalHold: {Status: 'ON'}, VersionId: versionId,
    })), request.retry)
  }
}
