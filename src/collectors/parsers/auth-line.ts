import {classifyAuthMessage, type AuthClassification} from './auth-classify.js'
import {tokenize, type Token} from './text.js'
import {isValidWallTime, monthNumber, wallTimeToUtcMs, type WallTime} from './zoned-time.js'

export {classifyAuthMessage, type AuthClassification, type AuthKind} from './auth-classify.js'

export interface AuthLineContext {
  /** Classic stamps have no year: it is chosen so the stamp is not later than this + 1 day. */
  referenceTime: Date
  /** File name (as on the investigated system) or `journal`. */
  source: string
  /** IANA zone the machine wrote classic stamps in (`UTC`, `America/Chicago`). */
  timeZone: string
}

export interface AuthEvent extends AuthClassification {
  host: string
  pid: number | null
  program: string
  raw: string
  source: string
  /** ISO 8601 UTC. */
  time: string
}

const DAY_MS = 86_400_000
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/
const CLOCK = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?$/

function millis(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
}

/** `2026-03-03T14:22:01.123456+00:00` (or `+0000`, `Z`, or no zone: then ctx.timeZone). */
function rfc3339ToMs(text: string, timeZone: string): number | null {
  const match = RFC3339.exec(text)
  if (match === null) return null
  const [, year, month, day, hour, minute, second, fraction, zone] = match
  const wall: WallTime = {day: Number(day), hour: Number(hour), millisecond: millis(fraction), minute: Number(minute), month: Number(month), second: Number(second), year: Number(year)}
  if (!isValidWallTime(wall)) return null
  if (zone === undefined) return wallTimeToUtcMs(wall, timeZone)
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, Math.min(wall.second, 59), wall.millisecond)
  if (zone === 'Z') return naive
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000
  return naive - offset
}

/**
 * A classic `Mar  3 14:22:01` stamp: wall time in `timeZone`, in the latest year that keeps it
 * no later than referenceTime + 1 day (so `Dec 31` read on Jan 1 is last year's).
 */
export function classicStampToMs(month: number, day: number, clock: string, ctx: Pick<AuthLineContext, 'referenceTime' | 'timeZone'>): number | null {
  const match = CLOCK.exec(clock)
  if (match === null) return null
  const limit = ctx.referenceTime.getTime() + DAY_MS
  if (Number.isNaN(limit)) return null
  const startYear = new Date(limit + DAY_MS).getUTCFullYear()
  for (let year = startYear; year >= startYear - 8; year--) {
    const wall: WallTime = {day, hour: Number(match[1]), millisecond: millis(match[4]), minute: Number(match[2]), month, second: Number(match[3]), year}
    if (!isValidWallTime(wall)) continue
    const ms = wallTimeToUtcMs(wall, ctx.timeZone)
    if (ms <= limit) return ms
  }

  return null
}

interface Stamp {
  ms: number
  /** Index of the first token after the stamp (the host). */
  next: number
}

function parseStamp(tokens: readonly Token[], ctx: AuthLineContext): Stamp | null {
  const first = tokens[0]?.text ?? ''
  if (first.length >= 19 && first.charCodeAt(4) === 45) {
    const ms = rfc3339ToMs(first, ctx.timeZone)
    return ms === null ? null : {ms, next: 1}
  }

  const month = monthNumber(first)
  const dayText = tokens[1]?.text ?? ''
  if (month === null || !/^\d{1,2}$/.test(dayText)) return null
  const ms = classicStampToMs(month, Number(dayText), tokens[2]?.text ?? '', ctx)
  return ms === null ? null : {ms, next: 3}
}

/** `sshd[1234]:` → program and pid; `sudo:` → pid null. */
function parseTag(tag: string): {pid: number | null; program: string} | null {
  if (!tag.endsWith(':')) return null
  const body = tag.slice(0, -1)
  const open = body.indexOf('[')
  if (open === -1) return {pid: null, program: body}
  if (!body.endsWith(']')) return null
  const pidText = body.slice(open + 1, -1)
  return {pid: /^\d{1,10}$/.test(pidText) ? Number(pidText) : null, program: body.slice(0, open)}
}

/**
 * One line of auth.log / secure (`STAMP HOST PROGRAM[PID]: MESSAGE`) to an event, or null when
 * the line is not a syslog line (no parsable stamp or no host). Throws RangeError only when
 * ctx.timeZone is not a time zone Intl knows (check with isValidTimeZone first).
 */
export function parseAuthLine(line: string, ctx: AuthLineContext): AuthEvent | null {
  const raw = line.endsWith('\r') ? line.slice(0, -1) : line
  // Only the head of the line is tokenized: a stamp, a host and a tag fit in 1 KiB.
  const tokens = tokenize(raw.slice(0, 1024))
  const stamp = parseStamp(tokens, ctx)
  if (stamp === null) return null
  const hostToken = tokens[stamp.next]
  if (hostToken === undefined) return null
  const tagToken = tokens[stamp.next + 1]
  const tag = tagToken === undefined ? null : parseTag(tagToken.text)
  let message = ''
  if (tag !== null && tagToken !== undefined) {
    message = raw.slice(tagToken.start + tagToken.text.length).replace(/^ /, '')
  } else if (tagToken !== undefined) {
    message = raw.slice(tagToken.start)
  }

  const program = tag?.program ?? ''
  const {ip, kind, method, port, user, ...extra} = classifyAuthMessage(program, message)
  return {
    time: new Date(stamp.ms).toISOString(),
    host: hostToken.text,
    program,
    pid: tag?.pid ?? null,
    kind,
    user,
    ip,
    port,
    method,
    source: ctx.source,
    raw,
    ...extra,
  }
}
