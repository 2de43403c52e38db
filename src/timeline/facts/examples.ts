/** A good value for each facts field, quoted in error messages so the user sees what to write. */
const EXAMPLES: Readonly<Record<string, string>> = {
  id: 'id: IR-2026-014',
  regime: 'regime: hipaa',
  reporter: 'reporter: covered-entity',
  entity: 'entity: { name: Example Clinic, phone: 1-800-555-0100 }',
  covered_entity: 'covered_entity: { name: Example Clinic }',
  contact: 'contact: { name: Pat Lee, title: Privacy Officer, phone: 1-800-555-0100 }',
  discovered: 'discovered: 2026-03-03',
  determined: 'determined: 2026-03-10',
  breach: 'breach: { start: 2026-02-10, end: 2026-02-12 }',
  'breach.start': 'breach: { start: 2026-02-10 }',
  'breach.end': 'breach: { end: 2026-02-12 }',
  'breach.phi_types': 'breach: { phi_types: [name, date-of-birth, diagnosis] }',
  affected: 'affected: { CA: 300, NV: 512 }',
  secured: 'secured: false',
  exception: 'exception: none',
  low_probability: 'low_probability: false',
  business_associate: 'business_associate: { discovered: 2026-02-20, notified_ce: 2026-04-01, is_agent: unknown }',
  'business_associate.discovered': 'business_associate: { discovered: 2026-02-20 }',
  'business_associate.notified_ce': 'business_associate: { notified_ce: 2026-04-01 }',
  'business_associate.is_agent': 'business_associate: { is_agent: unknown }',
  law_enforcement_delay: 'law_enforcement_delay: { kind: written, received: 2026-03-20, until: 2026-06-15 }',
  'law_enforcement_delay.kind': 'law_enforcement_delay: { kind: written }',
  'law_enforcement_delay.received': 'law_enforcement_delay: { received: 2026-03-20 }',
  'law_enforcement_delay.until': 'law_enforcement_delay: { kind: written, received: 2026-03-20, until: 2026-06-15 }',
  'law_enforcement_delay.official': 'law_enforcement_delay: { kind: oral, received: 2026-03-20, official: "Det. J. Smith, Springfield PD" }',
  'law_enforcement_delay.written_until': 'law_enforcement_delay: { written_received: 2026-04-01, written_until: 2026-06-15 }',
  insufficient_contact: 'insufficient_contact: 12',
  urgent: 'urgent: false',
  third_parties: 'third_parties: ["Example Ads Inc."]',
  protections: 'protections: "12 months of free credit monitoring"',
  'entity.toll_free': 'entity: { phone: 1-800-555-0100, toll_free: true }',
  licensed_facility: 'licensed_facility: CA',
  individual_steps: 'individual_steps: ["Review statements from your health insurer."]',
  planned: 'planned: { hhs: 2026-04-20 }',
  evidence: 'evidence: ./IR-2026-014_host_20260303T101500Z.tar.gz',
  evidence_bundles: 'evidence_bundles: [IR-2026-014_phi-db_20260303T101500Z, IR-2026-014_web-1_20260303T101700Z]',
}

/** The example for a field path such as `affected.ZZ` or `breach.start` (falls back to the parent). */
export function exampleFor(path: ReadonlyArray<PropertyKey>): string | undefined {
  for (let n = path.length; n > 0; n--) {
    const key = path.slice(0, n).map(String).join('.')
    const hit = EXAMPLES[key]
    if (hit !== undefined) return hit
  }
  return undefined
}

export const KNOWN_TOP_LEVEL = [
  'id', 'regime', 'reporter', 'entity', 'covered_entity', 'contact', 'discovered', 'determined', 'breach', 'affected',
  'secured', 'exception', 'low_probability', 'risk_assessment', 'business_associate', 'law_enforcement_delay',
  'insufficient_contact', 'urgent', 'third_parties', 'protections', 'licensed_facility', 'mitigation', 'individual_steps', 'hhs', 'planned', 'evidence', 'evidence_bundles',
] as const
