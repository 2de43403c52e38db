// One module per function: the date-fns index loads hundreds of modules (about 150 ms of start-up).
import {addBusinessDays} from 'date-fns/addBusinessDays'
import {addDays} from 'date-fns/addDays'
import {differenceInCalendarDays} from 'date-fns/differenceInCalendarDays'
import {format} from 'date-fns/format'
import {isValid} from 'date-fns/isValid'
import {parse} from 'date-fns/parse'

import type {IsoDate} from './types.js'

/**
 * Calendar arithmetic per breach-rules.md §0: "N calendar days after X" is X + N (X is day 0), no
 * roll-forward for weekends or holidays; business days skip Saturdays and Sundays only (no holiday tables).
 * Dates are plain calendar dates; times of day and zones never enter.
 */

const ISO = 'yyyy-MM-dd'
const ISO_RE = /^\d{4}-\d{2}-\d{2}$/

export function isIsoDate(value: string): boolean {
  return ISO_RE.test(value) && isValid(parse(value, ISO, new Date(2000, 0, 1))) && toIso(fromIso(value)) === value
}

export function fromIso(date: IsoDate): Date {
  return parse(date, ISO, new Date(2000, 0, 1))
}

export function toIso(date: Date): IsoDate {
  return format(date, ISO)
}

export function plusDays(date: IsoDate, days: number): IsoDate {
  return toIso(addDays(fromIso(date), days))
}

export function plusBusinessDays(date: IsoDate, days: number): IsoDate {
  return toIso(addBusinessDays(fromIso(date), days))
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(fromIso(to), fromIso(from))
}

export function weekdayOf(date: IsoDate): string {
  return format(fromIso(date), 'EEE')
}

export function isWeekend(date: IsoDate): boolean {
  const day = fromIso(date).getDay()
  return day === 0 || day === 6
}

export function laterOf(a: IsoDate, b: IsoDate): IsoDate {
  return a >= b ? a : b
}

export function earlierOf(a: IsoDate, b: IsoDate): IsoDate {
  return a <= b ? a : b
}

/** December 31 of `year` + 60 days: February 29 when `year + 1` is a leap year, else March 1 (§0.3). */
export function annualLogDate(year: number): IsoDate {
  return plusDays(`${String(year).padStart(4, '0')}-12-31`, 60)
}

export function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4))
}

export function addBy(date: IsoDate, n: number, unit: 'business' | 'calendar'): IsoDate {
  return unit === 'business' ? plusBusinessDays(date, n) : plusDays(date, n)
}
