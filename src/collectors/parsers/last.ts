import {splitLines, tokenize, type Token} from './text.js'
import {isValidWallTime, isWeekday, monthNumber, wallTimeToUtcMs, type WallTime} from './zoned-time.js'

/**
 * `last -F -w -i` output as rows. Each login, reboot and shutdown line is one row; the closing
 * `wtmp begins …` line becomes a row of kind `wtmp_begins` (it tells how far back the log goes).
 * `status` is what `last` printed instead of a logout time (`still logged in`, `still running`,
 * `gone - no logout`, `crash`, `down`), or null when it printed a logout time.
 */
export interface LastRow {
  /** As printed, without parentheses (`01:51`, `1+02:03`); null when absent. */
  duration: string | null
  host: string | null
  kind: 'reboot' | 'shutdown' | 'user'
  /** ISO 8601 UTC when the stamp parses, else null. */
  login: string | null
  login_raw: string
  logout: string | null
  logout_raw: string | null
  status: string | null
  tty: string | null
  user: string
}

export interface WtmpBeginsRow {
  kind: 'wtmp_begins'
  time: string | null
  time_raw: string
}

export interface LastOptions {
  /** Zone the times were printed in (the collector runs `last` with TZ=UTC). Default `UTC`. */
  timeZone?: string
}

interface Stamp {
  end: number
  iso: string | null
  raw: string
}

const CLOCK = /^(\d\d):(\d\d):(\d\d)$/
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?$/

/** A `Tue Mar  3 14:22:01 2026` (ctime, -F) or ISO 8601 (`--time-format iso`) stamp at `index`. */
function stampAt(line: string, tokens: readonly Token[], index: number, timeZone: string): Stamp | null {
  const first = tokens[index]
  if (first === undefined) return null
  if (ISO.test(first.text)) {
    const ms = Date.parse(first.text)
    return {end: index + 1, iso: Number.isNaN(ms) ? null : new Date(ms).toISOString(), raw: first.text}
  }

  const [, monthToken, dayToken, clockToken, yearToken] = tokens.slice(index, index + 5)
  if (!isWeekday(first.text) || monthToken === undefined || dayToken === undefined || clockToken === undefined || yearToken === undefined) return null
  const month = monthNumber(monthToken.text)
  const clock = CLOCK.exec(clockToken.text)
  if (month === null || clock === null || !/^\d{1,2}$/.test(dayToken.text) || !/^\d{4}$/.test(yearToken.text)) return null
  const wall: WallTime = {day: Number(dayToken.text), hour: Number(clock[1]), minute: Number(clock[2]), month, second: Number(clock[3]), year: Number(yearToken.text)}
  const iso = isValidWallTime(wall) ? new Date(wallTimeToUtcMs(wall, timeZone)).toISOString() : null
  return {end: index + 5, iso, raw: line.slice(first.start, yearToken.start + yearToken.text.length)}
}

function findStamp(line: string, tokens: readonly Token[], timeZone: string): {index: number; stamp: Stamp} | null {
  // The login time follows user, tty and host: it is never further right than the 6th token.
  for (let index = 1; index < Math.min(tokens.length, 6); index++) {
    const stamp = stampAt(line, tokens, index, timeZone)
    if (stamp !== null) return {index, stamp}
  }

  return null
}

const STATUSES = ['still logged in', 'still running', 'gone - no logout', 'crash', 'down']

function parseLastLine(line: string, timeZone: string): LastRow | WtmpBeginsRow | null {
  const tokens = tokenize(line)
  if (tokens.length < 2) return null
  if (tokens[1]?.text === 'begins' && /^[a-z]*tmp$/.test(tokens[0]?.text ?? '')) {
    const stamp = stampAt(line, tokens, 2, timeZone)
    return {kind: 'wtmp_begins', time: stamp?.iso ?? null, time_raw: stamp?.raw ?? line.slice(tokens[2]?.start ?? line.length).trim()}
  }

  const found = findStamp(line, tokens, timeZone)
  if (found === null) return null
  const head = tokens.slice(0, found.index).map((token) => token.text)
  const user = head[0] as string
  let kind: LastRow['kind'] = 'user'
  let tty: string | null = head[1] ?? null
  let hostIndex = 2
  if (head[1] === 'system' && (head[2] === 'boot' || head[2] === 'down')) {
    kind = user === 'reboot' ? 'reboot' : user === 'shutdown' ? 'shutdown' : 'user'
    tty = `system ${head[2]}`
    hostIndex = 3
  }

  const host = head.slice(hostIndex).join(' ')
  let restTokens = tokens.slice(found.stamp.end)
  let duration: string | null = null
  const lastToken = restTokens.at(-1)?.text
  if (lastToken !== undefined && lastToken.startsWith('(') && lastToken.endsWith(')')) {
    duration = lastToken.slice(1, -1)
    restTokens = restTokens.slice(0, -1)
  }

  if (restTokens[0]?.text === '-') restTokens = restTokens.slice(1)
  const first = restTokens[0]
  const final = restTokens.at(-1)
  // Sliced from the line (not re-joined) so a logout stamp keeps last's spacing (`Mar  3`).
  const restText = first === undefined || final === undefined ? '' : line.slice(first.start, final.start + final.text.length)
  let status: string | null = null
  let logout: Stamp | null = null
  const normalized = restTokens.map((token) => token.text).join(' ')
  if (STATUSES.includes(normalized)) {
    status = normalized
  } else if (restText !== '') {
    logout = stampAt(restText, tokenize(restText), 0, timeZone)
    if (logout === null) status = normalized
  }

  return {
    duration,
    host: host === '' ? null : host,
    kind,
    login: found.stamp.iso,
    login_raw: found.stamp.raw,
    logout: logout?.iso ?? null,
    logout_raw: logout?.raw ?? null,
    status,
    tty,
    user,
  }
}

export function parseLast(text: string, options: LastOptions = {}): Array<LastRow | WtmpBeginsRow> {
  const timeZone = options.timeZone ?? 'UTC'
  const rows: Array<LastRow | WtmpBeginsRow> = []
  for (const line of splitLines(text)) {
    const row = parseLastLine(line, timeZone)
    if (row !== null) rows.push(row)
  }

  return rows
}
