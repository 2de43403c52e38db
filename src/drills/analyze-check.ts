/**
 * Compares what `hipaa-ir analyze` drew from a drill's bundle with what the scenario expects: the
 * analyze rules that correspond to its expected findings, the breach's first and last day in the
 * facts draft, and the people per state the draft counts from the patient map. Pure.
 */
import type {CaseScope} from '../analyze/case-scope.js'
import type {Finding} from '../analyze/finding.js'
import type {Scenario} from './types.js'

export interface AnalyzeMatch {
  id: string
  label: string
  expected: string
  /** What analyze found; null when it found nothing to compare (the draft then says `[[DECIDE]]`). */
  found: null | string
  match: boolean
}

/** `FL 230, TX 10`: the states in order, states with no one left out. */
export function perState(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)).map(([state, n]) => `${state} ${n}`).join(', ')
}

const day = (iso: null | string): null | string => (iso === null ? null : iso.slice(0, 10))

function compared(id: string, label: string, expected: string, found: null | string): AnalyzeMatch {
  return {expected, found, id, label, match: found === expected}
}

export function compareAnalyze(scenario: Scenario, findings: readonly Finding[], scope: Pick<CaseScope, 'by_state' | 'end' | 'start'>): AnalyzeMatch[] {
  const fired = new Set(findings.map((f) => f.rule))
  const results: AnalyzeMatch[] = []
  for (const e of scenario.expected) {
    if (e.rules === undefined || e.rules.length === 0) continue
    const hits = e.rules.filter((rule) => fired.has(rule))
    results.push({expected: e.rules.join(' or '), found: hits.length > 0 ? hits.join(', ') : null, id: `rule:${e.id}`, label: `analyze finding for: ${e.label}`, match: hits.length > 0})
  }
  const breach = scenario.facts.breach
  if (breach?.start !== undefined) results.push(compared('breach.start', 'facts draft breach.start (first malicious event)', breach.start, day(scope.start)))
  if (breach?.end !== undefined) results.push(compared('breach.end', 'facts draft breach.end (last malicious event)', breach.end, day(scope.end)))
  results.push(compared('affected', 'facts draft affected (people per state, from the patient map)', perState(scenario.facts.affected), scope.by_state === null ? null : perState(scope.by_state)))
  return results
}
