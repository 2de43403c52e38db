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
export function substituteNotice(insufficient: number, individuals: Deadline): {deadline?: Deadline; note?: string} {
  if (insufficient <= 0) return {}
  if (insufficient < 10) {
    return {note: `${insufficient} individual(s) have insufficient contact information: use an alternative form of written notice, telephone or other means (164.404(d)(2)(i)).`}
  }
  const due = individuals.due
  return {
    deadline: deadline({
      id: 'substitute-notice',
      title: 'Substitute notice: 90-day website posting (or major media) and a toll-free number for 90 days',
      audience: 'individuals (insufficient contact information)',
      ...sameDatesAs(individuals),
      citation: '45 CFR 164.404(d)(2)(ii)',
      status: 'verified',
      regime: 'federal',
      basis: `${insufficient} individuals with insufficient or out-of-date contact information (10 or more); same outer limit as the individual notice`,
      notes: [
        due === null ? 'Keep the posting and the toll-free number up for at least 90 days.' : `Keep the web posting and the toll-free number active for at least 90 days (through ${plusDays(due, 90)} if started on the last day).`,
      ],
    }),
  }
}
