/**
 * `verify s3://bucket/key`: streams the bundle and its siblings down into a private folder and
 * checks the object's Object Lock retention, so the caller can verify the local copy like any bundle.
 */
import {GetObjectCommand, type S3Client} from '@aws-sdk/client-s3'
import {createWriteStream} from 'node:fs'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import type {VerifyProblem} from '../integrity/bundle-verify.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {ExitCode} from '../cli/exit-codes.js'
import {HipaaIrError, UsageError, VerificationError} from '../core/errors.js'
import {BUNDLE_SUFFIX, isSafeSegment, parseS3Url} from './object-key.js'
import {readRetention} from './read-back.js'
import {parseMode, retentionProblems, type LockMode} from './retention.js'
import {withRetry, type RetryOptions} from './retry.js'
import {createS3Client, describeS3Error, httpStatus, s3ErrorName} from './s3-client.js'

export interface RemoteCheckOptions {
  /** A client to use; otherwise one is built from `endpoint` and the standard AWS chain. */
  client?: S3Client
  /** Where to put the download (created 0700 if missing); default a new folder under the OS temp dir. */
  downloadDir?: string
  endpoint?: string
  now?: Date
  /** The retention mode the object must have: COMPLIANCE unless told otherwise (e.g. 'governance' for drills). */
  requiredMode?: LockMode | string
  retry?: RetryOptions
  /** A specific version; default the current one. */
  versionId?: string
}

export interface RemoteRetention {
  legalHold: boolean
  mode: null | string
  retainUntil: null | string
}

export interface RemoteCheck {
  bucket: string
  /** The folder holding the downloads; the caller removes it when done. */
  downloadDir: string
  key: string
  localTarball: string
  /** What is wrong on the server side (weak or missing retention, missing .sig); empty when all is well. */
  problems: VerifyProblem[]
  /** The one-time `NAME.pub`, when the bucket holds one. */
  pubPath: null | string
  retention: RemoteRetention
  sigPath: null | string
  versionId: null | string
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion'])

async function download(
  client: S3Client, bucket: string, key: string, versionId: string | undefined, to: string, retry?: RetryOptions,
): Promise<null | {versionId?: string}> {
  try {
    return await withRetry(async () => {
      const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key, VersionId: versionId}))
      await pipeline(out.Body as Readable, createWriteStream(to, {mode: 0o600}))
      return out.VersionId === undefined ? {} : {versionId: out.VersionId}
    }, retry)
  } catch (error) {
    if (NOT_FOUND.has(s3ErrorName(error) ?? '') || httpStatus(error) === 404) return null
    throw error
  }
}

export async function downloadAndCheckRetention(url: string, opts: RemoteCheckOptions = {}): Promise<RemoteCheck> {
  const parsed = parseS3Url(url)
  const base = parsed?.key.split('/').pop() ?? ''
  if (parsed === undefined || !BUNDLE_SUFFIX.test(base) || !isSafeSegment(base)) {
    throw new UsageError(`${url} is not an s3://BUCKET/KEY URL of a bundle tarball (…/NAME.tar.gz or …/NAME.tar.gz.age)`, {code: 'E_S3_URL'})
  }
  const requiredMode = parseMode(opts.requiredMode ?? 'COMPLIANCE')
  const {bucket, key} = parsed
  const client = opts.client ?? createS3Client(opts.endpoint === undefined ? {} : {endpoint: opts.endpoint})
  const dir = opts.downloadDir ?? (await makePrivateTempDir('hipaa-ir-verify-'))
  const stem = key.replace(BUNDLE_SUFFIX, '')
  const name = base.replace(BUNDLE_SUFFIX, '')
  const localTarball = join(dir, base)
  try {
    const got = await download(client, bucket, key, opts.versionId, localTarball, opts.retry)
    if (got === null) {
      throw new VerificationError(`${url} does not exist${opts.versionId === undefined ? ' (or its current version is a delete marker)' : ` in version ${opts.versionId}`}`, {
        code: 'E_S3_NOT_FOUND', suggestions: ['list the versions (aws s3api list-object-versions) and verify a specific one'],
      })
    }
    const versionId = got.versionId
    const sigPath = join(dir, `${base}.sig`)
    const sig = await download(client, bucket, `${key}.sig`, undefined, sigPath, opts.retry)
    const pubPath = join(dir, `${name}.pub`)
    const pub = await download(client, bucket, `${stem}.pub`, undefined, pubPath, opts.retry)

    const now = opts.now ?? new Date()
    const actual = await readRetention(client, bucket, key, versionId, opts.retry)
    const retentionOf = (path: string, found: string[]): VerifyProblem[] => found.map((detail) => ({detail, kind: 'retention', path}))
    const problems = retentionOf(key, retentionProblems(actual, {mode: requiredMode}, now))
    if (sig === null) {
      problems.push({detail: "missing from the bucket: the tarball's signature must be stored next to it", kind: 'missing', path: `${key}.sig`})
    } else {
      const sigRetention = await readRetention(client, bucket, `${key}.sig`, sig.versionId, opts.retry)
      problems.push(...retentionOf(`${key}.sig`, retentionProblems(sigRetention, {mode: requiredMode}, now)))
    }
    return {
      bucket, downloadDir: dir, key, localTarball, problems,
      pubPath: pub === null ? null : pubPath,
      retention: {
        legalHold: actual.legalHold, mode: actual.mode ?? null, retainUntil: actual.retainUntil?.toISOString() ?? null,
      },
      sigPath: sig === null ? null : sigPath,
      versionId: versionId ?? null,
    }
  } catch (error) {
    if (opts.downloadDir === undefined) await removePrivateTempDir(dir)
    if (error instanceof HipaaIrError) throw error
    throw new HipaaIrError(`cannot read ${url}: ${describeS3Error(error)}`, ExitCode.Unexpected, {
      cause: error, code: 'E_S3_READ', suggestions: ['check the endpoint (--endpoint or AWS_ENDPOINT_URL_S3) and the credentials (standard AWS chain)'],
    })
  }
}
