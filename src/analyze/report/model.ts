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
  /** Evidence lines per finding id (at most a few dozen each; the finding's refs_total says how many in all). */
  evidence: ReadonlyMap<string, readonly EvidenceLine[]>
  timeline: readonly TimelineRow[]
  scope: Scope
  people: PeopleCount | null
  /** Sigma rules that were not run, with why. */
  sigmaSkipped: ReadonlyArray<{file: string; id?: string; title?: string; reason: string}>
  /** The facts draft written (`--facts-out`), or null. */
  factsDraft: string | null
  phiPathsFile: string | null
}

export const REPORT_DISCLAIMER = 'Findings are leads drawn from the evidence by rules, for an investigator to confirm; the scope and any facts draft are for counsel to review. Not legal advice.'
