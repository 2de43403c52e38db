import {fromIso, plusDays, toIso, weekdayOf} from './calendar.js'
import type {IsoDate} from './types.js'

/**
 * The legal public holidays of 5 U.S.C. 6103(a) on the days federal offices observe them (a holiday
 * on a Saturday is observed on the Friday before, one on a Sunday on the Monday after: 6103(b) and
 * Executive Order 11582). Business-day deadlines never move for them (breach-rules.md §0.2): the
 * timeline names the ones inside a business-day count, because most states close on them too.
 */

export interface Holiday {
  /** The observed date (always a weekday). */
  date: IsoDate
  name: string
}

function iso(year: number, month: number, day: number): IsoDate {
  return toIso(new Date(year, month - 1, day))
}

/** The n-th (1-based) `weekday` (0 = Sunday) of the month; n = -1 for the last. */
function nthWeekday(year: number, month: number, weekday: number, n: number): IsoDate {
  if (n > 0) {
    const first = new Date(year, month - 1, 1).getDay()
    return iso(year, month, 1 + ((weekday - first + 7) % 7) + (n - 1) * 7)
  }
  const lastDay = new Date(year, month, 0)
  return iso(year, month, lastDay.getDate() - ((lastDay.getDay() - weekday + 7) % 7))
}

function observed(date: IsoDate): IsoDate {
  const day = fromIso(date).getDay()
  return day === 6 ? plusDays(date, -1) : day === 0 ? plusDays(date, 1) : date
}

/** The holidays of `year` as enacted, each on its observed date (New Year's Day of year + 1 may be observed on Dec 31 of year). */
function holidaysOf(year: number): Holiday[] {
  const fixed = (month: number, day: number, name: string): Holiday => ({date: observed(iso(year, month, day)), name})
  const list: Holiday[] = [
    fixed(1, 1, "New Year's Day"),
    {date: nthWeekday(year, 1, 1, 3), name: 'Birthday of Martin Luther King, Jr.'},
    {date: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday"},
    {date: nthWeekday(year, 5, 1, -1), name: 'Memorial Day'},
    fixed(7, 4, 'Independence Day'),
    {date: nthWeekday(year, 9, 1, 1), name: 'Labor Day'},
    {date: nthWeekday(year, 10, 1, 2), name: 'Columbus Day'},
    fixed(11, 11, 'Veterans Day'),
    {date: nthWeekday(year, 11, 4, 4), name: 'Thanksgiving Day'},
    fixed(12, 25, 'Christmas Day'),
  ]
  // Juneteenth National Independence Day: added by Pub. L. 117-17, 2021-06-17.
  if (year >= 2021) list.push(fixed(6, 19, 'Juneteenth National Independence Day'))
  return list
}

/** Federal holidays observed after `from` and up to and including `to`, in date order. */
export function federalHolidaysBetween(from: IsoDate, to: IsoDate): Holiday[] {
  const first = Number(from.slice(0, 4))
  const last = Number(to.slice(0, 4))
  const found: Holiday[] = []
  for (let year = first - 1; year <= last + 1; year++) {
    for (const holiday of holidaysOf(year)) if (holiday.date > from && holiday.date <= to) found.push(holiday)
  }
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
}

/** "Labor Day (Mon 2025-09-01)". */
export function describeHoliday(holiday: Holiday): string {
  return `${holiday.name} (${weekdayOf(holiday.date)} ${holiday.date})`
}
