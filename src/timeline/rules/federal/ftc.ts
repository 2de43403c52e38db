import type {Deadline, IsoDate} from '../../types.js'

import {annualLogDate, yearOf} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {type DelayWindow} from './law-enforcement-delay.js'
import {HHS_THRESHOLD} from './hhs.js'
import {sameDatesAs, sixtyDayDeadline} from './sixty-day.js'

/**
 * FTC Health Breach Notification Rule (16 CFR Part 318, as amended 2024), for vendors of personal health
 * records that are not HIPAA covered entities or business associates. breach-rules.md §3: SECONDARY; the
 * 318.4 text itself was not read, and the media threshold is UNVERIFIED against the 2024 text.
 */
export function ftcIndividuals(discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  return sixtyDayDeadline(
    {
      id: 'individuals',
      title: 'Notice to each affected individual (FTC Health Breach Notification Rule)',
      audience: 'individuals',
      citation: '16 CFR 318.4(a)',
      status: 'secondary',
      from: 'discovery',
      notes: ['318.6 content adds: the identity of third parties that acquired the data, what you do to protect individuals, and at least two contact methods (count UNVERIFIED).'],
    },
    discovered,
    delay,
  )
}

export function ftcNotice(total: number, discovered: IsoDate, individuals: Deadline): Deadline {
  if (total >= HHS_THRESHOLD) {
    return deadline({
      id: 'ftc',
      title: 'Notice to the FTC (standard form on ftc.gov)',
      audience: 'FTC',
      // Same dates as the individual notice, a law-enforcement delay's tolled and original dates included.
      ...sameDatesAs(individuals),
      citation: '16 CFR 318.4, 318.5(c)',
      status: 'secondary',
      regime: 'federal',
      basis: `${total} individuals (500 or more): at the same time as the individual notice, by its latest date`,
      notes: ['The pre-2024 "10 business days" rule no longer applies.'],
    })
  }
  const year = yearOf(discovered)
  const due = annualLogDate(year)
  return deadline({
    id: 'ftc-annual',
    title: `Annual log submission to the FTC for breaches under 500 discovered in ${year}`,
    audience: 'FTC',
    due,
    citation: '16 CFR 318.5(c)',
    status: 'secondary',
    regime: 'federal',
    basis: `${total} individuals (fewer than 500): December 31, ${year} + 60 days = ${due}`,
  })
}
