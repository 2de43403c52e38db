/** What every scenario shares: the fictional clinic, its contact, and the generic team questions. */
import type {FactsInput} from '../../timeline/facts/schema.js'

export const EXERCISE_ENTITY: NonNullable<FactsInput['entity']> = {
  address: '1 Exercise Way, Springfield (SYNTHETIC)',
  email: 'privacy@clinic.example',
  name: 'SYNTHETIC CLINIC (EXERCISE)',
  phone: '1-800-555-0100',
  website: 'https://clinic.example',
}

export const EXERCISE_CONTACT: NonNullable<FactsInput['contact']> = {
  email: 'privacy@clinic.example',
  name: 'SYNTHETIC PRIVACY OFFICER',
  phone: '1-800-555-0100',
  title: 'Privacy Officer',
}

/** Asked in every drill, after the scenario's own questions. */
export const GENERIC_OPEN_QUESTIONS = [
  'Who declared the incident, and at what time? Write both down: the discovery date drives every clock.',
  'Was the evidence bundle collected before anyone changed the system (restore, reimage, password resets)?',
  'Who holds the signing key, and who received the evidence (custody add --action transferred)?',
  'Which deadline is closest, and who owns it (name, not team)?',
  'Has counsel reviewed the facts file and the letter drafts?',
]

/** A scenario's facts: the exercise clinic as a covered entity, unsecured PHI, no exception, unless the scenario says otherwise. */
export function exerciseFacts(facts: Pick<FactsInput, 'affected' | 'breach' | 'id'> & Partial<FactsInput>): FactsInput {
  return {
    contact: EXERCISE_CONTACT,
    entity: EXERCISE_ENTITY,
    exception: 'none',
    insufficient_contact: 0,
    low_probability: false,
    reporter: 'covered-entity',
    secured: false,
    ...facts,
  }
}
