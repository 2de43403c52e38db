/** The commented facts template `timeline init` writes. It validates as is (a test runs it). */
export const FACTS_TEMPLATE = `# hipaa-ir incident facts: the input of \`hipaa-ir timeline --facts FILE\`.
# Every date is YYYY-MM-DD. Replace the example values; delete optional blocks you do not need.
# The output is a DRAFT FOR COUNSEL, NOT LEGAL ADVICE.

id: IR-2026-014                   # your incident id
reporter: covered-entity          # covered-entity | business-associate
# regime: hipaa                   # hipaa (default) | ftc-hbnr (non-HIPAA health apps; then reporter: vendor or service-provider)

entity:                           # who sends the notices (appears in every letter; a missing value shows as [[MISSING: ...]])
  name: Example Clinic
  phone: 1-800-555-0100           # number for questions (164.404(c)(1)(E))
  toll_free: true                 # the letters call the number toll-free only when this is true; substitute notice needs one
  email: privacy@example.org
  website: https://example.org
  address: "1 Main St, Springfield, IL 62701"
contact:                          # the person who signs and answers
  name: Pat Lee
  title: Privacy Officer
# covered_entity: { name: Example Health Plan }   # when reporter is business-associate: who you notify

discovered: 2026-03-03            # first day known, or that WOULD have been known with reasonable diligence
                                  # (164.404(a)(2)): backdate it if someone other than the wrongdoer knew earlier.
                                  # May be left out when business_associate below gives the covered entity's clock.
# determined: 2026-03-10          # when a breach was determined (CO, FL, TX, DE, AZ, AL, RI count from it;
                                  # without it the discovery date is used, which is conservative)

breach:
  start: 2026-02-10
  end: 2026-02-12
  description: "An attacker used a stolen password to read the scheduling database."
  phi_types: [name, date-of-birth, diagnosis]
  type: Hacking/IT Incident       # HHS portal: Hacking/IT Incident, Improper Disposal, Loss, Theft, Unauthorized Access/Disclosure, Other
  location: Network Server        # HHS portal: Desktop Computer, Electronic Medical Record, Email, Laptop, Network Server, ...

affected: { CA: 300, NV: 512 }    # residents per state or territory (two-letter code); total = the sum

secured: false                    # true only if the PHI was encrypted (key not compromised) or destroyed per HHS guidance
exception: none                   # none | workforce-good-faith | inadvertent-authorized | unable-to-retain (164.402(1))
low_probability: false            # true if the documented 4-factor risk assessment shows a low probability of compromise
# risk_assessment:                # the 4 factors, quoted in the "no notification required" memo
#   nature_extent: "..."
#   unauthorized_person: "..."
#   acquired_or_viewed: "..."
#   mitigation: "..."

# business_associate:             # a covered entity reporting a breach at its business associate
#   name: Example Billing LLC
#   discovered: 2026-02-20        # when the business associate discovered it
#   notified_ce: 2026-04-01       # when it told you
#   is_agent: unknown             # true | false | unknown (unknown counts as true: its knowledge is imputed to you)

# law_enforcement_delay:          # 164.412
#   kind: written                 # written: delay until \`until\`
#   received: 2026-03-20
#   until: 2026-06-15
#   # kind: oral -> received, official (who said it); if a written statement followed: written_received, written_until

insufficient_contact: 12          # individuals with out-of-date contact information (10 or more: substitute notice)
# urgent: true                    # possible imminent misuse: also telephone individuals (164.404(d)(3))
# third_parties: ["Example Ads Inc."]   # FTC mode: who acquired the data (16 CFR 318.6(a))
# protections: "12 months of free credit monitoring"   # FTC mode: what protects individuals (16 CFR 318.6(d))
# licensed_facility: CA           # a licensed clinic/health facility in this state (Cal. H&S 1280.15)

mitigation: "We reset every password, turned on multi-factor sign-in and hired a forensic firm."
individual_steps:
  - "Review the explanation-of-benefits statements from your health plan and report services you did not receive."
  - "Consider placing a fraud alert or security freeze with the credit reporting agencies."

# hhs:                            # HHS portal worksheet extras
#   entity_type: Healthcare Provider
#   safeguards: [Security Rule Technical Safeguards]
#   actions: [Reset credentials, Added multi-factor authentication]

# planned:                        # planned send dates; chained state deadlines count from these
#   individuals: 2026-04-10
#   hhs: 2026-04-10
#   "state:CA:individuals": 2026-03-30

# evidence: ./IR-2026-014_host_20260303T101500Z.tar.gz   # a hipaa-ir bundle: its posture snapshot is quoted as an input
`
