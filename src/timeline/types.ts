/** Shared types of the breach-notification timeline (pure data, no behaviour). */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string

/** How well a rule was checked (breach-rules.md legend). */
export type RuleStatus = 'secondary' | 'unverified' | 'verified'

export type Regime = 'ftc-hbnr' | 'hipaa'

/** A deadline that counts from another notice's send date (planned, or the other notice's latest date). */
export interface ChainInfo {
  /** The notice this one counts from: a deadline id. */
  after: string
  /** Human wording: "15 calendar days after", "5 business days after", "not later than", "before". */
  relation: string
  /** The send date the computation used. */
  from: IsoDate | null
  /** True when `from` came from `planned` in the facts, false when it is the other notice's latest date. */
  planned: boolean
}

export interface Deadline {
  id: string
  title: string
  audience: string
  /** The latest lawful date (conservative reading); null when the rule has no day count. */
  due: IsoDate | null
  /** Why there is no date, when `due` is null. */
  due_text?: string
  /** Under a law-enforcement delay: the tolling reading (ask counsel). */
  due_if_tolled?: IsoDate
  /** A statutory extension (e.g. Florida's good-cause 15 days). */
  due_if_extended?: IsoDate
  /** The date before a law-enforcement delay moved it. */
  original_due?: IsoDate
  /** A law-enforcement hold requested after `due` had passed: the entity is late, and the official asks to wait until this date (164.412). */
  held_until?: IsoDate
  /** A business-day count that also skips the federal and state holidays inside it (the date is never moved; this is the other reading). */
  due_if_holidays_skipped?: IsoDate
  /** The federal holiday `due` falls on (flagged, never moved). */
  holiday?: string
  citation: string
  status: RuleStatus
  /** Where the rule's text was read (statute/regulation text for `verified`) or which summaries it rests on. */
  source?: string
  regime: 'federal' | 'state'
  state?: string
  /**
   * When HIPAA found no notification required (secured PHI, an exception, a low probability): why
   * this state notice may still be owed under the state's own test.
   */
  condition?: string
  /** How the date was computed, in words. */
  basis: string
  chained?: ChainInfo
  weekday?: string
  weekend?: boolean
  days_left?: number
  overdue?: boolean
  notes: string[]
}

export type StateCoverage = 'covered' | 'hipaa-exempt' | 'not-covered'

export interface StateSummary {
  state: string
  residents: number
  coverage: StateCoverage
  /** Worst (least verified) status among the state's items; `unverified` for not-covered states. */
  status: RuleStatus
  citation: string | null
  hipaa_deference: string | null
  note: string
  /** When HIPAA found no notification required: whether and why this state's notices may still be owed. */
  after_hipaa_no_notice?: string
}

export interface ClockInfo {
  /** The reporter's discovery date that drives the federal clocks. */
  discovered: IsoDate
  discovery_basis: string
  determined: IsoDate | null
  /** For a covered entity reporting a business associate's breach: the other agency reading. */
  alternative?: {discovered: IsoDate; basis: string}
  law_enforcement_delay?: {kind: 'oral' | 'written'; received: IsoDate; ends: IsoDate; basis: string}
}

export interface PostureInput {
  path: string
  found: boolean
  control?: {evidence: string; id: string; phi_dirs: string[]; status: string; time?: string}
  note: string
}

export interface Timeline {
  id: string
  regime: Regime
  reporter: 'business-associate' | 'covered-entity' | 'service-provider' | 'vendor'
  as_of: IsoDate
  notification_required: boolean
  reasons: string[]
  deadlines: Deadline[]
  /** What 164.414(b) requires you to keep (always listed). */
  documentation: string[]
  states: StateSummary[]
  clock: ClockInfo | null
  warnings: string[]
  conventions: string[]
  affected_total: number
  evidence?: PostureInput
  /** Facts still `[[DECIDE]]`: every deadline is then provisional (see facts/undecided.ts). */
  undecided?: string[]
  disclaimer: string
}
