/** The data a tabletop scenario is made of (pure types, no behaviour). */
import type {FactsInput} from '../timeline/facts/schema.js'

/** One file of the synthetic system root, as a path on that system (`/var/log/auth.log`). */
export interface PlannedFile {
  path: string
  content: string | Uint8Array
  /** ISO 8601 date-time; the file's mtime (and atime). */
  mtime: string
  mode?: number
}

/** What a scenario's generator returns: the synthetic root, written to disk by the runner. */
export interface RootPlan {
  host: string
  /** Folders whose mtime is set last (after every file is written), so a fresh folder never looks "recently modified". */
  folderTime: string
  files: PlannedFile[]
  /** The clinic's patient map, when the scenario knows whose PHI its files hold (`analyze --patient-map`). */
  patients?: PatientRow[]
}

/** One row of a patient map: `path,patient_id,state`. */
export interface PatientRow {
  path: string
  patientId: string
  state: string
}

/** Something the facilitator reveals, and when. */
export interface Inject {
  /** When, in exercise time: "T+0:20", "day 3". */
  at: string
  text: string
  /** A hint for the facilitator: what the team should do or decide now. */
  prompt?: string
}

/** What to measure in the collected evidence or the computed timeline. */
export type FindingCheck =
  | {kind: 'auth-count'; filter: AuthFilter}
  | {kind: 'auth-distinct-ips'; filter: AuthFilter}
  | {kind: 'audit-count'; filter: AuditFilter}
  | {kind: 'audit-distinct-paths'; filter: AuditFilter}
  | {kind: 'phi-files'; pathPrefix?: string}
  | {kind: 'notification-required'}
  | {kind: 'deadline-due'; id: string}
  | {kind: 'deadline-present'; id: string}
  | {kind: 'agency-alternative'}

export interface AuthFilter {
  kind?: string
  user?: string
  ip?: string
  /** ISO 8601: only events at or after this instant. */
  after?: string
  /** ISO 8601: only events before this instant. */
  before?: string
}

export interface AuditFilter {
  key?: string
  auid?: string
  exe?: string
}

export type FindingValue = boolean | null | number | string

export interface ExpectedFinding {
  id: string
  /** What it means, in words: "accepted SSH login for svc-backup from 203.0.113.45". */
  label: string
  check: FindingCheck
  expected: FindingValue
  /** The `hipaa-ir analyze` rule ids that show the same thing (any one of them is a match). */
  rules?: readonly string[]
}

export interface Scenario {
  id: string
  title: string
  summary: string
  /** The story the facilitator reads out at the start. */
  story: string[]
  /** Kind of runbook that covers it (file name in docs/runbooks without .md). */
  runbook: string
  /** Case id used for collect and the facts. */
  caseId: string
  /** Collect window start (ISO 8601 date-time): every planted in-window event is at or after it. */
  since: string
  /** Exercise "today" for the timeline's days-left (YYYY-MM-DD). */
  asOf: string
  generate: () => RootPlan
  facts: FactsInput
  injects: Inject[]
  questions: string[]
  /** Open questions the team must answer after the exercise. */
  openQuestions: string[]
  expected: ExpectedFinding[]
}

export interface ScenarioSummary {
  id: string
  title: string
  summary: string
}
