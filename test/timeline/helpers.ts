import {validateFacts} from '../../src/timeline/facts/validate.js'
import {computeTimeline} from '../../src/timeline/engine.js'
import type {Deadline, Timeline} from '../../src/timeline/types.js'

/** Validates minimal facts (defaults filled by the schema) and computes the timeline. */
export function timelineFor(raw: Record<string, unknown>, asOf = '2025-01-01'): Timeline {
  return computeTimeline(validateFacts({id: 'IR-TEST', ...raw}, 'test facts'), asOf)
}

export function byId(timeline: Timeline, id: string): Deadline {
  const hit = timeline.deadlines.find((d) => d.id === id)
  if (hit === undefined) throw new Error(`no deadline ${id}; have ${timeline.deadlines.map((d) => d.id).join(', ')}`)
  return hit
}

export function ids(timeline: Timeline): string[] {
  return timeline.deadlines.map((d) => d.id).sort()
}
