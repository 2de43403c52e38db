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
  /** For breaches discovered on or after this date; `before` applies to earlier ones. */
  effectiveFrom?: IsoDate
  before?: Timing
  notes?: string[]
}

export interface StateRule {
  state: string
  name: string
  citation: string
  /** What the sources say about a HIPAA-compliant entity being deemed compliant or exempt. */
  hipaaDeference: string
  /** `maybe`: deference may switch the resident notice off ("deferred?"); `exempt`: the law does not apply to HIPAA entities. */
  deferral: 'content-only' | 'exempt' | 'maybe' | 'none'
  items: StateItem[]
}
