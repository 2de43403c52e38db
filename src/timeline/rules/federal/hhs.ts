import type {Deadline, IsoDate} from '../../types.js'

import {annualLogDate, earlierOf, yearOf} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {applyDelay, type DelayCitations, type DelayWindow, HIPAA_DELAY} from './law-enforcement-delay.js'
import {sameDatesAs} from './sixty-day.js'

/** 164.408(b): 500 OR MORE in total, contemporaneously with individual notice. */
export const HHS_THRESHOLD = 500

/**
 * The dates of a filing due "contemporaneously with" the individual notice (164.408(b); FTC 318.5(c)):
 * the individual notice's latest date, or its planned send date when that is earlier (law review F6).
 */
export function contemporaneousWith(individuals: Deadline, planned: IsoDate | undefined): Pick<Deadline, 'chained' | 'due' | 'due_if_tolled' | 'held_until' | 'original_due'> & {note?: string} {
  const dates = sameDatesAs(individuals)
  if (planned === undefined || dates.due === null || planned >= dates.due) return dates
  return {
    due: earlierOf(planned, dates.due),
    chained: {after: individuals.id, relation: 'contemporaneously with', from: planned, planned: true},
    note: `Due together with the individual notice: it is planned for ${planned}, earlier than its latest date ${dates.due}, so this filing is due ${planned} too.`,
  }
}

/** An annual log submission (164.408(c); FTC 318.5(c)): December 31 + 60 days, subject to a law-enforcement delay (164.412 covers every notice of the subpart). */
export function annualDates(year: number, delay: DelayWindow | undefined, cite: DelayCitations): {due: IsoDate; basisDue: IsoDate; extra: Partial<Deadline>; notes: string[]} {
  const original = annualLogDate(year)
  const {note, ...dates} = applyDelay(original, delay, cite)
  const {due, ...extra} = dates
  return {due, basisDue: original, extra, notes: note === undefined ? [] : [note]}
}

export function hhsDeadline(total: number, discovered: IsoDate, individuals: Deadline, delay?: DelayWindow, plannedIndividuals?: IsoDate): Deadline {
  if (total >= HHS_THRESHOLD) {
    const {note, ...dates} = contemporaneousWith(individuals, plannedIndividuals)
    return deadline({
      id: 'hhs',
      title: 'Notice to the Secretary of HHS (OCR breach portal)',
      audience: 'HHS',
      ...dates,
      citation: '45 CFR 164.408(b)',
      status: 'verified',
      regime: 'federal',
      basis: `${total} individuals in total (500 or more): contemporaneously with the individual notice, by its ${note === undefined ? 'latest' : 'planned'} date`,
      notes: [...(note === undefined ? [] : [note]), 'File one report per breach on the OCR portal; the portal cannot save a half-finished report, so fill the worksheet first.'],
    })
  }
  const year = yearOf(discovered)
  const annual = annualDates(year, delay, HIPAA_DELAY)
  return deadline({
    id: 'hhs-annual',
    title: `Annual log submission to HHS for breaches under 500 discovered in ${year}`,
    audience: 'HHS',
    due: annual.due,
    ...annual.extra,
    citation: '45 CFR 164.408(c)',
    status: 'verified',
    regime: 'federal',
    basis: `${total} individuals (fewer than 500): December 31, ${year} + 60 days = ${annual.basisDue}`,
    notes: ['One report per breach. You may also report as soon as the breach is discovered.', ...annual.notes],
  })
}
