import type {ExecResult} from '../io/exec.js'
import type {OutsideWindow} from './outside-window.js'

export type CollectorStatus = 'failed' | 'ok' | 'partial' | 'skipped' | 'timed-out'
export type CommandStatus = 'failed' | 'no-matches' | 'ok' | 'skipped' | 'timed-out' | 'truncated'

/** One command as the manifest records it (stdout itself goes to a file, never here). */
export interface CommandRecord {
  name: string
  argv: string[]
  status: CommandStatus
  exit_code: number | null
  signal: string | null
  timed_out: boolean
  duration_ms: number
  bytes: number
  stderr: string
  reason?: string
  output?: string
}

export interface CollectorRecord {
  id: string
  version: string
  status: CollectorStatus
  reason?: string
  degraded?: boolean
  warnings: string[]
  commands: CommandRecord[]
  /** Bundle-relative paths of the files this collector wrote. */
  files: string[]
  counts?: Record<string, number>
  /** Set when the source holds events or files before the window and none inside it (newcomer M2). */
  outside_window?: OutsideWindow
  started_at?: string
  duration_ms?: number
}

/** Turns an exec result into its record; `okExitCodes` lets a tool's "no matches" exit count as success. */
export function commandRecord(name: string, result: ExecResult, options: {noMatch?: (r: ExecResult) => boolean; output?: string} = {}): CommandRecord {
  let status: CommandStatus = 'ok'
  let reason: string | undefined
  if (result.timedOut) {
    status = 'timed-out'
    reason = `killed after its timeout (${result.durationMs} ms)`
  } else if (result.notFound) {
    status = 'failed'
    reason = result.error ?? `${result.argv[0]} is not installed`
  } else if (result.truncated) {
    status = 'truncated'
    reason = `output cut at the size cap (${result.bytes} bytes kept)`
  } else if (options.noMatch?.(result)) {
    status = 'no-matches'
  } else if (result.exitCode !== 0) {
    status = 'failed'
    reason = result.signal ? `killed by ${result.signal}` : `exit code ${result.exitCode}${result.stderr ? `: ${firstLine(result.stderr)}` : ''}`
  }
  return {
    argv: result.argv,
    bytes: result.bytes,
    duration_ms: result.durationMs,
    exit_code: result.exitCode,
    name,
    signal: result.signal,
    status,
    stderr: result.stderr,
    timed_out: result.timedOut,
    ...(reason ? {reason} : {}),
    ...(options.output ? {output: options.output} : {}),
  }
}

export function skippedCommand(name: string, argv: string[], reason: string): CommandRecord {
  return {argv, bytes: 0, duration_ms: 0, exit_code: null, name, reason, signal: null, status: 'skipped', stderr: '', timed_out: false}
}

function firstLine(text: string): string {
  return text.trim().split('\n', 1)[0]?.slice(0, 300) ?? ''
}

/** A collector's status from its commands: all good → ok; some bad → partial; all bad → failed or timed-out. */
export function statusFromCommands(commands: readonly CommandRecord[]): CollectorStatus {
  const ran = commands.filter((c) => c.status !== 'skipped')
  if (ran.length === 0) return 'skipped'
  const bad = ran.filter((c) => c.status === 'failed' || c.status === 'timed-out' || c.status === 'truncated')
  if (bad.length === 0) return 'ok'
  if (bad.length < ran.length) return 'partial'
  return bad.every((c) => c.status === 'timed-out') ? 'timed-out' : 'failed'
}

/** Statuses that make `collect` exit 4. */
export function isIncomplete(status: CollectorStatus): boolean {
  return status === 'failed' || status === 'partial' || status === 'timed-out'
}
