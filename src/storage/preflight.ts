/**
 * Before anything is written: is the bucket there and does it have Object Lock? Read-only
 * (GetObjectLockConfiguration); never a test object, which in a COMPLIANCE bucket could never be deleted.
 */
import {GetObjectLockConfigurationCommand, type S3Client} from '@aws-sdk/client-s3'

import {PushError} from '../core/errors.js'
import {withRetry, type RetryOptions} from './retry.js'
import {describeS3Error, httpStatus, s3ErrorName} from './s3-client.js'

export interface PreflightResult {
  /** The bucket's default retention, if it has one (informational). */
  defaultRetention?: {days?: number; mode?: string; years?: number}
  locked: boolean
}

const NOT_LOCKED = new Set(['ObjectLockConfigurationNotFoundError', 'NoSuchObjectLockConfiguration'])

export function createLockedBucketHint(bucket: string, endpoint: string | undefined): string {
  const endpointArg = endpoint === undefined ? '' : ` --endpoint-url ${endpoint}`
  return `create a bucket with Object Lock (it can only be switched on at creation on most servers): aws s3api create-bucket --bucket ${bucket} --object-lock-enabled-for-bucket${endpointArg}`
}

/**
 * Throws PushError (exit 5) when the bucket is missing, unreachable, or has no Object Lock and
 * `allowUnlocked` is false. Returns what it found otherwise.
 */
export async function preflightBucket(
  client: S3Client,
  bucket: string,
  options: {allowUnlocked?: boolean; endpoint?: string; retry?: RetryOptions} = {},
): Promise<PreflightResult> {
  try {
    const out = await withRetry(() => client.send(new GetObjectLockConfigurationCommand({Bucket: bucket})), options.retry)
    const config = out.ObjectLockConfiguration
    if (config?.ObjectLockEnabled === 'Enabled') {
      const rule = config.Rule?.DefaultRetention
      return {
        locked: true,
        ...(rule === undefined ? {} : {defaultRetention: {days: rule.Days, mode: rule.Mode, years: rule.Years}}),
      }
    }
  } catch (error) {
    if (error instanceof PushError) throw error
    const name = s3ErrorName(error)
    if (name === 'NoSuchBucket') {
      throw new PushError(`bucket ${bucket} does not exist`, {
        code: 'E_PUSH_NO_BUCKET', suggestions: [createLockedBucketHint(bucket, options.endpoint)],
      })
    }
    if (!(name !== undefined && NOT_LOCKED.has(name)) && httpStatus(error) !== 404) {
      throw new PushError(`cannot read the Object Lock configuration of bucket ${bucket}: ${describeS3Error(error)}`, {
        cause: error, code: 'E_PUSH_PREFLIGHT',
        suggestions: ['check the endpoint, the credentials (standard AWS chain) and s3:GetBucketObjectLockConfiguration permission'],
      })
    }
  }
  if (options.allowUnlocked === true) return {locked: false}
  throw new PushError(`bucket ${bucket} has no Object Lock: evidence there could be deleted or overwritten, so nothing was written`, {
    code: 'E_PUSH_UNLOCKED',
    suggestions: [createLockedBucketHint(bucket, options.endpoint), 'for a drill only, --allow-unlocked pushes anyway'],
  })
}
