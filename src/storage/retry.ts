/**
 * Retries with exponential backoff and jitter for throttling (503 SlowDown, 429) and network faults.
 * A request that timed out gets fewer tries (a silent server must not cost six idle timeouts), and
 * an aborted signal (push's deadline) ends the current try and every later one at once.
 */
import {DEFAULT_S3_TIMEOUTS} from './s3-timeouts.js'

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** Called before each wait, e.g. to log "retrying after SlowDown". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  /** When aborted: the try in flight is given up and its reason thrown; no further try. */
  signal?: AbortSignal
  sleep?: (ms: number) => Promise<void>
  /** Tries for a request that timed out, the first included (default 2). */
  timeoutAttempts?: number
}

const RETRYABLE_NAMES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestTimeout',
  'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'TimeoutError',
])
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
])
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])

/** True for throttling, server-side 5xx and network faults; false for everything that retrying cannot fix. */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as {$metadata?: {httpStatusCode?: number}; cause?: unknown; code?: unknown; message?: unknown; name?: unknown}
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && RETRYABLE_STATUS.has(status)) return true
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET|aborted/i.test(e.message)) return true
  return e.cause === undefined ? false : isRetryable(e.cause)
}

/** The SDK's TimeoutError (connect, idle socket, request time) or a socket ETIMEDOUT. */
export function isTimeout(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const e = error as {code?: unknown; name?: unknown}
  return e.name === 'TimeoutError' || e.code === 'ETIMEDOUT'
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it is aborted. */
export async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  signal.throwIfAborted()
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, {once: true})
  })
  try {
    return await Promise.race([promise, aborted])
  } finally {
    signal.removeEventListener('abort', onAbort as () => void)
  }
}

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** A wait that an aborted signal cuts short (so no timer outlives the deadline). */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, {once: true})
  })
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6
  const base = options.baseDelayMs ?? 200
  const max = options.maxDelayMs ?? 5000
  const {signal} = options
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, signal))
  const timeoutAttempts = options.timeoutAttempts ?? DEFAULT_S3_TIMEOUTS.timeoutAttempts
  let timeouts = 0
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    try {
      return await raceAbort(fn(attempt), signal)
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason
      if (isTimeout(error)) timeouts++
      if (attempt >= attempts || !isRetryable(error) || timeouts >= timeoutAttempts) throw error
      const delay = backoffDelay(attempt, base, max)
      options.onRetry?.(error, attempt, delay)
      await raceAbort(sleep(delay), signal)
    }
  }
}
