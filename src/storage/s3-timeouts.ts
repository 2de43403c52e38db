/**
 * Time limits that keep every S3 call from hanging: per request (connect, idle socket, whole
 * request) and, for push, one deadline for the whole run. Defaults give up on a server that
 * accepts connections and never answers in about a minute; each can be changed in seconds through
 * the environment (HIPAA_IR_S3_CONNECT_TIMEOUT, HIPAA_IR_S3_IDLE_TIMEOUT,
 * HIPAA_IR_S3_REQUEST_TIMEOUT, HIPAA_IR_S3_DEADLINE), e.g. raised for a very slow link.
 */
import {UsageError} from '../core/errors.js'

export interface S3Timeouts {
  /** TCP (and TLS) connect. */
  connectMs: number
  /** Fixed deadline for a whole push run; undefined = computed from the bytes to push (pushDeadlineMs). */
  deadlineMs?: number
  /** No byte sent or received on the socket for this long fails the request. */
  idleMs: number
  /** One request from the first byte sent until the answer's headers (a server that trickles bytes). */
  requestMs: number
  /** Tries for a request that timed out (the first included); other faults use the retry budget. */
  timeoutAttempts: number
}

export const DEFAULT_S3_TIMEOUTS: Readonly<S3Timeouts> = {
  connectMs: 10_000,
  idleMs: 30_000,
  requestMs: 600_000,
  timeoutAttempts: 2,
}

/** The SDK arms its idle timer this long after the socket connects when the timeout is 6 s or more. */
export const IDLE_TIMER_DEFERRAL_MS = 3000

/** Default push deadline: 10 minutes plus 4 s per MiB (upload and read-back at 0.5 MiB/s or better). */
const DEADLINE_BASE_MS = 600_000
const DEADLINE_PER_MIB_MS = 4000

export const TIMEOUT_VARIABLES = {
  connectMs: 'HIPAA_IR_S3_CONNECT_TIMEOUT',
  deadlineMs: 'HIPAA_IR_S3_DEADLINE',
  idleMs: 'HIPAA_IR_S3_IDLE_TIMEOUT',
  requestMs: 'HIPAA_IR_S3_REQUEST_TIMEOUT',
} as const

/** The limits, with any of the four variables (seconds, decimals allowed) replacing the default. */
export function s3TimeoutsFromEnv(env: NodeJS.ProcessEnv = process.env): S3Timeouts {
  const timeouts: S3Timeouts = {...DEFAULT_S3_TIMEOUTS}
  for (const [field, name] of Object.entries(TIMEOUT_VARIABLES) as Array<[keyof typeof TIMEOUT_VARIABLES, string]>) {
    const raw = env[name]
    if (raw === undefined || raw === '') continue
    const seconds = Number(raw)
    if (!Number.isFinite(seconds) || seconds <= 0 || !/^\d+(\.\d+)?$/.test(raw.trim())) {
      throw new UsageError(`${name}=${JSON.stringify(raw)} is not a number of seconds`, {
        code: 'E_S3_TIMEOUT', suggestions: [`set ${name} to a positive number of seconds (e.g. ${name}=60), or unset it for the default`],
      })
    }
    timeouts[field] = Math.round(seconds * 1000)
  }
  return timeouts
}

/**
 * The longest one request can take against a server that accepts the connection and never
 * answers, all tries included (backoff between tries is at most `maxBackoffMs` each).
 */
export function silentServerBudgetMs(timeouts: S3Timeouts, maxBackoffMs = 5000): number {
  const perTry = Math.min(timeouts.requestMs, timeouts.idleMs + (timeouts.idleMs >= 6000 ? IDLE_TIMER_DEFERRAL_MS : 0))
  return timeouts.timeoutAttempts * perTry + (timeouts.timeoutAttempts - 1) * maxBackoffMs
}

/** The deadline for pushing `bytes` (all files of all bundles of one run). */
export function pushDeadlineMs(timeouts: S3Timeouts, bytes: number): number {
  return timeouts.deadlineMs ?? DEADLINE_BASE_MS + Math.ceil(bytes / (1024 * 1024)) * DEADLINE_PER_MIB_MS
}

/** "90 s" or "12 min" for messages. */
export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`
  return `${Math.round(ms / 60_000)} min`
}
