/**
 * What the analyze report shows, gathered once and rendered twice (report.md, report.html): the
 * findings by severity with the evidence lines behind each, one timeline across hosts, the scope with
 * its counts. Plain data; the renderers escape every value.
 */
import type {Finding} from '../finding.js'
import type {Scope} from '../scope/compute-scope.js'
import type {PeopleCount} from '../scope/patient-map.js'

/** One evidence line: an event of the case database, as the report quotes it. */
export interface EvidenceLine {
  time: string | null
  host: string
  source: string
  kind: string
  message: string
  /** `BUNDLE/FILE:LINE`. */
  ref: string
}

/** One row of the case timeline: an event behind at least one finding. */
export interface TimelineRow extends EvidenceLine {
  /** The rules whose findings this event stands behind, and the worst severity among them. */
  rules: string[]
  severity: Finding['severity']
}

export interface ReportModel {
  caseId: string
  generated: string
  bundles: ReadonlyArray<{name: string; host: string; verified: boolean}>
  events: number
  findings: readonly Finding[]
  /** How the findings are shown: see layoutFindings. */
  layout: FindingsLayout
  /** Evidence lines per finding id (at most a few dozen each; the finding's refs_total says how many in all). */
  evidence: ReadonlyMap<string, readonly EvidenceLine[]>
  timeline: readonly TimelineRow[]
  /** Groups of hosts joined by findings that cross hosts (a login on one from another's address): one story each. */
  joined: ReadonlyArray<readonly string[]>
  scope: Scope
  people: PeopleCount | null
  /** Sigma rules that were not run, with why. */
  sigmaSkipped: ReadonlyArray<{file: string; id?: string; title?: string; reason: string}>
  /** The facts draft written (`--facts-out`), or null. */
  factsDraft: string | null
  phiPathsFile: string | null
}

/** The sentence that names one group of joined hosts, in both renderings (the renderer escapes it). */
export function joinedSentence(hosts: readonly string[]): string {
  return `One story across ${hosts.join(', ')}: a finding crosses these hosts (a login on one from another's address), so read their events together.`
}

export const REPORT_DISCLAIMER = 'Findings are leads drawn from the evidence by rules, for an investigator to confirm; the scope and any facts draft are for counsel to review. Not legal advice.'

/** Findings shown in full (with their evidence) per rule, then one table row each, then only counted. */
export const DETAILED_PER_RULE = 10
export const LISTED_PER_RULE = 200

/**
 * How a report shows the findings, so that it stays readable (and quick to write) when a rule fires
 * thousands of times, as the spray rule does on a server open to the internet: for each rule, the
 * first DETAILED_PER_RULE findings in report order in full with their evidence lines, the next
 * LISTED_PER_RULE as one table row each, and the rest only counted (findings.json has them all).
 */
export interface FindingsLayout {
  /** Ids of the findings shown in full. */
  detailed: ReadonlySet<string>
  /** Ids of the findings shown as a table row. */
  listed: ReadonlySet<string>
  /** Findings neither detailed nor listed, per rule id. */
  omitted: ReadonlyMap<string, number>
}

export function layoutFindings(findings: readonly Finding[]): FindingsLayout {
  const seen = new Map<string, number>()
  const detailed = new Set<string>()
  const listed = new Set<string>()
  const omitted = new Map<string, number>()
  for (const f of findings) {
    const n = (seen.get(f.rule) ?? 0) + 1
    seen.set(f.rule, n)
    if (n <= DETAILED_PER_RULE) detailed.add(f.id)
    else if (n <= DETAILED_PER_RULE + LISTED_PER_RULE) listed.add(f.id)
    else omitted.set(f.rule, (omitted.get(f.rule) ?? 0) + 1)
  }
  return {detailed, listed, omitted}
}
