import type {Deadline, IsoDate, RuleStatus} from '../../types.js'

import {plusDays} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {applyDelay, type DelayCitations, type DelayWindow, HIPAA_DELAY} from './law-enforcement-delay.js'

export interface SixtyDayRule {
  id: string
  title: string
  audience: string
  citation: string
  status: RuleStatus
  /** Whose discovery, in the basis text ("discovery", "business associate's discovery"). */
  from: string
  notes: string[]
}

/** "No later than 60 calendar days after discovery", subject to a 164.412 delay (both readings). */
export function sixtyDayDeadline(rule: SixtyDayRule, discovered: IsoDate, delay: DelayWindow | undefined, cite: DelayCitations = HIPAA_DELAY): Deadline {
  const original = plusDays(discovered, 60)
  const {note, ...dates} = applyDelay(original, delay, cite)
  return deadline({
    id: rule.id,
    title: rule.title,
    audience: rule.audience,
    ...dates,
    citation: rule.citation,
    status: rule.status,
    regime: 'federal',
    basis: `${rule.from} ${discovered} + 60 calendar days = ${original}`,
    notes: [...rule.notes, ...(note === undefined ? [] : [note])],
  })
}

/** The dates of a notice that shares another's outer limit (media, HHS-now, substitute notice). */
export function sameDatesAs(other: Deadline): Pick<Deadline, 'due' | 'due_if_tolled' | 'held_until' | 'original_due'> {
  return {
    due: other.due,
    ...(other.due_if_tolled === undefined ? {} : {due_if_tolled: other.due_if_tolled}),
    ...(other.original_due === undefined ? {} : {original_due: other.original_due}),
    ...(other.held_until === undefined ? {} : {held_until: other.held_until}),
  }
}

/**
 * Law review F4/H4: a date a law-enforcement delay moved rests on the conservative reading of how the
 * delay meets the 60 days, which no agency text confirms; it cannot keep the rule's `verified` label.
 */
export function labelDelayedDate(d: Deadline): Deadline {
  if (d.original_due === undefined || d.due === d.original_due || d.status !== 'verified') return d
  d.status = 'unverified'
  d.notes.push(`Status UNVERIFIED: this date was moved by the law-enforcement delay and rests on the conservative reading (the later of ${d.original_due} and the end of the delay); the rule's own date ${d.original_due} is verified.`)
  return d
}
