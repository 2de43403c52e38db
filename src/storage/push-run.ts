/**
 * The push workflow shared by `push` and `collect --push`: lock settings from the flags, one
 * preflight per bucket, then each bundle pushed and proven (failures keep their bundle pending).
 */
import type {S3Client} from '@aws-sdk/client-s3'
import {readdir, stat} from 'node:fs/promises'
import {hostname, userInfo} from 'node:os'
import {join, resolve} from 'node:path'

import {PushError, UsageError, errorMessage} from '../core/errors.js'
import {loadSigner, type Signer} from '../integrity/signer.js'
import {createCustodyRecorder} from './custody-record.js'
import {preflightBucket} from './preflight.js'
import {markPending, pushBundle, type PushBundleResult, type PushProgress} from './push-bundle.js'
import {readPushState} from './push-state.js'
import {resolveLockSettings, type RetentionFlags} from './retention.js'
import type {RetryOptions} from './retry.js'
import {BUNDLE_SUFFIX} from './object-key.js'
import {createS3Client, resolveEndpoint} from './s3-client.js'
import {formatDuration, pushDeadlineMs, s3TimeoutsFromEnv, TIMEOUT_VARIABLES, type S3Timeouts} from './s3-timeouts.js'
import {MIN_PART_SIZE} from './upload.js'

export interface PushRunOptions extends RetentionFlags {
  /** Who the custody event names; default `push by USER@HOST`. */
  actor?: string
  allowUnlocked?: boolean
  bucket: string
  /** A ready client (tests); otherwise built from `endpoint` and the standard AWS chain. */
  client?: S3Client
  concurrency?: number
  endpoint?: string
  /** Secret key (signify) that signs the `retention-verified` custody event. */
  keyFile?: string
  now?: () => Date
  onProgress?: (bundle: string, progress: PushProgress) => void
  partSize?: number
  prefix?: string
  /** Prove every object by a full read-back (push --read-back) as well as by its ETag. */
  readBack?: boolean
  retry?: RetryOptions
  /** A signer already loaded (collect passes its own); wins over keyFile. */
  signer?: Signer
  /** Default: s3TimeoutsFromEnv() (HIPAA_IR_S3_* variables, else the defaults). */
  timeouts?: S3Timeouts
}

export interface PushRunResult {
  bucket: string
  endpoint: null | string
  failed: Array<{bundle: string; error: string}>
  locked: boolean
  pushed: PushBundleResult[]
}

/** Every bundle (`*.tar.gz`, `*.tar.gz.age`) in DIR whose push is not yet proven (pending, or never tried), sorted by name. */
export async function findPendingBundles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => BUNDLE_SUFFIX.test(n)).sort()
  const pending: string[] = []
  for (const name of names) {
    const file = join(dir, name)
    if ((await readPushState(file))?.status !== 'pushed') pending.push(file)
  }
  return pending
}

function defaultActor(): string {
  let user = 'unknown'
  try {
    user = userInfo().username
  } catch {
    // no passwd entry (containers): keep "unknown"
  }
  return `hipaa-ir push by ${user}@${hostname()}`
}

async function totalBytes(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f).catch(() => undefined))?.size ?? 0))
  return sizes.reduce((a, b) => a + b, 0)
}

export async function pushBundles(bundles: readonly string[], options: PushRunOptions): Promise<PushRunResult> {
  const now = options.now ?? (() => new Date())
  let lock
  let endpoint: string | undefined
  try {
    lock = resolveLockSettings(options, now())
    endpoint = resolveEndpoint(options.endpoint)
  } catch (error) {
    throw new UsageError(errorMessage(error))
  }
  if (options.partSize !== undefined && options.partSize < MIN_PART_SIZE) {
    throw new UsageError(`--part-size must be at least 5 MiB (S3's minimum part size)`)
  }
  const timeouts = options.timeouts ?? s3TimeoutsFromEnv()
  const files = bundles.map((b) => resolve(b))
  for (const file of files) await markPending(file, {bucket: options.bucket})
  // Before the deadline starts: a passphrase prompt must not eat into it.
  const signer = options.signer ?? (options.keyFile === undefined ? undefined : await loadSigner(options.keyFile))
  // One deadline for the whole run: every request in flight is aborted and the bundles left are kept pending.
  const deadlineMs = pushDeadlineMs(timeouts, await totalBytes(files))
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(new PushError(
    `the push did not finish within ${formatDuration(deadlineMs)}, the deadline for this run (${TIMEOUT_VARIABLES.deadlineMs} sets it in seconds)`,
    {code: 'E_PUSH_DEADLINE'},
  )), deadlineMs)
  try {
    return await pushWithin(files, {...options, timeouts}, {
      deadline: deadline.signal, endpoint, lock, now, signer,
      retry: {...options.retry, signal: deadline.signal, timeoutAttempts: timeouts.timeoutAttempts},
    })
  } finally {
    clearTimeout(timer)
  }
}

interface RunContext {
  deadline: AbortSignal
  endpoint: string | undefined
  lock: ReturnType<typeof resolveLockSettings>
  now: () => Date
  retry: RetryOptions
  signer: Signer | undefined
}

async function pushWithin(files: string[], options: PushRunOptions & {timeouts: S3Timeouts}, context: RunContext): Promise<PushRunResult> {
  const {endpoint, lock, now, retry, signer} = context
  const client = options.client ?? createS3Client({
    signal: context.deadline, timeouts: options.timeouts, ...(endpoint === undefined ? {} : {endpoint}),
  })
  let locked: boolean
  try {
    locked = (await preflightBucket(client, options.bucket, {
      allowUnlocked: options.allowUnlocked ?? false, retry,
      ...(endpoint === undefined ? {} : {endpoint}),
    })).locked
  } catch (error) {
    for (const file of files) await markPending(file, {lastError: errorMessage(error)})
    throw error
  }
  const actor = options.actor ?? defaultActor()
  const result: PushRunResult = {bucket: options.bucket, endpoint: endpoint ?? null, failed: [], locked, pushed: []}
  for (const file of files) {
    try {
      result.pushed.push(await pushBundle(file, {
        bucket: options.bucket, client, now,
        ...(locked ? {lock} : {}),
        ...(options.concurrency === undefined ? {} : {concurrency: options.concurrency}),
        ...(options.onProgress === undefined ? {} : {onProgress: (p: PushProgress) => options.onProgress?.(file, p)}),
        ...(options.partSize === undefined ? {} : {partSize: options.partSize}),
        ...(options.prefix === undefined ? {} : {prefix: options.prefix}),
        ...(options.readBack === true ? {readBack: true} : {}),
        ...(signer === undefined ? {} : {recordVerified: createCustodyRecorder(file, signer, actor)}),
        retry,
      }))
    } catch (error) {
      if (!(error instanceof PushError)) throw error
      result.failed.push({bundle: file, error: error.message})
    }
  }
  return result
}
