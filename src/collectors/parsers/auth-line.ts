import {isoFromMs} from '../../core/iso-time.js'
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
  /** Journal only: why a message that claims an auth program is kept as `other`. */
  note?: string
  pid: number | null
  program: string
  raw: string
  source: string
  /** Journal only: SYSLOG_IDENTIFIER, the program name the sender claimed (anyone can claim any). */
  syslog_identifier?: string
  /** ISO 8601 UTC. */
  time: string
  /** Journal only: the fields journald itself set for the sending process (`_COMM`, `_EXE`, `_UID`, `_SYSTEMD_UNIT`). */
  trusted?: TrustedFields
}

export interface TrustedFields {
  comm: string | null
  exe: string | null
  uid: number | null
  unit: string | null
}

const DAY_MS = 86_400_000
const CLOCK = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?$/

function millis(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
}

/** The value of `count` ASCII digits at `at`, or -1 when any of them is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }

  return value
}

/**
 * `2026-03-03T14:22:01.123456+00:00` (or `,123`, `+0000`, `Z`, or no zone: then timeZone) to UTC ms.
 * Read by position rather than with a regular expression: this runs once for each of millions of lines.
 */
function rfc3339ToMs(text: string, timeZone: string): number | null {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null
  const wall: WallTime = {
    day: digitsAt(text, 8, 2),
    hour: digitsAt(text, 11, 2),
    millisecond: 0,
    minute: digitsAt(text, 14, 2),
    month: digitsAt(text, 5, 2),
    second: digitsAt(text, 17, 2),
    year: digitsAt(text, 0, 4),
  }
  if (wall.year < 0 || wall.day < 0 || wall.hour < 0 || wall.minute < 0 || wall.second < 0 || wall.month < 0) return null
  let at = 19
  const mark = text.charCodeAt(at)
  if (mark === 46 || mark === 44) {
    const start = ++at
    while (at < text.length && at - start < 9 && digitsAt(text, at, 1) >= 0) at++
    if (at === start) return null
    wall.millisecond = millis(text.slice(start, at))
  }

  if (!isValidWallTime(wall)) return null
  const zone = text.slice(at)
  if (zone === '') return wallTimeToUtcMs(wall, timeZone)
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, Math.min(wall.second, 59), wall.millisecond)
  if (zone === 'Z') return naive
  // ±HH:MM or ±HHMM
  const sign = zone.charCodeAt(0) === 45 ? -1 : zone.charCodeAt(0) === 43 ? 1 : 0
  const colon = zone.length === 6 && zone.charCodeAt(3) === 58
  if (sign === 0 || (zone.length !== 5 && !colon)) return null
  const hours = digitsAt(zone, 1, 2)
  const minutes = digitsAt(zone, colon ? 4 : 3, 2)
  if (hours < 0 || minutes < 0) return null
  return naive - sign * (hours * 60 + minutes) * 60_000
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
  // Only the head of the line is tokenized: a stamp (one token or three), a host and a tag.
  const tokens = tokenize(raw, 5)
  const stamp = parseStamp(tokens, ctx)
  if (stamp === null) return null
  const hostToken = tokens[stamp.next]
  if (hostToken === undefined) return null
  const tagToken = tokens[stamp.next + 1]
  const tag = tagToken === undefined ? null : parseTag(tagToken.text)
  let message = ''
  if (tag !== null && tagToken !== undefined) {
    const end = tagToken.start + tagToken.text.length
    message = raw.slice(raw.charCodeAt(end) === 32 ? end + 1 : end)
  } else if (tagToken !== undefined) {
    message = raw.slice(tagToken.start)
  }

  const program = tag?.program ?? ''
  const found = classifyAuthMessage(program, message)
  // Built field by field (no object rest or spread, which cost more than the parse itself).
  const event: AuthEvent = {
    time: isoFromMs(stamp.ms),
    host: hostToken.text,
    program,
    pid: tag?.pid ?? null,
    kind: found.kind,
    user: found.user,
    ip: found.ip,
    port: found.port,
    method: found.method,
    source: ctx.source,
    raw,
  }
  if (found.invalid_user !== undefined) event.invalid_user = found.invalid_user
  if (found.target_user !== undefined) event.target_user = found.target_user
  if (found.command !== undefined) event.command = found.command
  if (found.count !== undefined) event.count = found.count
  if (found.reason !== undefined) event.reason = found.reason
  if (found.ip_ambiguous !== undefined) event.ip_ambiguous = found.ip_ambiguous
  return event
}
