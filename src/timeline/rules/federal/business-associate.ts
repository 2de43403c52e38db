import type {Deadline, IsoDate} from '../../types.js'

import {type DelayWindow} from './law-enforcement-delay.js'
import {sixtyDayDeadline} from './sixty-day.js'

/** 164.410(b): the business associate tells the covered entity within 60 calendar days of its own discovery. */
export function coveredEntityDeadline(discovered: IsoDate, delay: DelayWindow | undefined): Deadline {
  return sixtyDayDeadline(
    {
      id: 'covered-entity',
      title: 'Business associate notice to the covered entity',
      audience: 'covered entity',
      citation: '45 CFR 164.410(b)',
      status: 'verified',
      from: "business associate's discovery",
      notes: [
        'Include the identity of each affected individual to the extent possible, and every other 164.404(c) item available, then more as it becomes available (164.410(c)).',
        "If the business associate is the covered entity's agent, the covered entity's own 60 days started on the same discovery date.",
      ],
    },
    discovered,
    delay,
  )
}
