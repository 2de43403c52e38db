import type {Facts} from '../../facts/schema.js'
import type {IsoDate} from '../../types.js'

import {daysBetween, laterOf, plusDays} from '../../calendar.js'

/** 45 CFR 164.412: when a law-enforcement delay ends, and what it does to a federal deadline. */
export interface DelayWindow {
  kind: 'oral' | 'written'
  received: IsoDate
  ends: IsoDate
  basis: string
  /** A written statement that came after notice was already due: it does not extend anything, but the official's hold is shown. */
  lateWritten?: {received: IsoDate; until: IsoDate}
}

/** How a regime names the law-enforcement delay rule (HIPAA 164.412; FTC 16 CFR 318.4). */
export interface DelayCitations {
  written: string
  oral: string
  /** Who has not chosen between the conservative and the tolling reading. */
  agency: string
}

export const HIPAA_DELAY: DelayCitations = {written: '164.412(a)', oral: '164.412(b)', agency: 'HHS'}
export const FTC_DELAY: DelayCitations = {written: '16 CFR 318.4', oral: '16 CFR 318.4', agency: 'the FTC'}

/**
 * The delay window. `due` is the reporter's own 60-day date (discovery + 60): a written statement that
 * arrives after the 30 oral days still governs while notice was not yet due (164.412(a) is a trigger of
 * its own: "If the statement is in writing and specifies the time for which a delay is required, delay
 * such notification … for the time period specified by the official").
 */
export function delayWindow(facts: Facts, due: IsoDate, cite: DelayCitations = HIPAA_DELAY): DelayWindow | undefined {
  const delay = facts.law_enforcement_delay
  if (delay === undefined) return undefined
  if (delay.kind === 'written') {
    const ends = delay.until ?? delay.received
    return {kind: 'written', received: delay.received, ends, basis: `written statement received ${delay.received} specifying a delay until ${ends} (${cite.written})`}
  }
  const official = delay.official ?? '[[MISSING: official]]'
  const cap = plusDays(delay.received, 30)
  const written = delay.written_received !== undefined && delay.written_until !== undefined ? {received: delay.written_received, until: delay.written_until} : undefined
  if (written !== undefined && written.received <= cap) {
    return {
      kind: 'oral',
      received: delay.received,
      ends: written.until,
      basis: `oral statement ${delay.received} by ${official}, followed within 30 days by a written statement (${written.received}) specifying ${written.until} (${cite.written}, ${cite.oral})`,
    }
  }
  // Notice fell due at the later of the 60-day date and the end of the oral delay.
  const dueThen = laterOf(due, cap)
  if (written !== undefined && written.received <= dueThen) {
    return {
      kind: 'oral',
      received: delay.received,
      ends: laterOf(cap, written.until),
      basis: `oral statement ${delay.received} by ${official} (at most 30 days, to ${cap}), then a written statement received ${written.received}, after the 30 days but before notice was due (${dueThen}), specifying ${written.until}: a written statement that specifies a period governs on its own (${cite.written})`,
    }
  }
  const late = written === undefined ? '' : `; the written statement of ${written.received} came after notice was already due (${dueThen}), so it does not extend the delay (its hold to ${written.until} is shown as held_until)`
  return {
    kind: 'oral',
    received: delay.received,
    ends: cap,
    basis: `oral statement ${delay.received} by ${official}: at most 30 days, to ${cap} (${cite.oral})${late}`,
    ...(written === undefined ? {} : {lateWritten: written}),
  }
}

export interface DelayedDate {
  due: IsoDate
  original_due?: IsoDate
  due_if_tolled?: IsoDate
  held_until?: IsoDate
  note?: string
}

/**
 * Both readings of a delay (breach-rules.md §1.7): conservative = max(original, end of delay);
 * tolling = end of delay + the days that were left on the clock when the delay began. A statement
 * received after the original date had passed excuses nothing: the date stays, and the hold is shown.
 */
export function applyDelay(original: IsoDate, window: DelayWindow | undefined, cite: DelayCitations = HIPAA_DELAY): DelayedDate {
  if (window === undefined) return {due: original}
  if (window.received > original) {
    return {
      due: original,
      held_until: window.ends,
      note: `Law-enforcement delay: ${window.basis}. It came after this notice was due (${original}), so the notice was already late: it stays due ${original} (OVERDUE from ${plusDays(original, 1)}); the delay does not excuse that. The official asks to hold notice until ${window.ends}: agree the timing with the official and document both facts.`,
    }
  }
  const left = Math.max(0, daysBetween(window.received, original))
  const tolled = plusDays(window.ends, left)
  const due = laterOf(original, window.ends)
  const late = window.lateWritten === undefined ? '' : ` A later written statement asks to hold notice until ${window.lateWritten.until}: agree the timing with the official.`
  return {
    due,
    original_due: original,
    due_if_tolled: tolled,
    ...(window.lateWritten !== undefined && window.lateWritten.until > due ? {held_until: window.lateWritten.until} : {}),
    note: `Law-enforcement delay: ${window.basis}. Conservative reading (used as "due"): the later of ${original} and ${window.ends}. Tolling reading (ask counsel): ${window.ends} + ${left} days left on the clock = ${tolled}. ${cite.agency === 'HHS' ? 'HHS has' : 'The FTC has'} not chosen between them (UNVERIFIED).${late}`,
  }
}
