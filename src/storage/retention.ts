/**
 * Object Lock settings from the push flags. Pure: the clock is passed in.
 * The default retention is 6 years: the HIPAA documentation retention of 45 CFR 164.530(j)(2).
 */
// One module per function: the date-fns index loads hundreds of modules.
import {addDays} from 'date-fns/addDays'
import {addYears} from 'date-fns/addYears'

export type LockMode = 'COMPLIANCE' | 'GOVERNANCE'

export interface LockSettings {
  legalHold: boolean
  mode: LockMode
  retainUntil: Date
}

export interface RetentionFlags {
  legalHold?: boolean
  mode?: string
  retainDays?: number
  retainUntil?: string
}

export const DEFAULT_RETENTION_YEARS = 6

/** Turns flags into lock settings; throws RangeError with a message naming the flag when a value is unusable. */
export function resolveLockSettings(flags: RetentionFlags, now: Date): LockSettings {
  const mode = parseMode(flags.mode ?? 'compliance')
  if (flags.retainDays !== undefined && flags.retainUntil !== undefined) {
    throw new RangeError('--retain-days and --retain-until cannot be used together')
  }
  let retainUntil: Date
  if (flags.retainDays !== undefined) {
    if (!Number.isInteger(flags.retainDays) || flags.retainDays < 1) {
      throw new RangeError(`--retain-days must be a whole number of days, 1 or more (got ${flags.retainDays})`)
    }
    retainUntil = addDays(now, flags.retainDays)
  } else if (flags.retainUntil === undefined) {
    retainUntil = addYears(now, DEFAULT_RETENTION_YEARS)
  } else {
    retainUntil = parseDate(flags.retainUntil)
    if (retainUntil.getTime() <= now.getTime()) {
      throw new RangeError(`--retain-until ${flags.retainUntil} is not in the future`)
    }
  }
  // S3 keeps whole seconds in practice; drop the milliseconds so the read-back compares exactly.
  retainUntil = new Date(Math.floor(retainUntil.getTime() / 1000) * 1000)
  return {legalHold: flags.legalHold ?? false, mode, retainUntil}
}

export function parseMode(value: string): LockMode {
  const upper = value.toUpperCase()
  if (upper === 'COMPLIANCE' || upper === 'GOVERNANCE') return upper
  throw new RangeError(`--mode must be compliance or governance (got ${JSON.stringify(value)})`)
}

function parseDate(value: string): Date {
  // A bare date means the end of that day in UTC, so "until 2032-01-01" keeps the whole day.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value
  const date = new Date(text)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new RangeError(`--retain-until must be an ISO 8601 date or date-time (got ${JSON.stringify(value)})`)
  }
  return date
}

/** Problems with a retention read back from the server, compared with what was asked for. */
export function retentionProblems(
  actual: {legalHold?: boolean; mode?: string; retainUntil?: Date},
  wanted: {legalHold?: boolean; mode: LockMode; retainUntil?: Date},
  now: Date,
): string[] {
  const problems: string[] = []
  if (actual.mode === undefined) problems.push('the object has no Object Lock retention')
  else if (actual.mode !== wanted.mode) problems.push(`retention mode is ${actual.mode}, expected ${wanted.mode}`)
  if (actual.retainUntil === undefined) {
    if (actual.mode !== undefined) problems.push('the object has no retain-until date')
  } else if (actual.retainUntil.getTime() <= now.getTime()) {
    problems.push(`retention expired at ${actual.retainUntil.toISOString()}`)
  } else if (wanted.retainUntil !== undefined && actual.retainUntil.getTime() < wanted.retainUntil.getTime()) {
    problems.push(`retain-until is ${actual.retainUntil.toISOString()}, earlier than the requested ${wanted.retainUntil.toISOString()}`)
  }
  if (wanted.legalHold === true && actual.legalHold !== true) problems.push('legal hold was requested but is not ON')
  return problems
}
