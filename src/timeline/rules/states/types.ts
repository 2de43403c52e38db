import type {IsoDate, RuleStatus} from '../../types.js'

/** What a state clock counts from: discovery (or, where `orNotification`, a vendor's notice) or determination. */
export type Trigger = 'determination' | 'discovery'
export type DayUnit = 'business' | 'calendar'

export type Threshold = {n: number; op: '>' | '>='} | {op: 'any'}

/** A reference to another notice: this state's resident item, or the federal HHS filing. */
export type ChainTarget = 'hhs' | 'individuals'

export type Timing =
  | {kind: 'chained'; after: ChainTarget; n: number; relation: 'after' | 'before' | 'not-later-than'; unit: DayUnit}
  | {kind: 'days'; capByIndividuals?: boolean; extension?: number; from: Trigger; n: number; unit: DayUnit}
  | {kind: 'none'; text: string}

export interface StateItem {
  /** Deadline id suffix: `state:XX:<key>`. */
  key: string
  title: string
  audience: string
  timing: Timing
  threshold: Threshold
  citation: string
  status: RuleStatus
  /** `notifier`: whoever notifies residents (a covered entity, or an FTC-regime vendor); `business-associate`: a vendor's duty to its client. */
  appliesTo: 'business-associate' | 'notifier'
  /** The trigger also runs from a vendor's notice ("discovery or notification"). */
  orNotification?: boolean
  /** Only for HIPAA covered entities (e.g. "within 5 business days of notifying HHS"). */
  hipaaOnly?: boolean
  /** Skipped for HIPAA-regulated reporters (the state deems HIPAA compliance to satisfy this item, e.g. 815 ILCS 530/50). */
  notForHipaa?: boolean
  /** For breaches discovered on or after this date; `before` applies to earlier ones (no `before`: the item did not exist yet). */
  effectiveFrom?: IsoDate
  before?: Timing
  /** Where the item's text was read, when it differs from the state's `source` (a `verified` item names the statute text read). */
  source?: string
  notes?: string[]
}

/**
 * The state's own test for whether notice is owed, judged apart from HIPAA's 164.402(2) presumption:
 * `none` (no risk-of-harm analysis: acquisition of covered data is enough), `risk-of-harm` (its own
 * harm analysis), `unknown` (not established from the sources).
 */
export interface OwnTest {
  harm: 'none' | 'risk-of-harm' | 'unknown'
  /** What the state's test and definition of covered data are, with the source and its status. */
  text: string
}

export interface StateRule {
  state: string
  name: string
  citation: string
  /** What the sources say about a HIPAA-compliant entity being deemed compliant or exempt. */
  hipaaDeference: string
  /** `maybe`: deference may switch the resident notice off ("deferred?"); `exempt`: the law does not apply to HIPAA entities. */
  deferral: 'content-only' | 'exempt' | 'maybe' | 'none'
  /** The sources the state's rows rest on (breach-rules.md §4 "Sources checked", or the review). */
  source: string
  /** The state's own notice test, used when HIPAA finds no notification required. Absent: unknown. */
  ownTest?: OwnTest
  items: StateItem[]
}
