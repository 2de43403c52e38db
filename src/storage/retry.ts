/** Retries with exponential backoff and jitter for throttling (503 SlowDown, 429) and network faults. */

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** Called before each wait, e.g. to log "retrying after SlowDown". */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
  sleep?: (ms: number) => Promise<void>
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

export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms) })

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6
  const base = options.baseDelayMs ?? 200
  const max = options.maxDelayMs ?? 5000
  const sleep = options.sleep ?? defaultSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt)
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error
      const delay = backoffDelay(attempt, base, max)
      options.onRetry?.(error, attempt, delay)
      await sleep(delay)
    }
  }
}
