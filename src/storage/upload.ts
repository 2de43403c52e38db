/**
 * Uploads one file under Object Lock: a single PutObject up to the part size, multipart above it.
 * Every byte is read once: each part is read into a buffer (a pool of `concurrency + 1` of them, so
 * memory is bounded), hashed there (the part's MD5, and the whole file's SHA-256 in file order),
 * and sent from the same buffer. Content-MD5 goes with every write (the server refuses a body that
 * does not match it); the server's answer is then checked against what was sent: each part's ETag
 * must be the MD5 of that part's bytes, a single PUT's ETag the MD5 of the file, and the completed
 * object's ETag is computed here (MD5 of the part MD5s, `-N`) for proof.ts to compare.
 * RGW 16 ignores lock headers on CreateMultipartUpload, so after completion retention (and legal
 * hold) are set with PutObjectRetention / PutObjectLegalHold on the new version: the end state is
 * the same on AWS and RGW.
 */
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, ListMultipartUploadsCommand,
  ListPartsCommand, PutObjectCommand, PutObjectLegalHoldCommand, PutObjectRetentionCommand, UploadPartCommand,
  type CompletedPart, type Part, type S3Client,
} from '@aws-sdk/client-s3'
import {createHash, type Hash} from 'node:crypto'
import {open, type FileHandle} from 'node:fs/promises'
import {Readable} from 'node:stream'

import {PushError} from '../core/errors.js'
import type {Digests} from './file-hash.js'
import type {MultipartState} from './push-state.js'
import type {LockSettings} from './retention.js'
import {withRetry, type RetryOptions} from './retry.js'
import {s3ErrorName} from './s3-client.js'

export const MIN_PART_SIZE = 5 * 1024 * 1024
export const DEFAULT_PART_SIZE = 32 * 1024 * 1024
export const DEFAULT_CONCURRENCY = 4
const MAX_PARTS = 10_000
/** Reads and sends in 1 MiB slices: small enough to keep the event loop free between them. */
const SLICE = 1024 * 1024

export interface UploadRequest {
  bucket: string
  client: S3Client
  /** Parts in flight at once (multipart only). */
  concurrency?: number
  contentType?: string
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
  /** The file's size (stat), which decides single PUT or multipart. */
  size: number
}

export interface UploadResult {
  /** Digests of the bytes sent (the whole file's MD5 only for a single PUT). */
  digests: Digests
  /** The ETag the stored object must have: `MD5` of the file, or `MD5(part MD5s)-N`, unquoted. */
  expectedEtag: string
  multipart: boolean
  parts: number
  /** Parts found already on the server (their ETag equal to the local part's MD5) and reused. */
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

export const unquoteEtag = (etag: string | undefined): string => (etag ?? '').replace(/^"|"$/g, '').toLowerCase()

/** An ETag that is an MD5 (single PUT or part: 32 hex digits) or a multipart one (`HEX-N`). */
export const isMd5Etag = (etag: string): boolean => /^[0-9a-f]{32}(-\d+)?$/.test(etag)

/** The ETag S3 gives a multipart object: MD5 of the concatenated binary part MD5s, `-` and the part count. */
export function multipartEtag(partMd5s: readonly Buffer[]): string {
  return `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`
}

/**
 * The server's ETag for bytes just sent must be their MD5. One that is not an MD5 at all (SSE-KMS,
 * SSE-C on AWS) proves nothing either way and is left to the object proof (checksum or read-back).
 */
export function checkSentEtag(returned: string | undefined, md5Hex: string, what: string): void {
  const etag = unquoteEtag(returned)
  if (etag === '' || !isMd5Etag(etag) || etag === md5Hex) return
  throw new PushError(`${what}: the server's ETag is ${etag}, but the MD5 of the bytes sent is ${md5Hex}: it did not store what was sent`, {
    code: 'E_PUSH_PROOF',
  })
}

/** A buffer as a stream of 1 MiB slices (views, not copies) that counts what the socket took. */
function bufferBody(buffer: Buffer, counter: {sent: number}, onProgress?: (d: number) => void): Readable {
  let offset = 0
  return new Readable({
    highWaterMark: SLICE,
    read() {
      if (offset >= buffer.length) {
        this.push(null)
        return
      }
      const slice = buffer.subarray(offset, Math.min(offset + SLICE, buffer.length))
      offset += slice.length
      counter.sent += slice.length
      onProgress?.(slice.length)
      this.push(slice)
    },
  })
}

/** Reads `[start, start + length)` into `buffer` slice by slice, feeding every hash given; returns the view. */
async function readInto(file: FileHandle, buffer: Buffer, start: number, length: number, hashes: Hash[]): Promise<Buffer> {
  let done = 0
  while (done < length) {
    const want = Math.min(SLICE, length - done)
    const {bytesRead} = await file.read(buffer, done, want, start + done)
    if (bytesRead === 0) throw new PushError(`the file ended ${length - done} bytes early while it was being uploaded: it changed during the push`, {code: 'E_PUSH_CHANGED'})
    const slice = buffer.subarray(done, done + bytesRead)
    for (const hash of hashes) hash.update(slice)
    done += bytesRead
  }
  return buffer.subarray(0, length)
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
  const file = await open(request.file, 'r')
  try {
    if (request.size <= partSize) return await putSingle(request, file)
    return await putMultipart(request, file, Math.max(partSize, Math.ceil(request.size / MAX_PARTS)))
  } finally {
    await file.close()
  }
}

function finishDigests(size: number, sha256: Hash, md5?: Hash): Digests {
  const sha = sha256.digest()
  return {md5Base64: md5?.digest('base64') ?? '', sha256Base64: sha.toString('base64'), sha256Hex: sha.toString('hex'), size}
}

async function putSingle(request: UploadRequest, file: FileHandle): Promise<UploadResult> {
  const {bucket, client, key, size} = request
  const md5 = createHash('md5')
  const sha256 = createHash('sha256')
  const body = await readInto(file, Buffer.allocUnsafe(size), 0, size, [md5, sha256])
  const digests = finishDigests(size, sha256, md5)
  const md5Hex = Buffer.from(digests.md5Base64, 'base64').toString('hex')
  const out = await sendCounted(request, (counter) => client.send(new PutObjectCommand({
    Body: bufferBody(body, counter, request.onProgress),
    Bucket: bucket,
    // AWS verifies it and keeps it (HeadObject with ChecksumMode returns it); RGW 16 ignores it.
    ChecksumSHA256: digests.sha256Base64,
    ContentLength: size,
    ContentMD5: digests.md5Base64,
    ContentType: request.contentType ?? 'application/octet-stream',
    Key: key,
    Metadata: {sha256: digests.sha256Hex},
    ...lockFields(request.lock),
  })))
  checkSentEtag(out.ETag, md5Hex, `PutObject of ${key}`)
  return {
    digests, expectedEtag: md5Hex, multipart: false, parts: 1, resumedParts: 0,
    ...(out.VersionId === undefined ? {} : {versionId: out.VersionId}),
  }
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

/**
 * Finds an unfinished upload of this file to resume: from our state first, else by listing the
 * key's uploads. Only parts whose ETag equals the local part's MD5 are reused, so a changed file
 * simply sends its changed parts again.
 */
async function findResumable(request: UploadRequest, partSize: number): Promise<undefined | {parts: Part[]; uploadId: string}> {
  const {resume, size} = request
  const candidates: string[] = []
  if (resume !== undefined && resume.bucket === request.bucket && resume.key === request.key && resume.size === size && resume.partSize === partSize) {
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
        && p.Size === Math.min(partSize, size - (p.PartNumber - 1) * partSize))) {
        return {parts, uploadId}
      }
    } catch (error) {
      if (s3ErrorName(error) !== 'NoSuchUpload') throw error
    }
  }
  return undefined
}

async function putMultipart(request: UploadRequest, file: FileHandle, partSize: number): Promise<UploadResult> {
  const {bucket, client, key, size} = request
  const found = await findResumable(request, partSize)
  let uploadId = found?.uploadId
  if (uploadId === undefined) {
    const created = await withRetry(() => client.send(new CreateMultipartUploadCommand({
      Bucket: bucket,
      ContentType: request.contentType ?? 'application/octet-stream',
      Key: key,
      ...lockFields(request.lock),
    })), request.retry)
    uploadId = created.UploadId
    if (uploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId')
  }
  const id = uploadId
  await request.onMultipartState?.({bucket, key, partSize, size, uploadId: id})

  const planned = planParts(size, partSize)
  const onServer = new Map((found?.parts ?? []).map((p) => [p.PartNumber, unquoteEtag(p.ETag)]))
  const partMd5s: Buffer[] = []
  const completed: CompletedPart[] = []
  const whole = createHash('sha256')
  const concurrency = Math.max(1, Math.min(request.concurrency ?? DEFAULT_CONCURRENCY, planned.length))
  // One more buffer than parts in flight: the next part is read and hashed while the others go out.
  const free: Buffer[] = []
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  let resumedParts = 0

  const send = async (part: PlannedPart, body: Buffer, md5: Buffer): Promise<void> => {
    const md5Hex = md5.toString('hex')
    const out = await sendCounted(request, (counter) => client.send(new UploadPartCommand({
      Body: bufferBody(body, counter, request.onProgress),
      Bucket: bucket,
      ContentLength: part.length,
      ContentMD5: md5.toString('base64'),
      Key: key,
      PartNumber: part.number,
      UploadId: id,
    })))
    checkSentEtag(out.ETag, md5Hex, `part ${part.number} of ${key}`)
    completed.push({ETag: out.ETag ?? `"${md5Hex}"`, PartNumber: part.number})
  }

  for (const part of planned) {
    while (inFlight.size >= concurrency && failure === undefined) await Promise.race(inFlight)
    if (failure !== undefined) break
    const buffer = free.pop() ?? Buffer.allocUnsafeSlow(partSize)
    const partHash = createHash('md5')
    const body = await readInto(file, buffer, part.start, part.length, [partHash, whole])
    const md5 = partHash.digest()
    partMd5s.push(md5)
    if (onServer.get(part.number) === md5.toString('hex')) {
      resumedParts++
      request.onProgress?.(part.length)
      completed.push({ETag: `"${md5.toString('hex')}"`, PartNumber: part.number})
      free.push(buffer)
      continue
    }
    const task: Promise<void> = send(part, body, md5)
      .catch((error: unknown) => { failure ??= error })
      .finally(() => {
        free.push(buffer)
        inFlight.delete(task)
      })
    inFlight.add(task)
  }
  await Promise.all(inFlight)
  if (failure !== undefined) throw failure
  completed.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0))
  const expectedEtag = multipartEtag(partMd5s)

  let versionId: string | undefined
  try {
    const done = await withRetry(() => client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: key, MultipartUpload: {Parts: completed}, UploadId: id,
    })), request.retry)
    versionId = done.VersionId
  } catch (error) {
    // A reset after the server completed it: the retry then finds no upload. Accept only our own object.
    if (s3ErrorName(error) !== 'NoSuchUpload') throw error
    const head = await withRetry(() => client.send(new HeadObjectCommand({Bucket: bucket, Key: key})), request.retry)
    if (head.ContentLength !== size || unquoteEtag(head.ETag) !== expectedEtag) {
      throw new Error(`multipart upload of ${key} did not complete (no upload and no matching object)`)
    }
    versionId = head.VersionId
  }
  await request.onMultipartState?.(undefined)
  if (request.lock !== undefined) await applyLock(request, versionId)
  return {
    digests: finishDigests(size, whole), expectedEtag, multipart: true, parts: planned.length, resumedParts,
    ...(versionId === undefined ? {} : {versionId}),
  }
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
