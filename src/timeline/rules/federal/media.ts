import type {Deadline} from '../../types.js'

import {deadline} from '../deadline.js'
import {sameDatesAs} from './sixty-day.js'

/** 164.406: media notice for each State or jurisdiction with MORE THAN 500 residents (per state, not total). */
export const MEDIA_THRESHOLD = 500

/** How a regime tests and cites media notice: HIPAA 164.406 "more than 500"; FTC 318.5(b) "500 or more". */
export interface MediaRule {
  citation: string
  status: Deadline['status']
  op: '>' | '>='
  n: number
  content: string
  source?: string
}

export const HIPAA_MEDIA: MediaRule = {citation: '45 CFR 164.406', status: 'verified', op: '>', n: MEDIA_THRESHOLD, content: 'same content as 164.404(c)'}

export function mediaDeadlines(affected: Readonly<Record<string, number>>, individuals: Deadline, rule: MediaRule = HIPAA_MEDIA): Deadline[] {
  const words = rule.op === '>' ? `more than ${rule.n}` : `${rule.n} or more`
  return Object.entries(affected)
    .filter(([, residents]) => (rule.op === '>' ? residents > rule.n : residents >= rule.n))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, residents]) =>
      deadline({
        id: `media:${state}`,
        title: `Notice to prominent media outlets serving ${state}`,
        audience: `media (${state})`,
        ...sameDatesAs(individuals),
        citation: rule.citation,
        status: rule.status,
        ...(rule.source === undefined ? {} : {source: rule.source}),
        regime: 'federal',
        state,
        basis: `${residents} residents of ${state} (${words}); same outer limit as the individual notice`,
        notes: [`In addition to, not instead of, the individual notice; ${rule.content}. In practice a press release.`],
      }),
    )
}
