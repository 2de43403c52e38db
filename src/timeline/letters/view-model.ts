import type {Facts} from '../facts/schema.js'
import type {Deadline, Timeline} from '../types.js'

import {listOrMissing, missing, orMissing} from './placeholder.js'

/** The values every letter may use; each is a string (or list) and never blank. */
export interface LetterContext {
  incident_id: string
  as_of: string
  disclaimer: string
  entity: {name: string; phone: string; email: string; website: string; address: string; phone_label: string; toll_free_phone: string}
  contact: {name: string; title: string; phone: string; email: string}
  covered_entity_name: string
  breach: {start: string; end: string; description: string; type: string; location: string}
  discovered: string
  determined: string
  phi_types: string[]
  steps: string[]
  mitigation: string
  affected_total: number
  affected: Array<{state: string; residents: number}>
  state_statuses: Array<{state: string; coverage: string; status: string; citation: string}>
  deadlines: Array<{id: string; due: string; citation: string; status: string; title: string}>
  /** FTC Health Breach Notification Rule mode: letters cite 16 CFR 318, never 45 CFR. */
  ftc: boolean
  cite: LetterCitations
}

/** The provisions each letter cites, per regime (law review F12/L5: FTC letters cite Part 318 only). */
export interface LetterCitations {
  content: string
  steps: string
  contact: string
  method: string
  media: string
  substitute: string
  plain: string
}

const HIPAA_CITES: LetterCitations = {
  content: '45 CFR 164.404(c)(1)(A) what happened with the breach and discovery dates; (B) types of PHI; (C) steps individuals should take; (D) what the entity is doing; (E) contact procedures (toll-free number, email, website or postal address)',
  steps: '164.404(c)(1)(C)',
  contact: '164.404(c)(1)(E)',
  method: 'Send by first-class mail, or email where the individual agreed to electronic notice (164.404(d)(1))',
  media: '45 CFR 164.406: required because more than 500 residents of the State are affected; same content as 164.404(c)',
  substitute: '45 CFR 164.404(d)(2)(ii): 10 or more individuals with insufficient contact information: (A) a 90-day web posting or major print/broadcast media notice, and (B) a toll-free number active at least 90 days',
  plain: 'Plain language (164.404(c)(2))',
}

const FTC_CITES: LetterCitations = {
  content: '16 CFR 318.6: what happened, with the breach and discovery dates, and the full name or identity of any third parties that acquired the information (318.6(a)); the types of information; steps individuals should take; what you are doing to protect affected individuals, such as credit monitoring (318.6(d)); contact procedures',
  steps: '16 CFR 318.6',
  contact: '16 CFR 318.6',
  method: 'Send by first-class mail, or by email only if the individual was given a clear, conspicuous and reasonable opportunity to receive notice by first-class mail and did not take it (16 CFR 318.5(a)(1))',
  media: '16 CFR 318.5(b): required because 500 or more residents of the State are affected (threshold SECONDARY); same content as the individual notice (318.6)',
  substitute: '16 CFR 318.5(a)(2): ten or more individuals with insufficient contact information: a web posting or major print/broadcast media notice, and a toll-free number, for at least 90 days',
  plain: 'Plain language (16 CFR 318.6)',
}

export function deadlineRow(d: Deadline): LetterContext['deadlines'][number] {
  return {id: d.id, due: d.due ?? d.due_text ?? 'no day count', citation: d.citation, status: d.status.toUpperCase(), title: d.title}
}

export function letterContext(t: Timeline, facts: Facts): LetterContext {
  const entity = facts.entity
  const contact = facts.contact ?? {}
  return {
    incident_id: t.id,
    as_of: t.as_of,
    disclaimer: t.disclaimer,
    entity: {
      name: orMissing(entity.name, 'entity name'),
      phone: orMissing(entity.phone, 'entity phone'),
      email: orMissing(entity.email, 'entity email'),
      website: orMissing(entity.website, 'entity website'),
      address: orMissing(entity.address, 'entity postal address'),
      // Law review L4: call the number toll-free only when the facts say it is.
      phone_label: entity.toll_free === true ? 'Toll-free telephone' : 'Telephone',
      toll_free_phone: entity.toll_free === true ? orMissing(entity.phone, 'toll-free number') : missing('toll-free number (substitute notice requires one; set entity.toll_free: true once entity.phone is toll-free)'),
    },
    contact: {
      name: orMissing(contact.name, 'contact person name'),
      title: orMissing(contact.title, 'contact person title'),
      phone: orMissing(contact.phone ?? entity.phone, 'contact phone'),
      email: orMissing(contact.email ?? entity.email, 'contact email'),
    },
    covered_entity_name: orMissing(facts.covered_entity?.name, 'covered entity name'),
    breach: {
      start: orMissing(facts.breach.start, 'breach start date'),
      end: orMissing(facts.breach.end, 'breach end date'),
      description: orMissing(facts.breach.description, 'what happened'),
      type: orMissing(facts.breach.type, 'type of breach (e.g. Hacking/IT Incident, Theft, Unauthorized Access/Disclosure)'),
      location: orMissing(facts.breach.location, 'location of breached information (e.g. Network Server, Email, Laptop)'),
    },
    discovered: t.clock?.discovered ?? missing('discovery date'),
    determined: orMissing(facts.determined, 'date a breach was determined'),
    phi_types: listOrMissing(facts.breach.phi_types, 'types of PHI involved'),
    steps: listOrMissing(facts.individual_steps, 'steps individuals should take to protect themselves'),
    mitigation: orMissing(facts.mitigation, 'what you are doing to investigate, mitigate harm and prevent a recurrence'),
    affected_total: t.affected_total,
    affected: Object.entries(facts.affected).sort(([a], [b]) => a.localeCompare(b)).map(([state, residents]) => ({state, residents})),
    state_statuses: t.states.map((s) => ({state: s.state, coverage: s.coverage === 'not-covered' ? 'not covered' : s.coverage, status: s.status.toUpperCase(), citation: s.citation ?? '-'})),
    deadlines: t.deadlines.map((d) => deadlineRow(d)),
    ftc: facts.regime === 'ftc-hbnr',
    cite: facts.regime === 'ftc-hbnr' ? FTC_CITES : HIPAA_CITES,
  }
}
