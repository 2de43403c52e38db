import type {Deadline, IsoDate, RuleStatus} from '../../types.js'

import {plusDays} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {applyDelay, type DelayWindow} from './law-enforcement-delay.js'

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
export function sixtyDayDeadline(rule: SixtyDayRule, discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  const original = plusDays(discovered, 60)
  const {note, ...dates} = applyDelay(original, delay)
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
export function sameDatesAs(other: Deadline): Pick<Deadline, 'due' | 'due_if_tolled' | 'original_due'> {
  return {
    due: other.due,
    ...(other.due_if_tolled === undefined ? {} : {due_if_tolled: other.due_if_tolled}),
    ...(other.original_due === undefined ? {} : {original_due: other.original_due}),
  }
}
