import type {Deadline, IsoDate} from '../../types.js'

import {annualLogDate, yearOf} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {sameDatesAs} from './sixty-day.js'

/** 164.408(b): 500 OR MORE in total, contemporaneously with individual notice. */
export const HHS_THRESHOLD = 500

export function hhsDeadline(total: number, discovered: IsoDate, individuals: Deadline): Deadline {
  if (total >= HHS_THRESHOLD) {
    return deadline({
      id: 'hhs',
      title: 'Notice to the Secretary of HHS (OCR breach portal)',
      audience: 'HHS',
      ...sameDatesAs(individuals),
      citation: '45 CFR 164.408(b)',
      status: 'verified',
      regime: 'federal',
      basis: `${total} individuals in total (500 or more): contemporaneously with the individual notice, by its latest date`,
      notes: ['File one report per breach on the OCR portal; the portal cannot save a half-finished report, so fill the worksheet first.'],
    })
  }
  const year = yearOf(discovered)
  const due = annualLogDate(year)
  return deadline({
    id: 'hhs-annual',
    title: `Annual log submission to HHS for breaches under 500 discovered in ${year}`,
    audience: 'HHS',
    due,
    citation: '45 CFR 164.408(c)',
    status: 'verified',
    regime: 'federal',
    basis: `${total} individuals (fewer than 500): December 31, ${year} + 60 days = ${due}`,
    notes: ['One report per breach. You may also report as soon as the breach is discovered.'],
  })
}
