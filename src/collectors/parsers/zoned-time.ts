/**
 * Wall-clock times in an IANA time zone turned into UTC instants, with Intl only (no library).
 * Used for syslog stamps without a zone (`Mar  3 14:22:01`) and for `last` output.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** 1..12 for an English three-letter month name, else null. */
export function monthNumber(name: string): number | null {
  const index = MONTHS.indexOf(name)
  return index === -1 ? null : index + 1
}

const WEEKDAYS = new Set(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'])

export function isWeekday(name: string): boolean {
  return WEEKDAYS.has(name)
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      day: 'numeric',
      hour: 'numeric',
      hourCycle: 'h23',
      minute: 'numeric',
      month: 'numeric',
      second: 'numeric',
      timeZone,
      year: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }

  return formatter
}

/** True when Intl knows `timeZone` (an IANA name such as `UTC` or `America/Chicago`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }

  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000))
}

export interface WallTime {
  day: number
  hour: number
  millisecond?: number
  minute: number
  /** 1..12 */
  month: number
  second: number
  year: number
}

/** True when the fields name a real calendar date and time (no Feb 30, no hour 25). */
export function isValidWallTime(t: WallTime): boolean {
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.hour > 23 || t.minute > 59 || t.second > 60) return false
  const probe = new Date(Date.UTC(t.year, t.month - 1, t.day))
  return probe.getUTCDate() === t.day && probe.getUTCMonth() === t.month - 1
}

/**
 * The UTC instant (ms) at which the clocks of `timeZone` showed `t`. In a DST gap the later
 * reading is used; in an overlap the earlier one. Throws RangeError for an unknown time zone.
 */
export function wallTimeToUtcMs(t: WallTime, timeZone: string): number {
  const naive = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, Math.min(t.second, 59), t.millisecond ?? 0)
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return naive
  const first = naive - offsetAt(naive, timeZone)
  const second = naive - offsetAt(first, timeZone)
  if (first === second) return first
  // DST edge: take the candidate whose offset is self-consistent, preferring the earlier instant.
  const candidates = [first, second].filter((ms) => naive - offsetAt(ms, timeZone) === ms)
  return candidates.length > 0 ? Math.min(...candidates) : Math.max(first, second)
}
