import type {Deadline} from '../../types.js'

import {deadline} from '../deadline.js'
import {sameDatesAs} from './sixty-day.js'

/** 164.406: media notice for each State or jurisdiction with MORE THAN 500 residents (per state, not total). */
export const MEDIA_THRESHOLD = 500

export function mediaDeadlines(affected: Readonly<Record<string, number>>, individuals: Deadline, citation = '45 CFR 164.406', status: Deadline['status'] = 'verified'): Deadline[] {
  return Object.entries(affected)
    .filter(([, residents]) => residents > MEDIA_THRESHOLD)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, residents]) =>
      deadline({
        id: `media:${state}`,
        title: `Notice to prominent media outlets serving ${state}`,
        audience: `media (${state})`,
        ...sameDatesAs(individuals),
        citation,
        status,
        regime: 'federal',
        state,
        basis: `${residents} residents of ${state} (more than ${MEDIA_THRESHOLD}); same outer limit as the individual notice`,
        notes: ['In addition to, not instead of, the individual notice; same content as 164.404(c). In practice a press release.'],
      }),
    )
}
