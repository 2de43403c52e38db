import type {Facts} from '../facts/schema.js'
import type {Deadline, Timeline} from '../types.js'

import {listOrMissing, missing, orMissing} from './placeholder.js'

/** The values every letter may use; each is a string (or list) and never blank. */
export interface LetterContext {
  incident_id: string
  as_of: string
  disclaimer: string
  entity: {name: string; phone: string; email: string; website: string; address: string}
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
  }
}
