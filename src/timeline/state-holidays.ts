import {fromIso, plusDays, toIso} from './calendar.js'
import {federalHolidaysBetween, type Holiday} from './federal-holidays.js'
import type {IsoDate} from './types.js'

/**
 * State-only legal holidays that fall inside common business-day counts (breach-rules.md §0.2 asks
 * for per-state tables; this holds the ones known to matter, each with its source). Like federal
 * holidays they never move a date: the timeline names them and shows the date a count would give
 * if it skipped them (`due_if_holidays_skipped`).
 */

function firstWeekday(year: number, month: number, weekday: number): IsoDate {
  const first = new Date(year, month - 1, 1).getDay()
  return toIso(new Date(year, month - 1, 1 + ((weekday - first + 7) % 7)))
}

const STATE_ONLY: Readonly<Record<string, (year: number) => Holiday[]>> = {
  // Vermont: Town Meeting Day, the first Tuesday in March, and Bennington Battle Day, August 16
  // (1 V.S.A. 371, not read: SECONDARY, from a review of the 9 V.S.A. 2435(b)(3) count).
  VT: (year) => [
    {date: firstWeekday(year, 3, 2), name: 'Town Meeting Day (Vermont)'},
    {date: toIso(new Date(year, 7, 16)), name: 'Bennington Battle Day (Vermont)'},
  ],
}

export function hasStateHolidays(state: string): boolean {
  return STATE_ONLY[state] !== undefined
}

/** The state-only holidays on weekdays after `from` and up to and including `to`. */
export function stateHolidaysBetween(state: string, from: IsoDate, to: IsoDate): Holiday[] {
  const list = STATE_ONLY[state]
  if (list === undefined) return []
  const found: Holiday[] = []
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const h of list(year)) {
      const day = fromIso(h.date).getDay()
      if (day !== 0 && day !== 6 && h.date > from && h.date <= to) found.push(h)
    }
  }
  return found
}

/** `n` business days after `from`, skipping weekends, federal holidays and the state's own holidays. */
export function addBusinessDaysSkippingHolidays(state: string, from: IsoDate, n: number): IsoDate {
  let date = from
  let left = n
  while (left > 0) {
    date = plusDays(date, 1)
    const day = fromIso(date).getDay()
    if (day === 0 || day === 6) continue
    if (federalHolidaysBetween(plusDays(date, -1), date).length > 0) continue
    if (stateHolidaysBetween(state, plusDays(date, -1), date).length > 0) continue
    left--
  }
  return date
}
