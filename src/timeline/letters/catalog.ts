import type {Facts} from '../facts/schema.js'
import type {Timeline} from '../types.js'

import {deadlineRow, letterContext, type LetterContext} from './view-model.js'
import {listOrMissing, missing, orMissing} from './placeholder.js'

/** One letter to render: which template, the output base name, and its view model. */
export interface LetterJob {
  template: string
  name: string
  title: string
  view: LetterContext & Record<string, unknown>
}

/** Who notifies whom upstream, and under what rule (law review F14, L3). */
const BUSINESS_ASSOCIATE = {
  heading: 'Notice of Breach of Unsecured Protected Health Information',
  subject: 'a breach of unsecured protected health information',
  recipient: 'covered entity',
  role: 'business associate',
  law: '45 CFR 164.410 and our business associate agreement',
  identity: '164.410(c)(1)',
  what: '164.410(c)(2)',
  delay: '164.412',
  further: 'your notice to individuals under 164.404(c)',
  due_rule: '164.410(b): 60 calendar days after our discovery. Check the business associate agreement for a shorter contractual period, and state vendor clocks (e.g. Oregon, Alabama, Florida: 10 days; California, North Carolina, Texas, Vermont: immediately)',
}

const SERVICE_PROVIDER = {
  heading: 'Notice of Breach of Security of Unsecured PHR Identifiable Health Information',
  subject: 'a breach of security of unsecured PHR identifiable health information',
  recipient: 'vendor of personal health records or PHR related entity',
  role: 'third-party service provider',
  law: '16 CFR 318.3(b)',
  identity: '16 CFR 318.3(b)',
  what: '16 CFR 318.3(b)',
  delay: '16 CFR 318.4',
  further: 'your notice to individuals under 16 CFR 318.6',
  due_rule: '16 CFR 318.3(b), 318.4: 60 calendar days after our discovery (SECONDARY). Ask the recipient to acknowledge receipt',
}

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No'
}

function hhsView(t: Timeline, facts: Facts): Record<string, unknown> {
  const hhs = facts.hhs ?? {}
  const ba = facts.business_associate
  const filer = facts.reporter === 'business-associate' ? 'Business associate filing on behalf of a covered entity' : ba === undefined ? 'Covered entity filing for itself' : 'Covered entity filing because its business associate had the breach'
  return {
    report_type: orMissing(hhs.report_type, 'report type (Initial breach report, or Addendum with the earlier tracking number)'),
    breach_affecting: t.affected_total >= 500 ? '500 or more individuals' : 'Fewer than 500 individuals',
    filer,
    entity_type: orMissing(hhs.entity_type, 'covered entity type (Health Plan, Healthcare Clearinghouse, Healthcare Provider)'),
    ba: ba === undefined ? undefined : {name: orMissing(ba.name, 'business associate name'), discovered: orMissing(ba.discovered, 'business associate discovery date'), notified_ce: orMissing(ba.notified_ce, 'date the business associate notified you')},
    discovery_end: orMissing(facts.determined, 'discovery end date (when the investigation established the breach)'),
    safeguards: hhs.safeguards === undefined || hhs.safeguards.length === 0 ? [missing('safeguards in place before the breach')] : hhs.safeguards,
    actions: hhs.actions === undefined || hhs.actions.length === 0 ? [missing('actions taken in response')] : hhs.actions,
    individual_notice_date: orMissing(facts.planned?.individuals, 'date individual notice was provided'),
    substitute_required: yesNo(t.deadlines.some((d) => d.id === 'substitute-notice')),
    media_required: yesNo(t.deadlines.some((d) => d.id.startsWith('media:'))),
    hhs_due: t.deadlines.find((d) => d.id === 'hhs' || d.id === 'hhs-annual')?.due ?? missing('HHS date'),
  }
}

function memoRoute(facts: Facts): string {
  if (facts.secured) return 'secured'
  if (facts.exception !== 'none') return 'exception'
  return 'low-probability'
}

/** Which letters this timeline needs, each with its view model. A regulator letter lists a note shared by its items once. */
export function letterJobs(t: Timeline, facts: Facts): LetterJob[] {
  const base = letterContext(t, facts)
  const jobs: LetterJob[] = []
  const find = (id: string) => t.deadlines.find((d) => d.id === id)
  if (!t.notification_required) {
    const ra = facts.risk_assessment ?? {}
    jobs.push({
      template: 'no-notification-memo',
      name: 'no-notification-memo',
      title: 'No notification required: documentation memo (164.414(b))',
      view: {
        ...base,
        reasons: t.reasons,
        documentation: t.documentation,
        route: {[memoRoute(facts).replace('-', '_')]: true},
        exception: facts.exception,
        factors: {
          nature_extent: orMissing(ra.nature_extent, 'factor 1: nature and extent of the PHI, identifiers, likelihood of re-identification'),
          unauthorized_person: orMissing(ra.unauthorized_person, 'factor 2: the unauthorized person who used or received the PHI'),
          acquired_or_viewed: orMissing(ra.acquired_or_viewed, 'factor 3: whether the PHI was actually acquired or viewed'),
          mitigation: orMissing(ra.mitigation, 'factor 4: the extent to which the risk has been mitigated'),
        },
        evidence_note: t.evidence?.note,
        state_owed: t.states.filter((s) => s.after_hipaa_no_notice !== undefined).map((s) => ({state: s.state, residents: s.residents, status: s.status.toUpperCase(), text: s.after_hipaa_no_notice})),
        state_items: t.deadlines.filter((d) => d.regime === 'state').map((d) => deadlineRow(d)),
      },
    })
    return jobs
  }
  const upstream = facts.reporter === 'business-associate' ? find('covered-entity') : facts.reporter === 'service-provider' ? find('vendor') : undefined
  if (upstream !== undefined) {
    const delay = facts.law_enforcement_delay
    const ftc = facts.regime === 'ftc-hbnr'
    jobs.push({
      template: 'ba-to-ce-notice',
      name: ftc ? 'service-provider-to-vendor-notice' : 'ba-to-ce-notice',
      title: ftc ? 'Third-party service provider notice to the vendor (16 CFR 318.3(b))' : 'Business associate notice to the covered entity (164.410(c))',
      view: {
        ...base,
        due: upstream.due ?? missing('due date'),
        upstream: ftc ? SERVICE_PROVIDER : BUSINESS_ASSOCIATE,
        delay: delay === undefined ? undefined : {kind: delay.kind, received: delay.received, official: orMissing(delay.official, 'law-enforcement official (name, agency)'), until: orMissing(t.clock?.law_enforcement_delay?.ends, 'end of the delay')},
      },
    })
  } else if (facts.reporter !== 'business-associate' && facts.reporter !== 'service-provider') {
    const ftc = facts.regime === 'ftc-hbnr'
    const individuals = find('individuals')
    const ftcContent = {third_parties: listOrMissing(facts.third_parties, 'full name or identity of each third party that acquired the information, or "not known" (16 CFR 318.6(a))'), protections: orMissing(facts.protections, 'what you are doing to protect affected individuals, such as credit monitoring (16 CFR 318.6(d))')}
    jobs.push({template: 'individual-notice', name: 'individual-notice', title: ftc ? 'Notice to individuals (16 CFR 318.6)' : 'Notice to individuals (164.404(c))', view: {...base, ...(ftc ? ftcContent : {}), due: individuals?.due ?? missing('due date')}})
    const substitute = find('substitute-notice')
    if (substitute !== undefined) {
      jobs.push({template: 'substitute-notice', name: 'substitute-notice', title: `Substitute notice (${substitute.citation})`, view: {...base, insufficient: facts.insufficient_contact, due: substitute.due ?? missing('due date')}})
    }
    for (const media of t.deadlines.filter((d) => d.id.startsWith('media:'))) {
      const state = media.state ?? ''
      jobs.push({template: 'media-notice', name: `media-notice-${state}`, title: `Media notice for ${state} (${media.citation})`, view: {...base, state, residents: residentsOf(facts, state), due: media.due ?? missing('due date')}})
    }
    if (facts.regime === 'hipaa') jobs.push({template: 'hhs-worksheet', name: 'hhs-worksheet', title: 'HHS breach portal worksheet (164.408)', view: {...base, ...hhsView(t, facts)}})
    const filing = find('ftc') ?? find('ftc-annual')
    if (ftc && filing !== undefined) {
      jobs.push({template: 'ftc-worksheet', name: 'ftc-worksheet', title: 'FTC notice worksheet (16 CFR 318.5(c))', view: {...base, ...ftcContent, filing: {id: filing.id, due: filing.due ?? missing('FTC date'), citation: filing.citation, annual: filing.id === 'ftc-annual'}, substitute_required: yesNo(substitute !== undefined), media_required: yesNo(t.deadlines.some((d) => d.id.startsWith('media:'))), individual_notice_date: orMissing(facts.planned?.individuals, 'date individual notice was provided')}})
    }
  }
  const regulatorStates = [...new Set(t.deadlines.filter((d) => d.regime === 'state' && d.id.includes(':regulator')).map((d) => d.state ?? ''))]
  for (const state of regulatorStates.sort()) {
    const items = t.deadlines.filter((d) => d.state === state && d.regime === 'state' && d.id.includes(':regulator'))
    const summary = t.states.find((s) => s.state === state)
    jobs.push({
      template: 'state-regulator-notice',
      name: `state-regulator-${state}`,
      title: `State regulator notice: ${state}`,
      view: {...base, state, residents: residentsOf(facts, state), items: items.map((d, i) => ({...deadlineRow(d), audience: d.audience, notes: d.notes.filter((n) => !items.slice(0, i).some((e) => e.notes.includes(n)))})), rule_status: summary?.status.toUpperCase() ?? 'UNVERIFIED', names_required: state === 'LA'},
    })
  }
  return jobs
}

function residentsOf(facts: Facts, state: string): number {
  return (facts.affected as Readonly<Record<string, number>>)[state] ?? 0
}
