import type {Deadline, IsoDate} from '../../types.js'

import {plusDays} from '../../calendar.js'
import {deadline} from '../deadline.js'
import {type DelayWindow} from './law-enforcement-delay.js'
import {sameDatesAs, sixtyDayDeadline} from './sixty-day.js'

const OUTER_LIMIT = 'Outer limit: notice is due "without unreasonable delay"; sending on the last day can still be late (HHS 2013 commentary on 164.404(b)).'

/** 164.404(b): individuals, no later than 60 calendar days after discovery (subject to 164.412). */
export function individualsDeadline(discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  return sixtyDayDeadline(
    {
      id: 'individuals',
      title: 'Notice to each affected individual',
      audience: 'individuals',
      citation: '45 CFR 164.404(b)',
      status: 'verified',
      from: 'discovery',
      notes: [OUTER_LIMIT, 'First-class mail to the last known address, or email where the individual agreed to electronic notice (164.404(d)(1)).'],
    },
    discovered,
    delay,
  )
}

/**
 * 164.404(d)(2): substitute notice. 10 or more with insufficient contact information: 90-day web posting
 * (or major print/broadcast media) and a toll-free number active 90 days. Fewer than 10: other means (a note).
 */
export function substituteNotice(insufficient: number, individuals: Deadline, ftc = false): {deadline?: Deadline; note?: string} {
  if (insufficient <= 0) return {}
  if (insufficient < 10) {
    if (ftc) return {note: `${insufficient} individual(s) have insufficient contact information. The FTC rule sets substitute notice at ten or more (16 CFR 318.5(a)(2)) and has no provision for fewer: reach them by other reasonable means and document it.`}
    return {note: `${insufficient} individual(s) have insufficient contact information: use an alternative form of written notice, telephone or other means (164.404(d)(2)(i)).`}
  }
  const due = individuals.due
  const keep = due === null ? 'Keep the posting and the toll-free number up for at least 90 days.' : `Keep the web posting and the toll-free number active for at least 90 days (through ${plusDays(due, 90)} if started on the last day).`
  // Law review F13: in FTC mode "contact information for ten or more individuals is insufficient … shall provide substitute notice" is 318.5(a)(2).
  const rule = ftc
    ? {citation: '16 CFR 318.5(a)(2)', source: '16 CFR 318.5(a)(2) text as quoted from ecfr.io and federal.elaws.us (updated Oct 2024)'}
    : {citation: '45 CFR 164.404(d)(2)(ii)'}
  return {
    deadline: deadline({
      id: 'substitute-notice',
      title: 'Substitute notice: 90-day website posting (or major media) and a toll-free number for 90 days',
      audience: 'individuals (insufficient contact information)',
      ...sameDatesAs(individuals),
      ...rule,
      status: 'verified',
      regime: 'federal',
      basis: `${insufficient} individuals with insufficient or out-of-date contact information (10 or more); same outer limit as the individual notice`,
      notes: [keep],
    }),
  }
}

const URGENT = 'In a case deemed to require urgency because of possible imminent misuse of unsecured PHI, you may also contact individuals by telephone or other means, in addition to the written notice (164.404(d)(3)); set `urgent: true` in the facts to list it.'

/** 164.404(d)(3): urgent telephone contact, in addition to (never instead of) the written notice. */
export function urgentPhone(urgent: boolean, individuals: Deadline): Deadline | undefined {
  if (!urgent) {
    individuals.notes.push(URGENT)
    return undefined
  }
  return deadline({
    id: 'individuals:urgent-phone',
    title: 'Urgent contact by telephone or other means (possible imminent misuse)',
    audience: 'individuals',
    due: null,
    due_text: 'now, as the urgency requires; in addition to the written notice, which keeps its own date',
    citation: '45 CFR 164.404(d)(3)',
    status: 'secondary',
    source: 'breach-rules.md §1.3 summary; the text quoted in the law review was recalled, not read (the stored page stopped before (d)(3))',
    regime: 'federal',
    basis: '`urgent: true`: the covered entity deems the case to require urgency because of possible imminent misuse',
    notes: ['"may provide information to individuals by telephone or other means, as appropriate, in addition to notice provided under paragraph (d)(1)". Keep a record of each call.'],
  })
}
