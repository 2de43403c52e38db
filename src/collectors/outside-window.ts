import {beforeInstant, isoFromMs} from '../core/iso-time.js'
import {readLineBatches} from '../io/line-reader.js'
import {AuditEventAssembler, type AuditEvent} from './parsers/audit.js'

/**
 * What a source holds before the window when nothing of it falls inside: events (auth, audit) or
 * entries (PHI) counted while they were read anyway, with the earliest and the latest time.
 * Recorded per collector in manifest.json (`outside_window`) so an empty window is never silent.
 */
export interface OutsideWindow {
  count: number
  earliest: string
  latest: string
  /** Log files last written before the window that were not read (beyond the counting budget). */
  unread_files?: number
}

/** Counts times (ms) seen before the window and keeps the earliest and latest; no memory per event. */
export class WindowTally {
  count = 0
  private min = Number.POSITIVE_INFINITY
  private max = Number.NEGATIVE_INFINITY

  add(ms: number): void {
    if (!Number.isFinite(ms)) return
    this.count++
    if (ms < this.min) this.min = ms
    if (ms > this.max) this.max = ms
  }

  result(unreadFiles = 0): OutsideWindow | undefined {
    if (this.count === 0) return undefined
    return {count: this.count, earliest: isoFromMs(this.min), latest: isoFromMs(this.max), ...(unreadFiles > 0 ? {unread_files: unreadFiles} : {})}
  }
}

/**
 * Log files skipped because they were last written before the window are read once, only to count,
 * when the window itself held nothing (the case where the admin most needs to hear about them);
 * at most this many bytes, so a long log history never makes collect slow.
 */
export const COUNT_BUDGET_BYTES = 256 * 1024 * 1024

/**
 * Feeds the lines of each file to its reader (which counts what lies before the window), within the
 * byte budget, newest files first (the closest to the window). Returns how many files were left unread.
 */
export async function tallyUnreadLogs<F extends {path: string; size: number; mtime: Date}>(
  files: readonly F[],
  reader: (file: F) => {line: (line: string) => void; end?: () => void},
): Promise<number> {
  let budget = COUNT_BUDGET_BYTES
  let unread = 0
  for (const file of [...files].sort((a, b) => b.mtime.getTime() - a.mtime.getTime())) {
    if (file.size > budget) {
      unread++
      continue
    }
    budget -= file.size
    const read = reader(file)
    try {
      for await (const batch of readLineBatches(file.path)) for (const line of batch) read.line(line)
      read.end?.()
    } catch {
      unread++ // unreadable: the collector already says so when it matters; this is only a count
    }
  }
  return unread
}

/**
 * The stderr line for a source that holds only older material, with a --since that would reach it:
 * the day before the earliest event for logs, the day before the latest change for PHI files (the
 * whole history of a PHI tree is rarely what one wants to hash).
 */
export function outsideWindowWarning(what: string, outside: OutsideWindow, reach: 'earliest' | 'latest' = 'earliest'): string {
  const held = `${what} ${outside.count} ${reach === 'earliest' ? 'events' : 'entries'} before the window and none inside it`
  const when = reach === 'earliest' ? `the earliest ${outside.earliest}, the latest ${outside.latest}` : `the latest changed ${outside.latest}`
  const unread = outside.unread_files ? ` (${outside.unread_files} older files not counted)` : ''
  return `${held}, ${when}${unread}; widen --since, e.g. --since ${dayBefore(outside[reach])}`
}

/** YYYY-MM-DD of the UTC day before an ISO time: a --since that includes it with a margin. */
export function dayBefore(iso: string): string {
  return new Date(Date.parse(iso) - 86_400_000).toISOString().slice(0, 10)
}

/**
 * Audit events the collector wants (`wanted`: its keys) that lie before the window, counted from the
 * audit logs within the byte budget. Called only when the window held none.
 */
export async function outsideAuditEvents(files: readonly {path: string; size: number; mtime: Date}[], since: Date, wanted: (event: AuditEvent) => boolean): Promise<OutsideWindow | undefined> {
  const tally = new WindowTally()
  const isBefore = beforeInstant(since)
  const count = (event: AuditEvent) => {
    if (wanted(event) && isBefore(event.time)) tally.add(Date.parse(event.time))
  }
  const unread = await tallyUnreadLogs(files, (file) => {
    const assembler = new AuditEventAssembler(file.path)
    return {
      end: () => assembler.flush().forEach(count),
      line: (line) => assembler.push(line).forEach(count),
    }
  })
  return tally.result(unread)
}
