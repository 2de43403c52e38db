/**
 * What the server says about one version: its retention mode, retain-until and legal hold, and a
 * SHA-256 of its bytes streamed back (push --read-back, verify s3://).
 */
import {
  GetObjectCommand, GetObjectLegalHoldCommand, GetObjectRetentionCommand, type S3Client,
} from '@aws-sdk/client-s3'
import type {Readable} from 'node:stream'

import {sha256Stream} from './file-hash.js'
import {withRetry, type RetryOptions} from './retry.js'
import {s3ErrorName} from './s3-client.js'

export interface ObjectRetention {
  legalHold: boolean
  mode?: string
  retainUntil?: Date
}

const NO_LOCK = new Set(['ObjectLockConfigurationNotFoundError', 'NoSuchObjectLockConfiguration', 'InvalidRequest'])

/** Retention and legal hold of one version, asked for explicitly (not only from HeadObject's headers). */
export async function readRetention(
  client: S3Client, bucket: string, key: string, versionId: string | undefined, retry?: RetryOptions,
): Promise<ObjectRetention> {
  const retention = await withRetry(() => client.send(new GetObjectRetentionCommand({Bucket: bucket, Key: key, VersionId: versionId})), retry)
    .then((out) => out.Retention)
    .catch((error: unknown) => {
      if (NO_LOCK.has(s3ErrorName(error) ?? '')) return undefined
      throw error
    })
  const legalHold = await withRetry(() => client.send(new GetObjectLegalHoldCommand({Bucket: bucket, Key: key, VersionId: versionId})), retry)
    .then((out) => out.LegalHold?.Status === 'ON')
    .catch((error: unknown) => {
      if (NO_LOCK.has(s3ErrorName(error) ?? '')) return false
      throw error
    })
  return {
    legalHold,
    ...(retention?.Mode === undefined ? {} : {mode: retention.Mode}),
    ...(retention?.RetainUntilDate === undefined ? {} : {retainUntil: new Date(retention.RetainUntilDate)}),
  }
}

/** Streams the version down and hashes it; nothing is buffered beyond a chunk. */
export async function hashRemoteObject(
  client: S3Client, bucket: string, key: string, versionId: string | undefined, retry?: RetryOptions,
): Promise<{sha256: string; size: number}> {
  return withRetry(async () => {
    const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key, VersionId: versionId}))
    const digests = await sha256Stream(out.Body as Readable)
    return {sha256: digests.sha256Hex, size: digests.size}
  }, retry)
}
