import type {Facts} from '../../facts/schema.js'
import type {IsoDate} from '../../types.js'

import {daysBetween, laterOf, plusDays} from '../../calendar.js'

/** 45 CFR 164.412: when a law-enforcement delay ends, and what it does to a federal deadline. */
export interface DelayWindow {
  kind: 'oral' | 'written'
  received: IsoDate
  ends: IsoDate
  basis: string
}

export function delayWindow(facts: Facts): DelayWindow | undefined {
  const delay = facts.law_enforcement_delay
  if (delay === undefined) return undefined
  if (delay.kind === 'written') {
    const ends = delay.until ?? delay.received
    return {kind: 'written', received: delay.received, ends, basis: `written statement received ${delay.received} specifying a delay until ${ends} (164.412(a))`}
  }
  const cap = plusDays(delay.received, 30)
  if (delay.written_received !== undefined && delay.written_until !== undefined && delay.written_received <= cap) {
    return {
      kind: 'oral',
      received: delay.received,
      ends: delay.written_until,
      basis: `oral statement ${delay.received} by ${delay.official ?? '[[MISSING: official]]'}, followed within 30 days by a written statement (${delay.written_received}) specifying ${delay.written_until} (164.412(a), (b))`,
    }
  }
  const late = delay.written_received === undefined ? '' : `; the written statement of ${delay.written_received} came after the 30 days, so it does not extend the oral delay`
  return {
    kind: 'oral',
    received: delay.received,
    ends: cap,
    basis: `oral statement ${delay.received} by ${delay.official ?? '[[MISSING: official]]'}: at most 30 days, to ${cap} (164.412(b))${late}`,
  }
}

export interface DelayedDate {
  due: IsoDate
  original_due?: IsoDate
  due_if_tolled?: IsoDate
  note?: string
}

/**
 * Both readings of a delay (breach-rules.md §1.7): conservative = max(original, end of delay);
 * tolling = end of delay + the days that were left on the clock when the delay began.
 */
export function applyDelay(original: IsoDate, window: DelayWindow | undefined): DelayedDate {
  if (window === undefined) return {due: original}
  const left = Math.max(0, daysBetween(window.received, original))
  const tolled = window.received <= original ? plusDays(window.ends, left) : laterOf(original, window.ends)
  const late = window.received > original ? ` The statement came after the original date ${original} had passed; that lateness is not excused.` : ''
  return {
    due: laterOf(original, window.ends),
    original_due: original,
    due_if_tolled: tolled,
    note: `Law-enforcement delay: ${window.basis}. Conservative reading (used as "due"): the later of ${original} and ${window.ends}. Tolling reading (ask counsel): ${window.ends} + ${left} days left on the clock = ${tolled}. HHS has not chosen between them (UNVERIFIED).${late}`,
  }
}
