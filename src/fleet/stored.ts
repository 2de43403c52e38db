/** The controller's own look at S3: is the version a host reported there, and under which lock. */
import {HeadObjectCommand, type S3Client} from '@aws-sdk/client-s3'

import {readRetention} from '../storage/read-back.js'
import {describeS3Error} from '../storage/s3-client.js'
import type {StoredCheck, StoredLookup} from './host-state.js'

export function storedLookup(client: S3Client, bucket: string): StoredLookup {
  return async (key, versionId): Promise<StoredCheck> => {
    try {
      const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: key, VersionId: versionId}))
      const retention = await readRetention(client, bucket, key, head.VersionId ?? versionId)
      return {
        ok: true,
        ...(retention.mode === undefined ? {} : {mode: retention.mode}),
        ...(retention.retainUntil === undefined ? {} : {retainUntil: retention.retainUntil.toISOString()}),
      }
    } catch (error) {
      return {error: describeS3Error(error), ok: false}
    }
  }
}
