/**
 * Runs compiled Sigma rules over evidence: case database rows (CaseEvent) and/or raw audit events
 * (audit-records.ts). Each rule reads the evidence its logsource names (logsource.ts); an audit event
 * matches when one of its records does. A bundle's audit rows rebuilt from `audit/events.jsonl` stand
 * in only when no raw audit record of that bundle was given: their matches are dropped at the end for
 * every bundle that had raw records.
 */
import type {CaseEvent} from '../event.js'
import {evidenceFromCaseEvent} from './case-event.js'
import type {SigmaDoc} from './compile.js'
import type {SigmaEvidence} from './evidence.js'
import type {Finding} from '../finding.js'
import {FindingCollector} from './findings.js'
import type {SigmaRule} from './rule.js'

export type SigmaInput = CaseEvent | SigmaEvidence

function isEvidence(input: SigmaInput): input is SigmaEvidence {
  return 'docs' in input && 'origin' in input
}

const NONE: readonly SigmaDoc[] = []

/** What of the evidence the rule reads: its documents, its command lines (`commandDocs`), or nothing. */
export function readBy(rule: SigmaRule, e: SigmaEvidence, commandDocs: readonly SigmaDoc[] = e.commands.map((text) => ({fields: {}, text}))): readonly SigmaDoc[] {
  const {target} = rule
  if (target.kind === 'audit') return e.origin === 'audit' || e.origin === 'audit-summary' ? e.docs : NONE
  if (e.origin === 'auth') return target.programs === null || (e.program !== null && target.programs.includes(e.program)) ? e.docs : NONE
  return target.commands ? commandDocs : NONE
}

/** True when the rule matches the evidence (one of the documents it reads). */
export function matches(rule: SigmaRule, e: SigmaEvidence, commandDocs?: readonly SigmaDoc[]): boolean {
  for (const doc of readBy(rule, e, commandDocs)) if (rule.test(doc)) return true
  return false
}

export interface SigmaRun {
  readonly findings: Finding[]
  /** Evidence items read, by origin. */
  readonly read: Readonly<Record<SigmaEvidence['origin'], number>>
}

/** Runs `rules` over `input` (rows of the events table and/or raw audit evidence, in any order). */
export async function runSigma(rules: readonly SigmaRule[], input: Iterable<SigmaInput> | AsyncIterable<SigmaInput>): Promise<SigmaRun> {
  const collector = new FindingCollector()
  const summaryMatches: Array<{rule: SigmaRule; evidence: SigmaEvidence}> = []
  const rawAuditBundles = new Set<string>()
  const read = {audit: 0, 'audit-summary': 0, auth: 0, 'shell-history': 0}
  for await (const item of input) {
    const evidence = isEvidence(item) ? item : evidenceFromCaseEvent(item)
    if (evidence === null) continue
    read[evidence.origin]++
    if (evidence.origin === 'audit') rawAuditBundles.add(evidence.bundle)
    const commandDocs = evidence.commands.map((text) => ({fields: {}, text}))
    for (const rule of rules) {
      if (!matches(rule, evidence, commandDocs)) continue
      if (evidence.origin === 'audit-summary') summaryMatches.push({evidence, rule})
      else collector.add(rule, evidence)
    }
  }
  for (const {rule, evidence} of summaryMatches) if (!rawAuditBundles.has(evidence.bundle)) collector.add(rule, evidence)
  return {findings: collector.findings(), read}
}
