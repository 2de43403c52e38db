/** PHI emailed (or faxed) to the wrong provider: the exceptions and the low-probability assessment. */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd} from '../synthetic/log-lines.js'
import type {Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'mail-phi01'
const SINCE = '2026-03-03T00:00:00Z'
const CLERK = 'm.synthetic'
const AUID = 1077
const SUMMARY = '/var/data/phi/outbound/discharge-summary-0001.pdf'

function generate() {
  const b = new RootBuilder(HOST, 'debian', SINCE)
  b.authEvent('2026-03-03T14:02:10Z', 'sshd', sshd.accepted(CLERK, '10.10.2.14', 54_010, 'password'), 9410)
  b.authEvent('2026-03-03T14:02:10Z', 'sshd', sshd.sessionOpened(CLERK, AUID), 9410)
  b.auditAccess({auid: AUID, comm: 'ehr-export', exe: '/opt/ehr/bin/ehr-export', path: SUMMARY, serial: 81_001, time: '2026-03-03T14:05:00Z', write: true})
  b.auditAccess({auid: AUID, comm: 'mutt', exe: '/usr/bin/mutt', path: SUMMARY, serial: 81_002, time: '2026-03-03T14:06:30Z'})
  b.authEvent('2026-03-03T14:09:00Z', 'sshd', sshd.disconnected(CLERK, '10.10.2.14', 54_010), 9410)
  b.file(SUMMARY, '%PDF-1.4\n% SYNTHETIC DRILL DATA: discharge summaries of SYNTHETIC PATIENT 0001, 0002, 0003\n%%EOF\n', '2026-03-03T14:05:00Z')
  b.file('/var/data/phi/outbound/discharge-summary-0000.pdf', '%PDF-1.4\n% SYNTHETIC DRILL DATA: sent correctly last week\n%%EOF\n', '2026-02-24T10:00:00Z')
  return b.build()
}

export const misdirectedEmail: Scenario = {
  asOf: '2026-03-03',
  caseId: 'DRILL-MISDIRECTED',
  expected: [
    {check: {filter: {kind: 'accepted', user: CLERK}, kind: 'auth-count'}, expected: 1, id: 'clerk-login', label: `${CLERK} logged in to the mail gateway`},
    {check: {filter: {auid: String(AUID), exe: '/usr/bin/mutt', key: 'phi_access'}, kind: 'audit-count'}, expected: 1, id: 'sent', label: 'the discharge summary read by mutt (the send)'},
    {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-count'}, expected: 2, id: 'clerk-events', label: `phi_access events of auid ${AUID} (export and send)`},
    {check: {kind: 'phi-files'}, expected: 1, id: 'export', label: 'PHI files modified in the window (the one exported PDF)'},
    {check: {kind: 'notification-required'}, expected: false, id: 'no-notice', label: 'no notification: low probability of compromise (4-factor assessment, 164.402(2))'},
    {check: {id: 'individuals', kind: 'deadline-present'}, expected: false, id: 'no-individuals', label: 'no individual-notice deadline'},
  ],
  facts: exerciseFacts({
    affected: {WA: 3},
    breach: {
      description: 'SYNTHETIC EXERCISE: discharge summaries of three patients were emailed to SYNTHETIC ORTHOPEDICS GROUP instead of SYNTHETIC ORTHO PARTNERS; the recipient, itself a covered entity, deleted them and attested to it in writing.',
      end: '2026-03-03',
      location: 'Email',
      phi_types: ['name', 'date-of-birth', 'diagnosis'],
      start: '2026-03-03',
      type: 'Unauthorized Access/Disclosure',
    },
    discovered: '2026-03-03',
    id: 'DRILL-MISDIRECTED',
    low_probability: true,
    mitigation: 'Recipient called back, deleted the email and attested in writing; address-book entry corrected; two-person check for outbound PHI.',
    risk_assessment: {
      acquired_or_viewed: 'Opened by the recipient\'s front desk only to see it was misdirected; written attestation of deletion on 2026-03-04.',
      mitigation: 'Deleted from the recipient\'s mailbox and trash; no copies forwarded (attested).',
      nature_extent: 'Three discharge summaries: names, dates of birth, diagnoses; no SSN or financial data.',
      unauthorized_person: 'Another HIPAA covered entity, itself bound to protect PHI.',
    },
  }),
  generate,
  id: 'misdirected-email',
  injects: [
    {at: 'T+0:35 (2026-03-03 14:40)', prompt: 'Ask for deletion and a written attestation; start the 4-factor assessment.', text: 'A front-desk worker at SYNTHETIC ORTHOPEDICS GROUP calls: they received three discharge summaries that are not theirs.'},
    {at: 'day 1', text: 'The written attestation of deletion arrives by email.'},
    {at: 'day 2', prompt: 'Would the answer change if the recipient had been a fax machine in a public library?', text: 'One of the three patients calls and asks whether their information went anywhere it should not.'},
  ],
  openQuestions: [
    'Where is the signed 4-factor assessment kept (164.414(b), 164.530(j): six years)?',
    'If the recipient had not attested, who would re-run the timeline with low_probability: false?',
  ],
  questions: [
    'Does the inadvertent-authorized exception (164.402(1)(ii)) apply? Only within the same covered entity, business associate or organized health care arrangement: is the recipient inside ours?',
    'Would "unable to retain" (164.402(1)(iii)) fit a fax that printed on a machine nobody could reach?',
    'Walk the four factors: nature and extent, who received it, whether it was viewed, mitigation. Is the probability of compromise low?',
    'Who signs the assessment, and where is it filed?',
    'What process change prevents the next misdirected message?',
  ],
  runbook: 'misdirected-disclosure',
  since: SINCE,
  story: [
    'A clerk at SYNTHETIC CLINIC exports three discharge summaries on the mail gateway mail-phi01 and emails them to the referring orthopedic practice.',
    'The address book auto-completes the wrong practice, a different covered entity.',
  ],
  summary: 'Discharge summaries emailed to the wrong provider; the exceptions do not fit, but the 4-factor assessment shows a low probability of compromise.',
  title: 'PHI emailed to the wrong provider',
}
