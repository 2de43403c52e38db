/** An insider snooping: a registration clerk reads 37 patient records at night; only audit shows it. */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd} from '../synthetic/log-lines.js'
import {minutesAfter, patientCsv} from '../synthetic/phi-data.js'
import type {Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'ehr-db02'
const SINCE = '2026-02-27T00:00:00Z'
const CLERK = 'r.synthetic'
const AUID = 1042
const WORKSTATION = '10.10.4.21'
const SESSIONS = [
  {count: 20, first: 101, login: '2026-02-28T22:14:03Z', port: 53_001},
  {count: 17, first: 121, login: '2026-03-01T21:50:41Z', port: 53_002},
]
const SNOOPED = SESSIONS.reduce((n, s) => n + s.count, 0)
const PHYSICIAN_DAYS = ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']
const PHYSICIAN_HOURS = 9

function generate() {
  const b = new RootBuilder(HOST, 'debian', SINCE)
  let serial = 71_000
  for (const session of SESSIONS) {
    b.authEvent(session.login, 'sshd', sshd.accepted(CLERK, WORKSTATION, session.port, 'password'), session.port)
    b.authEvent(session.login, 'sshd', sshd.sessionOpened(CLERK, AUID), session.port)
    for (let i = 0; i < session.count; i++) {
      const path = `/var/data/phi/records/patient-${String(session.first + i).padStart(4, '0')}.json`
      b.auditAccess({auid: AUID, comm: 'less', exe: '/usr/bin/less', path, serial: serial++, time: minutesAfter(session.login, 1 + i)})
    }
    b.authEvent(minutesAfter(session.login, session.count + 3), 'sshd', sshd.disconnected(CLERK, WORKSTATION, session.port), session.port)
  }
  // The attending physician's daytime reads: legitimate, same server, same key, every working hour of
  // every day of the evidence. That history (PHYSICIAN_HOURS distinct clock hours) is what makes the
  // physician a usual reader to analyze, and the clerk, who reads only at night, not.
  for (const [d, date] of PHYSICIAN_DAYS.entries()) {
    b.authEvent(`${date}T08:00:00Z`, 'sshd', sshd.accepted('dr.synthetic', '10.10.1.5', 53_100 + d, 'publickey'), 9100 + d)
    for (let hour = 8; hour < 8 + PHYSICIAN_HOURS; hour++) {
      const patient = 200 + (hour % 4)
      b.auditAccess({auid: 1001, comm: 'less', exe: '/usr/bin/less', path: `/var/data/phi/records/patient-${String(patient).padStart(4, '0')}.json`, serial: serial++, time: `${date}T${String(hour).padStart(2, '0')}:05:00Z`})
    }
  }
  // The EHR's patient map: one record file per patient, every patient an Ohio resident.
  for (const n of [...Array.from({length: SNOOPED}, (_, i) => 101 + i), 200, 201, 202, 203]) {
    b.patient(`/var/data/phi/records/patient-${String(n).padStart(4, '0')}.json`, `SYN-${String(n).padStart(6, '0')}`, 'OH')
  }
  for (let n = 101; n < 101 + SNOOPED; n += 1) {
    b.file(`/var/data/phi/records/patient-${String(n).padStart(4, '0')}.json`, JSON.stringify({note: 'SYNTHETIC DRILL DATA', record: patientCsv(n, 1)}) + '\n', '2026-01-15T12:00:00Z')
  }
  return b.build()
}

export const insiderSnooping: Scenario = {
  asOf: '2026-03-03',
  caseId: 'DRILL-INSIDER',
  expected: [
    {check: {filter: {kind: 'accepted', user: CLERK}, kind: 'auth-count'}, expected: SESSIONS.length, id: 'evening-logins', label: `evening logins of ${CLERK} from ${WORKSTATION}`},
    {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-count'}, expected: SNOOPED, id: 'clerk-reads', label: `phi_access events of auid ${AUID} (${CLERK})`, rules: ['phi.unusual-reader', 'phi.mass-read']},
    {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-distinct-paths'}, expected: SNOOPED, id: 'records-read', label: 'distinct patient records the clerk opened'},
    {check: {filter: {auid: '1001', key: 'phi_access'}, kind: 'audit-count'}, expected: PHYSICIAN_DAYS.length * PHYSICIAN_HOURS, id: 'physician-reads', label: 'the physician\'s daytime reads, every working hour (legitimate, for contrast)'},
    {check: {kind: 'phi-files'}, expected: 0, id: 'no-files-modified', label: 'PHI files modified: none (reading leaves no mtime; only audit shows it)'},
    {check: {kind: 'notification-required'}, expected: true, id: 'notice-required', label: 'notification required (no exception: not in good faith)'},
    {check: {id: 'individuals', kind: 'deadline-due'}, expected: '2026-04-30', id: 'individuals', label: 'individual notice, latest date (discovery backdated to the ignored alert, 2026-03-01 + 60)'},
    {check: {id: 'hhs-annual', kind: 'deadline-due'}, expected: '2027-03-01', id: 'hhs-annual', label: 'HHS annual log (37 < 500)'},
  ],
  facts: exerciseFacts({
    affected: {OH: SNOOPED},
    breach: {
      description: `SYNTHETIC EXERCISE: a registration clerk opened ${SNOOPED} patient records without a work reason on two evenings.`,
      end: '2026-03-01',
      location: 'Electronic Medical Record',
      phi_types: ['name', 'date-of-birth', 'diagnosis', 'medical-record-number'],
      start: '2026-02-28',
      type: 'Unauthorized Access/Disclosure',
    },
    discovered: '2026-03-01',
    id: 'DRILL-INSIDER',
    mitigation: 'Account suspended, sanctions under the workforce sanctions policy, access reviews for the registration role.',
  }),
  generate,
  id: 'insider-snooping',
  injects: [
    {at: 'T+0:00 (2026-03-03 09:00)', prompt: 'Whose records? Which nights? Collect before the clerk is told.', text: 'The privacy officer\'s weekly audit review flags a registration clerk who opened dozens of records after hours.'},
    {at: 'T+1:00', prompt: 'Does the clock start on 2026-03-01 (a workforce member should have known)?', text: 'The SIEM raised an alert on 2026-03-01 at 22:30; the on-call help-desk technician closed it as noise.'},
    {at: 'day 1', text: 'HR asks whether the clerk may be interviewed before the investigation ends.'},
    {at: 'day 2', prompt: 'Is this the workforce-good-faith exception (164.402(1)(i))?', text: 'The clerk says she was "checking addresses for mailings".'},
  ],
  openQuestions: [
    'Were any of the 37 patients coworkers or public figures (harm, state law)?',
    'Why did the SIEM alert not reach the privacy officer?',
    'Does the role need access to full records at all (minimum necessary)?',
  ],
  questions: [
    'Which evidence shows snooping: the file walk finds nothing modified; what does audit phi_access show?',
    'Discovery: 2026-03-03 (privacy officer) or 2026-03-01 (the ignored alert)? 164.404(a)(2) says a workforce member who should have known counts.',
    'Does the workforce-good-faith exception apply? Why not?',
    'Who talks to the clerk, and when, without tipping off evidence destruction?',
    'What sanctions does the policy require, and who documents them?',
  ],
  runbook: 'insider-snooping',
  since: SINCE,
  story: [
    'SYNTHETIC CLINIC keeps patient records as JSON files on ehr-db02 (Ubuntu 24.04); auditd watches /var/data/phi with the key phi_access.',
    'A registration clerk works days, yet audit shows her reading records late at night.',
  ],
  summary: 'A registration clerk reads 37 records after hours; audit phi_access shows it, the file walk does not; discovery is backdated to an ignored alert.',
  title: 'Insider snooping on patient records',
}
