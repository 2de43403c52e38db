import type {Facts} from '../../facts/schema.js'
import type {ClockInfo, Deadline, IsoDate, RuleStatus, StateSummary} from '../../types.js'
import type {DelayWindow} from '../federal/law-enforcement-delay.js'
import type {StateItem, Threshold, Timing} from './types.js'

import {addBy, earlierOf} from '../../calendar.js'
import {describeHoliday, federalHolidaysBetween} from '../../federal-holidays.js'
import {deadline} from '../deadline.js'
import {FACILITY_RULES, STATE_RULES} from './table.js'

/** Everything a state rule may count from; built once by the engine. */
export interface StateContext {
  facts: Facts
  clock: ClockInfo
  /** The state "discovery or notification" date (a covered entity told by its business associate). */
  notificationDate: IsoDate
  /** The federal HHS deadline (hhs or hhs-annual), for "N business days after notifying HHS". */
  hhs: Deadline | undefined
  delay: DelayWindow | undefined
  planned: Readonly<Record<string, IsoDate>>
}

export interface StateResult {
  deadlines: Deadline[]
  summaries: StateSummary[]
  warnings: string[]
}

const RANK: Record<RuleStatus, number> = {unverified: 0, secondary: 1, verified: 2}

export function worstStatus(statuses: RuleStatus[]): RuleStatus {
  return statuses.reduce<RuleStatus>((worst, s) => (RANK[s] < RANK[worst] ? s : worst), 'verified')
}

function meets(threshold: Threshold, residents: number): boolean {
  if (threshold.op === 'any') return residents > 0
  return threshold.op === '>' ? residents > threshold.n : residents >= threshold.n
}

function thresholdText(threshold: Threshold): string {
  return threshold.op === 'any' ? 'any number' : `${threshold.op === '>' ? 'more than' : 'at least'} ${threshold.n}`
}

const unitWord = (unit: 'business' | 'calendar'): string => (unit === 'business' ? 'business' : 'calendar')

interface Computed {
  due: IsoDate | null
  due_text?: string
  due_if_extended?: IsoDate
  basis: string
  chained?: Deadline['chained']
  /** The span a business-day count ran over (start excluded), to name the holidays inside it. */
  counted?: {from: IsoDate; to: IsoDate}
  notes: string[]
}

function triggerDate(item: StateItem, from: 'determination' | 'discovery', ctx: StateContext): {date: IsoDate; label: string} {
  const base = item.orNotification === true ? ctx.notificationDate : ctx.clock.discovered
  const baseLabel = item.orNotification === true && base !== ctx.clock.discovered ? 'notice from the business associate' : 'discovery'
  if (from === 'determination') {
    const determined = ctx.facts.determined
    return determined === undefined ? {date: base, label: `${baseLabel} (no \`determined\` date given: conservative)`} : {date: determined, label: 'determination'}
  }
  return {date: base, label: baseLabel}
}

function compute(state: string, item: StateItem, timing: Timing, ctx: StateContext, resident: Deadline | undefined): Computed {
  if (timing.kind === 'none') return {due: null, due_text: timing.text, basis: timing.text, notes: []}
  if (timing.kind === 'days') {
    const {date, label} = triggerDate(item, timing.from, ctx)
    let due = addBy(date, timing.n, timing.unit)
    const notes: string[] = []
    let basis = `${label} ${date} + ${timing.n} ${unitWord(timing.unit)} days = ${due}`
    if (timing.capByIndividuals === true && resident !== undefined) {
      const sent = ctx.planned[resident.id] ?? resident.due
      if (sent !== null && sent < due) {
        due = earlierOf(due, sent)
        basis += `; capped by the resident notice (${sent}), whichever is sooner`
      }
    }
    const out: Computed = {due, basis, notes}
    if (timing.unit === 'business') out.counted = {from: date, to: due}
    if (timing.extension !== undefined) out.due_if_extended = addBy(date, timing.n + timing.extension, timing.unit)
    return out
  }
  const target = timing.after === 'hhs' ? ctx.hhs : resident
  const targetName = timing.after === 'hhs' ? 'the HHS filing' : `the ${state} resident notice`
  if (target === undefined) return {due: null, due_text: `${timing.relation} ${targetName}`, basis: `${targetName} is not due`, notes: []}
  const plannedDate = ctx.planned[target.id]
  const from = plannedDate ?? target.due
  const relationText = timing.relation === 'after' ? `${timing.n} ${unitWord(timing.unit)} days after` : timing.relation === 'before' ? 'before' : 'not later than'
  const chained = {after: target.id, relation: relationText, from, planned: plannedDate !== undefined}
  const fromWords = plannedDate === undefined ? 'its latest date' : 'the planned send date'
  if (from === null) return {due: null, due_text: `${relationText} ${targetName} (which has no day count)`, basis: `chained to ${target.id}`, chained, notes: []}
  const due = timing.relation === 'after' ? addBy(from, timing.n, timing.unit) : from
  const notes = [`Chained: counts from the actual send date of ${target.id}; computed from ${fromWords} ${from}. Set \`planned: { "${target.id}": DATE }\` in the facts to recompute.`]
  if (timing.relation === 'before') notes.push(`Send this BEFORE ${target.id} goes out.`)
  const out: Computed = {due, basis: `${relationText} ${targetName} (${from}) = ${due}`, chained, notes}
  if (timing.relation === 'after' && timing.unit === 'business') out.counted = {from, to: due}
  return out
}

/** What a business-day count means for holidays: it skips weekends only, and names the federal holidays inside it. */
function businessDayNote(state: string, counted: {from: IsoDate; to: IsoDate}): string {
  const holidays = federalHolidaysBetween(counted.from, counted.to)
  if (holidays.length === 0) {
    return 'Business days skip weekends only. No federal holiday falls inside this count; a state-only holiday would push the date later.'
  }
  return `Business days skip weekends only. Federal holidays inside this count: ${holidays.map(describeHoliday).join(', ')}. If ${state}'s offices close on them, the date moves one business day later for each; it is not moved here.`
}

function applies(item: StateItem, residents: number, ctx: StateContext): boolean {
  const notifier = ctx.facts.reporter !== 'business-associate'
  if (item.appliesTo === 'notifier' && !notifier) return false
  if (item.appliesTo === 'business-associate' && notifier) return false
  if (item.hipaaOnly === true && ctx.facts.regime !== 'hipaa') return false
  return meets(item.threshold, residents)
}

function evaluateItems(state: string, items: StateItem[], residents: number, ctx: StateContext, deferralNote: string | undefined): Deadline[] {
  const out: Deadline[] = []
  let resident: Deadline | undefined
  for (const item of items) {
    if (!applies(item, residents, ctx)) continue
    const timing = item.effectiveFrom !== undefined && ctx.clock.discovered < item.effectiveFrom && item.before !== undefined ? item.before : item.timing
    const c = compute(state, item, timing, ctx, resident)
    const notes = [...c.notes, ...(item.notes ?? []), `Threshold: ${thresholdText(item.threshold)} (${residents} residents).`]
    if (c.counted !== undefined) notes.push(businessDayNote(state, c.counted))
    if (item.key === 'individuals' && deferralNote !== undefined) notes.push(deferralNote)
    if (ctx.delay !== undefined) notes.push(`The federal law-enforcement delay is not applied to this state date; ${state} has its own law-enforcement provision: confirm with counsel.`)
    notes.push('Applies if the breached data includes the state\'s defined "personal information" elements.')
    const d = deadline({
      id: `state:${state}:${item.key}`,
      title: item.title,
      audience: item.audience,
      due: c.due,
      ...(c.due_text === undefined ? {} : {due_text: c.due_text}),
      ...(c.due_if_extended === undefined ? {} : {due_if_extended: c.due_if_extended}),
      citation: item.citation,
      status: item.status,
      regime: 'state',
      state,
      basis: c.basis,
      ...(c.chained === undefined ? {} : {chained: c.chained}),
      notes,
    })
    if (item.key === 'patients' && ctx.delay !== undefined) d.due_if_tolled = addBy(ctx.delay.ends, 15, 'business')
    if (item.key === 'individuals') resident = d
    out.push(d)
  }
  return out
}

/** Every state item for the residents in `affected` (and a licensed facility's duties), with a per-state summary. */
export function evaluateStates(ctx: StateContext): StateResult {
  const deadlines: Deadline[] = []
  const summaries: StateSummary[] = []
  const warnings: string[] = []
  const determinationStates: string[] = []
  const entries = Object.entries(ctx.facts.affected).filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b))
  for (const [state, residents] of entries) {
    const rule = STATE_RULES.get(state)
    if (rule === undefined) {
      summaries.push({state, residents, coverage: 'not-covered', status: 'unverified', citation: null, hipaa_deference: null, note: 'not covered: no shorter statutory day count known; check this state\'s law with counsel'})
      warnings.push(`${state}: not covered by the rules table (no shorter statutory day count known); check ${state} law with counsel.`)
      continue
    }
    const status = worstStatus(rule.items.map((i) => i.status))
    if (rule.deferral === 'exempt' && ctx.facts.regime === 'hipaa') {
      summaries.push({state, residents, coverage: 'hipaa-exempt', status, citation: rule.citation, hipaa_deference: rule.hipaaDeference, note: `${rule.name}'s law does not apply to entities subject to HIPAA (${status})`})
      continue
    }
    const deferralNote = rule.deferral === 'maybe' ? `(deferred?) HIPAA deference: ${rule.hipaaDeference}` : rule.deferral === 'content-only' ? `HIPAA deference: ${rule.hipaaDeference}` : undefined
    const items = evaluateItems(state, rule.items, residents, ctx, ctx.facts.regime === 'hipaa' ? deferralNote : undefined)
    if (rule.items.some((i) => i.timing.kind === 'days' && i.timing.from === 'determination') && ctx.facts.determined === undefined && items.length > 0) determinationStates.push(state)
    deadlines.push(...items)
    summaries.push({state, residents, coverage: 'covered', status, citation: rule.citation, hipaa_deference: rule.hipaaDeference, note: `${items.length} item(s) triggered`})
  }
  if (determinationStates.length > 0) {
    warnings.push(`${determinationStates.join(', ')} count from the determination of a breach; the facts give no \`determined\`, so the discovery date is used (conservative). Add \`determined: DATE\` if a later determination date applies.`)
  }
  const facility = ctx.facts.licensed_facility
  if (facility !== undefined) {
    const items = FACILITY_RULES.get(facility)
    const total = Object.values(ctx.facts.affected).reduce((a, b) => a + b, 0)
    if (items === undefined) warnings.push(`licensed_facility ${facility}: no licensed-facility rule on file; check ${facility} health-facility reporting law.`)
    else deadlines.push(...evaluateItems(facility, items, total, ctx, undefined))
  }
  return {deadlines, summaries, warnings}
}
