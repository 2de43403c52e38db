/**
 * Proof that the server stored exactly the bytes sent, on the exact VersionId, under the retention
 * asked for. By default without moving the bytes again: HeadObject's size, VersionId and ETag
 * (the MD5 of the file for a single PUT, `MD5(part MD5s)-N` for multipart, both computed from the
 * bytes as they were sent), and a SHA-256 checksum when the server keeps one (AWS does, for a single
 * PUT that sent it; Ceph RGW 16 ignores checksums). With `readBack` the object is also streamed
 * down and its SHA-256 compared (the old default, kept as `push --read-back`). Anything that cannot
 * be proven is a problem: the push fails and the bundle stays pending.
 */
import {HeadObjectCommand, type S3Client} from '@aws-sdk/client-s3'

import {PushError} from '../core/errors.js'
import type {ProofKind} from './push-state.js'
import {hashRemoteObject, readRetention, type ObjectRetention} from './read-back.js'
import {retentionProblems, type LockSettings} from './retention.js'
import {withRetry, type RetryOptions} from './retry.js'
import {isMd5Etag, unquoteEtag, type UploadResult} from './upload.js'

export type {ProofKind} from './push-state.js'

export const PROOF_DESCRIPTIONS: Record<ProofKind, string> = {
  'checksum-sha256': "the server's SHA-256 checksum equals the SHA-256 of the bytes sent",
  'etag-md5': "the server's ETag equals the MD5 computed from the bytes sent",
  'read-back': 'size and SHA-256 read back',
}

export interface ProofRequest {
  bucket: string
  client: S3Client
  key: string
  lock?: LockSettings
  now: Date
  readBack?: boolean
  retry?: RetryOptions
  uploaded: UploadResult
}

export interface ProofResult {
  /** Every check that held, strongest first. */
  checks: ProofKind[]
  proof: ProofKind
  retention: ObjectRetention
  versionId?: string
}

/** The retention HeadObject reported, or (when it sent no lock headers) asked for explicitly. */
async function retentionOf(request: ProofRequest, head: {ObjectLockLegalHoldStatus?: string; ObjectLockMode?: string; ObjectLockRetainUntilDate?: Date}, versionId: string | undefined): Promise<ObjectRetention> {
  if (head.ObjectLockMode !== undefined && head.ObjectLockRetainUntilDate !== undefined) {
    return {legalHold: head.ObjectLockLegalHoldStatus === 'ON', mode: head.ObjectLockMode, retainUntil: new Date(head.ObjectLockRetainUntilDate)}
  }
  return readRetention(request.client, request.bucket, request.key, versionId, request.retry)
}

export async function proveStored(request: ProofRequest): Promise<ProofResult> {
  const {bucket, client, key, uploaded} = request
  const head = await withRetry(() => client.send(new HeadObjectCommand({
    Bucket: bucket, ChecksumMode: 'ENABLED', Key: key, VersionId: uploaded.versionId,
  })), request.retry)
  const versionId = uploaded.versionId ?? head.VersionId
  const problems: string[] = []
  const checks: ProofKind[] = []
  if (uploaded.versionId !== undefined && head.VersionId !== undefined && head.VersionId !== uploaded.versionId) {
    problems.push(`HeadObject answered for version ${head.VersionId}, not the version ${uploaded.versionId} just written`)
  }
  if (head.ContentLength !== uploaded.digests.size) problems.push(`the server holds ${head.ContentLength ?? 'an unknown number of'} bytes, ${uploaded.digests.size} were sent`)

  const etag = unquoteEtag(head.ETag)
  if (isMd5Etag(etag)) {
    if (etag === uploaded.expectedEtag) checks.push('etag-md5')
    else problems.push(`the server's ETag is ${etag}, but the MD5${uploaded.multipart ? 's of the parts' : ''} of the bytes sent give ${uploaded.expectedEtag}`)
  }
  // A full-object SHA-256 (single PUT with x-amz-checksum-sha256 on AWS); a composite one (`…-N`) is not ours to compare.
  const checksum = head.ChecksumSHA256
  if (checksum !== undefined && !checksum.includes('-') && !uploaded.multipart) {
    if (checksum === uploaded.digests.sha256Base64) checks.unshift('checksum-sha256')
    else problems.push(`the server's SHA-256 checksum is ${checksum}, but the bytes sent have ${uploaded.digests.sha256Base64}`)
  }
  if (request.readBack === true) {
    const back = await hashRemoteObject(client, bucket, key, versionId, request.retry)
    if (back.size !== uploaded.digests.size) problems.push(`size read back is ${back.size}, ${uploaded.digests.size} were sent`)
    if (back.sha256 === uploaded.digests.sha256Hex) checks.unshift('read-back')
    else problems.push(`SHA-256 read back is ${back.sha256}, the bytes sent have ${uploaded.digests.sha256Hex}`)
  }
  if (checks.length === 0 && problems.length === 0) {
    problems.push(`nothing proves the stored bytes: the server's ETag ${etag === '' ? '(none)' : etag} is not an MD5 (server-side encryption with KMS or a customer key?) and it returned no SHA-256 checksum; push again with --read-back`)
  }
  const retention = await retentionOf(request, head, versionId)
  if (request.lock !== undefined) problems.push(...retentionProblems(retention, request.lock, request.now))
  if (problems.length > 0) {
    throw new PushError(`proof of s3://${bucket}/${key} (version ${versionId ?? 'none'}) failed: ${problems.join('; ')}`, {code: 'E_PUSH_PROOF'})
  }
  return {checks, proof: checks[0] as ProofKind, retention, ...(versionId === undefined ? {} : {versionId})}
}
