/**
 * The bundles of a case in a bucket: every tarball (or .age ciphertext) below
 * `s3://BUCKET/[PREFIX/]CASE/`, where push and fleet collection put them (`CASE/HOST/NAME.tar.gz`).
 * The fleet run manifests under `_fleet/` are not bundles.
 */
import {ExitCode} from '../cli/exit-codes.js'
import {HipaaIrError, UsageError} from '../core/errors.js'
import {BUNDLE_SUFFIX, isSafeSegment} from './object-key.js'
import {listVersionedKeys} from './object-versions.js'
import type {RetryOptions} from './retry.js'
import {createS3Client, describeS3Error} from './s3-client.js'

export interface CasePrefix {
  bucket: string
  /** The key prefix, ending in `/` (or '' for the whole bucket). */
  prefix: string
}

/** `s3://bucket/[prefix/]CASE/` → bucket and prefix; a usage error when it is not such a URL. */
export function parseCasePrefix(url: string): CasePrefix {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url)
  const segments = (match?.[2] ?? '').split('/').filter((s) => s !== '')
  if (match === null || !segments.every((s) => isSafeSegment(s))) {
    throw new UsageError(`${url} is not an s3://BUCKET/[PREFIX/]CASE/ prefix`, {code: 'E_S3_URL', suggestions: ['for example s3://evidence/IR-2026-014/']})
  }
  return {bucket: match[1] as string, prefix: segments.length === 0 ? '' : `${segments.join('/')}/`}
}

/** The s3:// URL of every bundle below the prefix, sorted. */
export async function listCaseBundles(url: string, options: {endpoint?: string; retry?: RetryOptions} = {}): Promise<string[]> {
  const {bucket, prefix} = parseCasePrefix(url)
  const client = createS3Client(options.endpoint === undefined ? {} : {endpoint: options.endpoint})
  try {
    const keys = await listVersionedKeys(client, bucket, prefix, options.retry)
    return keys
      .filter((key) => BUNDLE_SUFFIX.test(key) && !key.slice(prefix.length).split('/').includes('_fleet'))
      .map((key) => `s3://${bucket}/${key}`)
  } catch (error) {
    throw new HipaaIrError(`cannot list ${url}: ${describeS3Error(error)}`, ExitCode.Unexpected, {
      cause: error, code: 'E_S3_READ', suggestions: ['check the endpoint (--endpoint or AWS_ENDPOINT_URL_S3), the credentials (standard AWS chain) and s3:ListBucketVersions permission'],
    })
  } finally {
    client.destroy()
  }
}
