import {classifyAuthMessage, type AuthEvent} from './auth-line.js'

/**
 * One line of `journalctl -o json` → an auth event plus a syslog-style raw line for
 * `auth-events.txt`. Returns null for anything that is not a journal entry with a message.
 */
export function journalEntryToAuthEvent(line: string): {event: AuthEvent; rawLine: string} | null {
  if (!line.startsWith('{')) return null
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return null
  }
  const message = text(entry.MESSAGE)
  const micros = Number(text(entry.__REALTIME_TIMESTAMP))
  if (message === null || !Number.isFinite(micros) || micros <= 0) return null
  const date = new Date(Math.floor(micros / 1000))
  if (Number.isNaN(date.getTime())) return null
  const program = text(entry.SYSLOG_IDENTIFIER) ?? text(entry._COMM) ?? 'unknown'
  const pidText = text(entry.SYSLOG_PID) ?? text(entry._PID)
  const pid = pidText !== null && /^\d+$/.test(pidText) ? Number(pidText) : null
  const host = text(entry._HOSTNAME) ?? ''
  const time = date.toISOString()
  const rawLine = `${time} ${host} ${program}${pid === null ? '' : `[${pid}]`}: ${message}`
  return {event: {host, pid, program, raw: rawLine, source: 'journal', time, ...classifyAuthMessage(program, message)}, rawLine}
}

/** journald fields are strings, or byte arrays for non-UTF-8 values. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return Buffer.from(value as number[]).toString('utf8')
  return null
}
