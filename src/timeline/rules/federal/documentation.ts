import type {Facts} from '../../facts/schema.js'

/** 164.414(b) and 164.530(j): what to keep, whether or not notice was given. */
export function documentationDuties(facts: Facts, required: boolean): string[] {
  const keep = 'Keep this documentation for 6 years (164.530(j)).'
  if (required) {
    return [
      'Copies of every notice sent (individual, substitute, media, HHS, state) and proof of the dates sent (164.414(b): burden of proof that all notices were made).',
      'The discovery analysis: when the incident was first known or should have been known (164.404(a)(2)).',
      'Any law-enforcement delay statement, with the official\'s identity if oral (164.412(b)).',
      keep,
    ]
  }
  const items: string[] = []
  if (facts.secured) {
    items.push('Evidence that the PHI was secured per HHS guidance: the encryption product and configuration (NIST SP 800-111 for data at rest), proof the key was not compromised and was kept apart from the data, or the destruction record (NIST SP 800-88).')
  }
  if (facts.exception !== 'none') items.push(`The facts that establish the exception (${facts.exception}): who, what authority, good faith, and that no further impermissible use or disclosure followed.`)
  if (facts.low_probability || (!facts.secured && facts.exception === 'none')) {
    items.push('The 4-factor risk assessment (164.402(2)): (1) nature and extent of the PHI and likelihood of re-identification; (2) the unauthorized person; (3) whether the PHI was actually acquired or viewed; (4) the extent of mitigation.')
  }
  items.push(
    'A "no notification required" memo signed by the privacy officer (164.414(b): burden of proof that the event was not a breach).',
    'A separate analysis for each state with affected residents: the HIPAA outcome does not decide state law, which applies its own definition of covered data, its own risk-of-harm rule (or none) and its own HIPAA clause.',
    keep,
  )
  return items
}
