import type {Facts} from '../../facts/schema.js'
import type {ClockInfo, Deadline, IsoDate, RuleStatus, StateSummary} from '../../types.js'
import type {DelayWindow} from '../federal/law-enforcement-delay.js'
import type {StateItem, StateRule, Threshold, Timing} from './types.js'

import {addBy, earlierOf} from '../../calendar.js'
import {describeHoliday, federalHolidaysBetween} from '../../federal-holidays.js'
import {addBusinessDaysSkippingHolidays, hasStateHolidays, stateHolidaysBetween} from '../../state-holidays.js'
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
  /** Set when HIPAA found no notification required: state items are still judged, each by the state's own test. */
  hipaaOutcome?: HipaaNoNotice | undefined
}

/** Why HIPAA requires no notification (45 CFR 164.402): secured PHI, an exception, or a low probability of compromise. */
export type HipaaNoNotice = 'exception' | 'low-probability' | 'secured'

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
  counted?: {from: IsoDate; to: IsoDate; n: number}
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
    const counted = addBy(date, timing.n, timing.unit)
    let due = counted
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
    if (timing.unit === 'business') out.counted = {from: date, to: counted, n: timing.n}
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
  if (timing.relation === 'after' && timing.unit === 'business') out.counted = {from, to: due, n: timing.n}
  return out
}

/**
 * What a business-day count means for holidays: it skips weekends only, names the federal and state
 * holidays inside it, and gives the date a count that skips them would reach (never used as `due`).
 */
function businessDayNote(state: string, counted: {from: IsoDate; to: IsoDate; n: number}): {note: string; skipped?: IsoDate} {
  const federal = federalHolidaysBetween(counted.from, counted.to)
  const local = stateHolidaysBetween(state, counted.from, counted.to)
  const noTable = hasStateHolidays(state) ? '' : '; a state-only holiday would push the date later'
  if (federal.length === 0 && local.length === 0) {
    return {note: `Business days skip weekends only. No federal holiday falls inside this count${noTable}.`}
  }
  const parts = ['Business days skip weekends only.']
  if (federal.length > 0) parts.push(`Federal holidays inside this count: ${federal.map(describeHoliday).join(', ')}. If ${state}'s offices close on them, the date moves one business day later for each; it is not moved here.`)
  if (local.length > 0) parts.push(`${state} holidays inside this count: ${local.map(describeHoliday).join(', ')}; it is not moved here.`)
  const skipped = addBusinessDaysSkippingHolidays(state, counted.from, counted.n)
  parts.push(`Skipping ${federal.length + local.length === 1 ? 'that holiday' : 'those holidays'}, the count ends ${skipped} (due_if_holidays_skipped); ask counsel which reading ${state} uses.`)
  return {note: parts.join(' '), skipped}
}

function sourceOf(item: StateItem, stateSource: string | undefined): {source?: string} {
  const source = item.source ?? stateSource
  return source === undefined ? {} : {source}
}

/** Whether a state notice may still be owed when HIPAA requires none, judged by the state's own test. */
export function ownTestJudgement(rule: StateRule, outcome: HipaaNoNotice): {likely: boolean; text: string} {
  const name = rule.name
  const deference =
    rule.deferral === 'none'
      ? ` No HIPAA deference found for ${name}.`
      : rule.deferral === 'content-only'
        ? ` ${name}'s HIPAA clause covers the content of the notice only, not whether to notify.`
        : ` ${name} may defer to HIPAA (${rule.hipaaDeference.replace(/\.$/, '')}); whether that covers a HIPAA "no notification" outcome is for counsel.`
  if (outcome === 'secured') {
    return {
      likely: false,
      text: `HIPAA's "secured PHI" is not ${name}'s test: ${name} decides by its own definition of covered data and its own encryption clause (${rule.citation}). Owed if the data falls outside that clause (for example, the key was also acquired).${deference}`,
    }
  }
  const what = outcome === 'exception' ? '164.402(1) exception' : 'low-probability finding (164.402(2))'
  const test = rule.ownTest
  if (test?.harm === 'none') {
    return {likely: true, text: `MAY STILL BE OWED: HIPAA's ${what} rebuts only the HIPAA presumption. ${name} applies its own test: ${test.text}. Owed if the breached data includes ${name}'s covered data.${deference}`}
  }
  if (test?.harm === 'risk-of-harm') {
    return {likely: false, text: `May still be owed: ${name} has its own risk-of-harm test (${test.text}); document a separate ${name} analysis, not the HIPAA 4-factor one.${deference}`}
  }
  return {
    likely: false,
    text: `May still be owed: HIPAA's ${what} does not decide ${name}'s duty. ${name}'s own test (its definition of covered data, and whether it allows a risk-of-harm analysis) is not established here (UNVERIFIED): confirm with counsel.${deference}`,
  }
}

function applies(item: StateItem, residents: number, ctx: StateContext): boolean {
  const notifier = ctx.facts.reporter === 'covered-entity' || ctx.facts.reporter === 'vendor'
  if (item.appliesTo === 'notifier' && !notifier) return false
  if (item.appliesTo === 'business-associate' && notifier) return false
  if (item.hipaaOnly === true && ctx.facts.regime !== 'hipaa') return false
  // A HIPAA-only item follows a HIPAA notice (an HHS filing, a copy of the HIPAA notice); with none owed, it is moot.
  if (item.hipaaOnly === true && ctx.hipaaOutcome !== undefined) return false
  if (item.notForHipaa === true && ctx.facts.regime === 'hipaa') return false
  if (item.effectiveFrom !== undefined && item.before === undefined && ctx.clock.discovered < item.effectiveFrom) return false
  return meets(item.threshold, residents)
}

function evaluateItems(state: string, items: StateItem[], residents: number, ctx: StateContext, deferralNote: string | undefined, source: string | undefined, condition?: string): Deadline[] {
  const out: Deadline[] = []
  let resident: Deadline | undefined
  for (const item of items) {
    if (!applies(item, residents, ctx)) continue
    const timing = item.effectiveFrom !== undefined && ctx.clock.discovered < item.effectiveFrom && item.before !== undefined ? item.before : item.timing
    const c = compute(state, item, timing, ctx, resident)
    const notes = [...(condition === undefined ? [] : [condition]), ...c.notes, ...(item.notes ?? []), `Threshold: ${thresholdText(item.threshold)} (${residents} residents).`]
    const holidays = c.counted === undefined ? undefined : businessDayNote(state, c.counted)
    if (holidays !== undefined) notes.push(holidays.note)
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
      // Only for an uncapped count: a date capped by an earlier resident notice is not moved by holidays.
      ...(holidays?.skipped === undefined || holidays.skipped === c.due || c.counted?.to !== c.due ? {} : {due_if_holidays_skipped: holidays.skipped}),
      citation: item.citation,
      status: item.status,
      ...sourceOf(item, source),
      regime: 'state',
      state,
      ...(condition === undefined ? {} : {condition}),
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
  const outcome = ctx.hipaaOutcome
  const stillOwed: string[] = []
  for (const [state, residents] of entries) {
    const rule = STATE_RULES.get(state)
    if (rule === undefined) {
      const summary: StateSummary = {state, residents, coverage: 'not-covered', status: 'unverified', citation: null, hipaa_deference: null, note: 'not in the rules table: this state may require regulator notice and may set a day count; check with counsel'}
      if (outcome !== undefined) {
        summary.after_hipaa_no_notice = `May still be owed: ${state} applies its own test, which is not in the rules table; check with counsel.`
        stillOwed.push(`${state} (not in the table)`)
      }
      summaries.push(summary)
      warnings.push(`${state}: not in the rules table; ${state} may require regulator notice and may set its own day count. Check ${state} law with counsel.`)
      continue
    }
    const status = worstStatus(rule.items.map((i) => i.status))
    if (rule.deferral === 'exempt' && ctx.facts.regime === 'hipaa') {
      const summary: StateSummary = {state, residents, coverage: 'hipaa-exempt', status, citation: rule.citation, hipaa_deference: rule.hipaaDeference, note: `${rule.name}'s law does not apply to entities subject to HIPAA (${status})`}
      if (outcome !== undefined) summary.after_hipaa_no_notice = `Not owed: ${rule.name}'s law does not apply to entities subject to HIPAA (${status}).`
      summaries.push(summary)
      continue
    }
    const judged = outcome === undefined ? undefined : ownTestJudgement(rule, outcome)
    const deferralNote = rule.deferral === 'maybe' ? `(deferred?) HIPAA deference: ${rule.hipaaDeference}` : rule.deferral === 'content-only' ? `HIPAA deference: ${rule.hipaaDeference}` : undefined
    const items = evaluateItems(state, rule.items, residents, ctx, ctx.facts.regime === 'hipaa' && judged === undefined ? deferralNote : undefined, rule.source, judged?.text)
    if (rule.items.some((i) => i.timing.kind === 'days' && i.timing.from === 'determination') && ctx.facts.determined === undefined && items.length > 0) determinationStates.push(state)
    deadlines.push(...items)
    const summary: StateSummary = {state, residents, coverage: 'covered', status, citation: rule.citation, hipaa_deference: rule.hipaaDeference, note: `${items.length} item(s) triggered`}
    if (judged !== undefined && items.length > 0) {
      summary.after_hipaa_no_notice = judged.text
      stillOwed.push(`${state}${judged.likely ? ' (likely: no risk-of-harm test)' : ''}`)
    }
    summaries.push(summary)
  }
  if (outcome !== undefined && stillOwed.length > 0) {
    warnings.unshift(`HIPAA requires no notification (${outcome}), but state notices may still be owed: each state applies its own test (its definition of covered data, its own risk-of-harm rule or none, its own HIPAA clause). Check: ${stillOwed.join(', ')}. Each state:XX item says why.`)
  }
  if (determinationStates.length > 0) {
    warnings.push(`${determinationStates.join(', ')} count from the determination of a breach; the facts give no \`determined\`, so the discovery date is used (conservative). Add \`determined: DATE\` if a later determination date applies.`)
  }
  const facility = ctx.facts.licensed_facility
  if (facility !== undefined) {
    const items = FACILITY_RULES.get(facility)
    const total = Object.values(ctx.facts.affected).reduce((a, b) => a + b, 0)
    if (items === undefined) warnings.push(`licensed_facility ${facility}: no licensed-facility rule on file; check ${facility} health-facility reporting law.`)
    else {
      const condition = outcome === undefined ? undefined : `May still be owed: the licensed-facility report applies its own definition of a reportable breach, not HIPAA's ${outcome === 'secured' ? 'secured-PHI rule' : 'risk assessment'}; confirm with counsel.`
      deadlines.push(...evaluateItems(facility, items, total, ctx, undefined, undefined, condition))
    }
  }
  return {deadlines, summaries, warnings}
}
