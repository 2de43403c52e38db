import {z} from 'zod'

import {isIsoDate} from '../calendar.js'
import {isStateCode} from './state-codes.js'

/**
 * The incident facts file (CONTRACT.md "Incident facts"), as a zod schema. Field names are the
 * contract's; the extensions (regime, planned, contact, mitigation, individual_steps, hhs, evidence,
 * covered_entity) are optional and documented in docs/timeline.md.
 */

const isoDate = z
  .string({error: 'must be a date written YYYY-MM-DD'})
  .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value), {message: 'must be a date written YYYY-MM-DD'})
  .refine((value) => !/^\d{4}-\d{2}-\d{2}$/.test(value) || isIsoDate(value), {message: 'is not a real calendar date'})

const count = z
  .number({error: 'must be a whole number'})
  .int({message: 'must be a whole number'})
  .nonnegative({message: 'must not be negative'})

const text = z.string({error: 'must be text'})
const stateCode = text.refine((value) => isStateCode(value), {message: 'is not a US state or territory code'})

const entity = z.strictObject({
  name: text.optional(),
  phone: text.optional(),
  /** The phone number is toll-free (the letters call it that only then; substitute notice needs one). */
  toll_free: z.boolean({error: 'must be true or false'}).optional(),
  email: text.optional(),
  website: text.optional(),
  address: text.optional(),
})

const person = z.strictObject({name: text.optional(), title: text.optional(), phone: text.optional(), email: text.optional()})

const lawEnforcementDelay = z.strictObject({
  kind: z.enum(['written', 'oral'], {error: 'must be written or oral'}),
  received: isoDate,
  until: isoDate.optional(),
  official: text.optional(),
  written_received: isoDate.optional(),
  written_until: isoDate.optional(),
})

export const factsSchema = z
  .strictObject({
    id: text.min(1, {message: 'must not be empty'}),
    regime: z.enum(['hipaa', 'ftc-hbnr'], {error: 'must be hipaa or ftc-hbnr'}).default('hipaa'),
    reporter: z
      .enum(['covered-entity', 'business-associate', 'vendor', 'service-provider'], {error: 'must be covered-entity, business-associate or (with regime: ftc-hbnr) vendor or service-provider'})
      .default('covered-entity'),
    entity: entity.default({}),
    covered_entity: entity.optional(),
    contact: person.optional(),
    discovered: isoDate.optional(),
    determined: isoDate.optional(),
    breach: z
      .strictObject({
        start: isoDate.optional(),
        end: isoDate.optional(),
        description: text.optional(),
        phi_types: z.array(text, {error: 'must be a list of words'}).optional(),
        type: text.optional(),
        location: text.optional(),
      })
      .default({}),
    affected: z.record(stateCode, count, {error: 'must map state codes to counts'}),
    secured: z.boolean({error: 'must be true or false'}).default(false),
    exception: z
      .enum(['none', 'workforce-good-faith', 'inadvertent-authorized', 'unable-to-retain'], {
        error: 'must be none, workforce-good-faith, inadvertent-authorized or unable-to-retain',
      })
      .default('none'),
    low_probability: z.boolean({error: 'must be true or false'}).default(false),
    risk_assessment: z
      .strictObject({
        nature_extent: text.optional(),
        unauthorized_person: text.optional(),
        acquired_or_viewed: text.optional(),
        mitigation: text.optional(),
      })
      .optional(),
    business_associate: z
      .strictObject({
        name: text.optional(),
        discovered: isoDate.optional(),
        notified_ce: isoDate.optional(),
        is_agent: z.union([z.boolean(), z.literal('unknown')], {error: 'must be true, false or unknown'}).default('unknown'),
      })
      .optional(),
    law_enforcement_delay: lawEnforcementDelay.optional(),
    insufficient_contact: count.default(0),
    /** 164.404(d)(3): the entity deems the case urgent (possible imminent misuse); adds `individuals:urgent-phone`. */
    urgent: z.boolean({error: 'must be true or false'}).default(false),
    /** FTC 318.6(a): third parties that acquired the information (named in the individual notice). */
    third_parties: z.array(text, {error: 'must be a list of names'}).optional(),
    /** FTC 318.6(d): what is done to protect affected individuals (e.g. credit monitoring offered). */
    protections: text.optional(),
    licensed_facility: stateCode.optional(),
    mitigation: text.optional(),
    individual_steps: z.array(text, {error: 'must be a list of sentences'}).optional(),
    hhs: z
      .strictObject({
        entity_type: text.optional(),
        safeguards: z.array(text).optional(),
        actions: z.array(text).optional(),
        report_type: text.optional(),
      })
      .optional(),
    planned: z.record(text, isoDate, {error: 'must map deadline ids to dates'}).optional(),
    evidence: text.optional(),
    /** The hipaa-ir bundles the facts were drafted from (`analyze --facts-out`), for the record. */
    evidence_bundles: z.array(text, {error: 'must be a list of bundle names or paths'}).optional(),
    /** Set by the loader: the fields still `[[DECIDE]]` (see undecided.ts); not written by hand. */
    undecided: z.array(text).optional(),
  })
  .superRefine((facts, ctx) => {
    const ba = facts.business_associate
    if ((facts.reporter === 'vendor' || facts.reporter === 'service-provider') && facts.regime !== 'ftc-hbnr') {
      ctx.addIssue({code: 'custom', path: ['reporter'], message: `${facts.reporter} is only meaningful with regime: ftc-hbnr (a HIPAA report uses covered-entity or business-associate)`})
    }
    const total = Object.values(facts.affected).reduce((sum, n) => sum + n, 0)
    if (facts.insufficient_contact > total) {
      ctx.addIssue({code: 'custom', path: ['insufficient_contact'], message: `${facts.insufficient_contact} is more than the ${total} individuals in affected; it counts those among them whose contact information is insufficient or out of date`})
    }
    if (facts.discovered === undefined && (ba === undefined || facts.reporter === 'business-associate')) {
      ctx.addIssue({code: 'custom', path: ['discovered'], message: 'is required (unless a business_associate block gives the covered entity its clock)'})
    }
    if (ba !== undefined && facts.reporter === 'covered-entity' && facts.discovered === undefined) {
      if (ba.is_agent === false && ba.notified_ce === undefined) {
        ctx.addIssue({code: 'custom', path: ['business_associate', 'notified_ce'], message: 'is required when is_agent is false (the clock starts when the business associate tells you)'})
      }
      if (ba.is_agent !== false && ba.discovered === undefined) {
        ctx.addIssue({code: 'custom', path: ['business_associate', 'discovered'], message: 'is required when is_agent is true or unknown (its knowledge is imputed to you)'})
      }
    }
    const delay = facts.law_enforcement_delay
    if (delay?.kind === 'written' && delay.until === undefined) {
      ctx.addIssue({code: 'custom', path: ['law_enforcement_delay', 'until'], message: 'is required for a written delay (the end date the official specified)'})
    }
    if (delay?.kind === 'written' && delay.until !== undefined && delay.until < delay.received) {
      ctx.addIssue({code: 'custom', path: ['law_enforcement_delay', 'until'], message: `${delay.until} is earlier than received (${delay.received}); put the end date the official gave`})
    }
    if (delay?.kind === 'oral' && delay.official === undefined) {
      ctx.addIssue({code: 'custom', path: ['law_enforcement_delay', 'official'], message: 'is required for an oral delay (164.412(b): document who the official is)'})
    }
    if (delay?.written_received !== undefined && delay.written_until === undefined) {
      ctx.addIssue({code: 'custom', path: ['law_enforcement_delay', 'written_until'], message: 'is required when written_received is given'})
    }
    const {start, end} = facts.breach
    if (start !== undefined && end !== undefined && end < start) {
      ctx.addIssue({code: 'custom', path: ['breach', 'end'], message: `${end} is earlier than breach.start (${start}); swap them, or leave end out if the breach is ongoing`})
    }
    if (Object.keys(facts.affected).length === 0 && !facts.undecided?.includes('affected')) {
      ctx.addIssue({code: 'custom', path: ['affected'], message: 'names no state; give residents per state'})
    }
  })

export type Facts = z.output<typeof factsSchema>
export type FactsInput = z.input<typeof factsSchema>
