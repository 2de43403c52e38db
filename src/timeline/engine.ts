import type {Facts} from './facts/schema.js'
import type {Deadline, IsoDate, Timeline} from './types.js'

import {daysBetween, isWeekend, plusDays, weekdayOf} from './calendar.js'
import {CONVENTIONS, DISCLAIMER} from './conventions.js'
import {federalHolidaysBetween} from './federal-holidays.js'
import {determineBreach} from './rules/federal/breach-determination.js'
import {coveredEntityDeadline} from './rules/federal/business-associate.js'
import {federalClock, stateNotificationDate} from './rules/federal/discovery.js'
import {documentationDuties} from './rules/federal/documentation.js'
import {FTC_MEDIA_THRESHOLD, ftcIndividuals, ftcNotice, ftcServiceProviderNotice} from './rules/federal/ftc.js'
import {hhsDeadline} from './rules/federal/hhs.js'
import {individualsDeadline, substituteNotice, urgentPhone} from './rules/federal/individuals.js'
import {delayWindow, type DelayWindow, FTC_DELAY, HIPAA_DELAY} from './rules/federal/law-enforcement-delay.js'
import {MEDIA_THRESHOLD, mediaDeadlines} from './rules/federal/media.js'
import {labelDelayedDate} from './rules/federal/sixty-day.js'
import {evaluateStates, type HipaaNoNotice} from './rules/states/evaluate.js'

const WEEKDAY_NAMES: Record<string, string> = {Sat: 'Saturday', Sun: 'Sunday'}

/** 16 CFR 318.5(b): "500 or more" residents of a State (law review F11; SECONDARY, the eCFR text was not read). */
const FTC_MEDIA = {
  citation: '16 CFR 318.5(b)',
  status: 'secondary' as const,
  op: '>=' as const,
  n: FTC_MEDIA_THRESHOLD,
  content: 'same content as the individual notice (16 CFR 318.6)',
  source: 'reliclawpllc.com: "In cases that involve 500 or more data subjects within a single state, prominent news media must be notified"; the 318.5(b) text itself was not read',
}

function federalDeadlines(facts: Facts, discovered: IsoDate, total: number, delay: DelayWindow | undefined, warnings: string[]): Deadline[] {
  const ftc = facts.regime === 'ftc-hbnr'
  if (facts.reporter === 'business-associate') return [coveredEntityDeadline(discovered, delay)]
  if (facts.reporter === 'service-provider') return [ftcServiceProviderNotice(discovered, delay)]
  const individuals = ftc ? ftcIndividuals(discovered, delay) : individualsDeadline(discovered, delay)
  const out: Deadline[] = [individuals]
  const substitute = substituteNotice(facts.insufficient_contact, individuals, ftc)
  if (substitute.deadline !== undefined) {
    // Law review L4: substitute notice requires a toll-free number (164.404(d)(2)(ii)(B); 318.5(a)(2)).
    if (facts.entity.toll_free !== true) substitute.deadline.notes.push(`Requires a toll-free number active at least 90 days (${ftc ? '16 CFR 318.5(a)(2)' : '164.404(d)(2)(ii)(B)'}); the facts do not say entity.phone is toll-free (entity.toll_free: true), so the draft leaves it missing.`)
    out.push(substitute.deadline)
  }
  if (substitute.note !== undefined) individuals.notes.push(substitute.note)
  if (!ftc) {
    const urgent = urgentPhone(facts.urgent, individuals)
    if (urgent !== undefined) out.push(urgent)
  }
  out.push(...(ftc ? mediaDeadlines(facts.affected, individuals, FTC_MEDIA) : mediaDeadlines(facts.affected, individuals)))
  const plannedIndividuals = facts.planned?.individuals
  out.push(ftc ? ftcNotice(total, discovered, individuals, delay, plannedIndividuals) : hhsDeadline(total, discovered, individuals, delay, plannedIndividuals))
  if (total > MEDIA_THRESHOLD) {
    warnings.push(`Media notice is tested per State (${ftc ? '500 or more' : 'more than 500'} residents). A sub-state "jurisdiction" (county or city) could also need media notice (UNVERIFIED reading of the 2009 preamble); hipaa-ir only sees state counts.`)
  }
  return out.map(labelDelayedDate)
}

/** The federal holiday (5 U.S.C. 6103, observed day) a date falls on, if any. */
function holidayOn(date: IsoDate): string | undefined {
  return federalHolidaysBetween(plusDays(date, -1), date)[0]?.name
}

function annotate(d: Deadline, asOf: IsoDate, warnings: string[]): Deadline {
  if (d.due === null) return d
  d.weekday = weekdayOf(d.due)
  d.weekend = isWeekend(d.due)
  d.days_left = daysBetween(asOf, d.due)
  d.overdue = d.days_left < 0
  if (d.weekend) warnings.push(`${d.id}: ${d.due} is a ${WEEKDAY_NAMES[d.weekday] ?? d.weekday}; deadlines are not rolled forward, so send by the Friday before.`)
  const holiday = holidayOn(d.due)
  if (holiday !== undefined) {
    // Law review F8: breach-rules.md §0.1 "If a deadline falls on a Saturday, Sunday or holiday, the tool shows the weekday and warns the user."
    d.holiday = holiday
    warnings.push(`${d.id}: ${d.due} is ${holiday}, a federal holiday; deadlines are not rolled forward, so send by the business day before.`)
  }
  return d
}

function byDate(a: Deadline, b: Deadline): number {
  if (a.due === b.due) return a.id.localeCompare(b.id)
  if (a.due === null) return 1
  if (b.due === null) return -1
  return a.due < b.due ? -1 : 1
}

function factWarnings(facts: Facts, discovered: IsoDate): string[] {
  const warnings: string[] = []
  const start = facts.breach.start
  if (start !== undefined && discovered < start) warnings.push(`discovered (${discovered}) is before breach.start (${start}): check both dates.`)
  const ba = facts.business_associate
  if (ba?.discovered !== undefined && ba.notified_ce !== undefined && ba.notified_ce > plusDays(ba.discovered, 60)) {
    warnings.push(`The business associate notified you on ${ba.notified_ce}, after its own 60-day limit (${plusDays(ba.discovered, 60)}, 164.410(b)).`)
  }
  if (facts.regime === 'ftc-hbnr' && (facts.exception !== 'none' || facts.low_probability)) {
    warnings.push('`exception` and `low_probability` are HIPAA concepts; the FTC rule presumes unauthorized access is acquisition unless reliable evidence shows otherwise.')
  }
  if (facts.regime === 'ftc-hbnr' && facts.reporter !== 'vendor' && facts.reporter !== 'service-provider') {
    warnings.push('regime ftc-hbnr does not cover HIPAA covered entities or business associates (16 CFR 318.1(a)); set reporter: vendor (or service-provider for a third-party service provider).')
  }
  return warnings
}

/** Which HIPAA "no notification" route applies (undefined when notice is required or nobody is affected). */
function noNoticeOutcome(facts: Facts, required: boolean): HipaaNoNotice | undefined {
  if (required) return undefined
  if (facts.secured) return 'secured'
  if (facts.exception !== 'none') return 'exception'
  return facts.low_probability ? 'low-probability' : undefined
}

/** The whole timeline for validated facts, as of a date. Pure: no clock, no I/O. */
export function computeTimeline(facts: Facts, asOf: IsoDate): Timeline {
  const total = Object.values(facts.affected).reduce((sum, n) => sum + n, 0)
  const determination = determineBreach(facts)
  const clock = federalClock(facts)
  const delay = delayWindow(facts, plusDays(clock.discovered, 60), facts.regime === 'ftc-hbnr' ? FTC_DELAY : HIPAA_DELAY)
  if (delay !== undefined) clock.law_enforcement_delay = {kind: delay.kind, received: delay.received, ends: delay.ends, basis: delay.basis}
  const warnings = factWarnings(facts, clock.discovered)
  const timeline: Timeline = {
    id: facts.id,
    regime: facts.regime,
    reporter: facts.reporter,
    as_of: asOf,
    notification_required: determination.required,
    reasons: determination.reasons,
    deadlines: [],
    documentation: documentationDuties(facts, determination.required),
    states: [],
    clock,
    warnings,
    conventions: CONVENTIONS,
    affected_total: total,
    disclaimer: DISCLAIMER,
  }
  const federal = determination.required ? federalDeadlines(facts, clock.discovered, total, delay, warnings) : []
  const states = evaluateStates({
    facts,
    clock,
    notificationDate: stateNotificationDate(facts, clock),
    hhs: federal.find((d) => d.id === 'hhs' || d.id === 'hhs-annual'),
    delay,
    planned: facts.planned ?? {},
    hipaaOutcome: noNoticeOutcome(facts, determination.required),
  })
  timeline.states = states.summaries
  // State duties stand on their own (a HIPAA "no notification" outcome leaves them to each state's own test).
  warnings.push(...states.warnings)
  const all = [...federal, ...states.deadlines].sort(byDate)
  timeline.deadlines = all.map((d) => annotate(d, asOf, warnings))
  const known = new Set(timeline.deadlines.map((d) => d.id))
  const stray = Object.keys(facts.planned ?? {}).filter((id) => !known.has(id))
  if (stray.length > 0) warnings.push(`planned: ${stray.join(', ')} match no deadline id of this timeline and were ignored (ids look like individuals, hhs, state:CA:individuals).`)
  const overdue = timeline.deadlines.filter((d) => d.overdue === true).map((d) => d.id)
  if (overdue.length > 0) warnings.unshift(`OVERDUE as of ${asOf}: ${overdue.join(', ')}. Notify now and document why the date was missed.`)
  return timeline
}
