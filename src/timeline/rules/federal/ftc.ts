import type {Deadline, IsoDate} from '../../types.js'

import {yearOf} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {annualDates, contemporaneousWith, HHS_THRESHOLD} from './hhs.js'
import {type DelayWindow, FTC_DELAY} from './law-enforcement-delay.js'
import {sixtyDayDeadline} from './sixty-day.js'

/**
 * FTC Health Breach Notification Rule (16 CFR Part 318, as amended 2024), for vendors of personal health
 * records and PHR related entities that are not HIPAA covered entities or business associates, and their
 * third-party service providers. breach-rules.md §3: SECONDARY; the 318.4 text itself was not read.
 * Every citation here is to Part 318, never to 45 CFR.
 */

/** 318.5(b) media notice: "500 or more data subjects within a single state" (reliclawpllc, SECONDARY; eCFR text not read). */
export const FTC_MEDIA_THRESHOLD = 500

const FTC_OUTER_LIMIT = 'Outer limit: notice is due "without unreasonable delay" (16 CFR 318.4(a)); sending on the last day can still be late.'

export function ftcIndividuals(discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  return sixtyDayDeadline(
    {
      id: 'individuals',
      title: 'Notice to each affected individual (FTC Health Breach Notification Rule)',
      audience: 'individuals',
      citation: '16 CFR 318.4(a)',
      status: 'secondary',
      from: 'discovery',
      notes: [
        FTC_OUTER_LIMIT,
        'Written notice by first-class mail, or by email "if the individual is given a clear, conspicuous, and reasonable opportunity to receive notification by first-class mail, and the individual does not exercise that choice" (16 CFR 318.5(a)(1)).',
        'Content (16 CFR 318.6): also the full name or identity of any third parties that acquired the information (318.6(a)), and what you are doing to protect affected individuals, such as credit monitoring (318.6(d)); set `third_parties` and `protections` in the facts.',
      ],
    },
    discovered,
    delay,
    FTC_DELAY,
  )
}

/** 318.3(b): a third-party service provider notifies the vendor or PHR related entity it serves. */
export function ftcServiceProviderNotice(discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  return sixtyDayDeadline(
    {
      id: 'vendor',
      title: 'Third-party service provider notice to the vendor of personal health records or PHR related entity',
      audience: 'vendor or PHR related entity',
      citation: '16 CFR 318.3(b), 318.4(a)',
      status: 'secondary',
      from: "service provider's discovery",
      notes: [
        'Tell a senior official of the vendor or PHR related entity, identify each affected individual where you can, and get an acknowledgment of receipt (318.3(b) as summarized; text not read).',
        'The vendor then notifies the individuals, the FTC and, where required, the media; its own clock starts when it learns of the breach from you.',
      ],
    },
    discovered,
    delay,
    FTC_DELAY,
  )
}

export function ftcNotice(total: number, discovered: IsoDate, individuals: Deadline, delay?: DelayWindow, plannedIndividuals?: IsoDate): Deadline {
  if (total >= HHS_THRESHOLD) {
    const {note, ...dates} = contemporaneousWith(individuals, plannedIndividuals)
    return deadline({
      id: 'ftc',
      title: 'Notice to the FTC (standard form on ftc.gov)',
      audience: 'FTC',
      // Same dates as the individual notice, a law-enforcement delay's tolled and original dates included.
      ...dates,
      citation: '16 CFR 318.4, 318.5(c)',
      status: 'secondary',
      regime: 'federal',
      basis: `${total} individuals (500 or more): at the same time as the individual notice, by its ${note === undefined ? 'latest' : 'planned'} date`,
      notes: [...(note === undefined ? [] : [note]), 'The pre-2024 "10 business days" rule no longer applies. A worksheet for the FTC form is among the letters (--letters).'],
    })
  }
  const year = yearOf(discovered)
  const annual = annualDates(year, delay, FTC_DELAY)
  return deadline({
    id: 'ftc-annual',
    title: `Annual log submission to the FTC for breaches under 500 discovered in ${year}`,
    audience: 'FTC',
    due: annual.due,
    ...annual.extra,
    citation: '16 CFR 318.5(c)',
    status: 'secondary',
    regime: 'federal',
    basis: `${total} individuals (fewer than 500): December 31, ${year} + 60 days = ${annual.basisDue}`,
    notes: annual.notes,
  })
}
