/** Ransomware on the PHI database server: password guessing, a root shell, 24 tables encrypted. */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd, sudoMessage} from '../synthetic/log-lines.js'
import {minutesAfter, patientCsv, pseudoCiphertext} from '../synthetic/phi-data.js'
import type {Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'phi-db01'
const SINCE = '2026-03-02T00:00:00Z'
const ATTACKER = '203.0.113.45'
const ACCOUNT = 'svc-backup'
const AUID = 1005
const FAILED = 30
const ENCRYPTED = 24
const START = '2026-03-02T01:10:00Z'

function generate() {
  const b = new RootBuilder(HOST, 'debian', SINCE)
  for (let i = 0; i < FAILED; i++) b.authEvent(minutesAfter(START, i), 'sshd', sshd.failed(ACCOUNT, ATTACKER, 40_000 + i), 7000 + i)
  const login = '2026-03-02T01:42:17Z'
  b.authEvent(login, 'sshd', sshd.accepted(ACCOUNT, ATTACKER, 40_031, 'password'), 7100)
  b.authEvent(login, 'sshd', sshd.sessionOpened(ACCOUNT, AUID), 7100)
  b.authEvent('2026-03-02T01:44:02Z', 'sudo', sudoMessage(ACCOUNT, '/bin/bash', '/var/lib/svc-backup'))
  b.authEvent('2026-03-02T02:20:40Z', 'sshd', sshd.disconnected(ACCOUNT, ATTACKER, 40_031), 7100)
  // The DBA who logs in the next morning to see why the EHR is down: legitimate.
  b.authEvent('2026-03-03T07:41:09Z', 'sshd', sshd.accepted('dba.synthetic', '10.0.5.20', 51_514, 'publickey'), 7300)
  b.oldAuthEvent('2026-02-27T08:00:00Z', 'sshd', sshd.accepted('dba.synthetic', '10.0.5.20', 51_000, 'publickey'), 6100)
  for (let i = 1; i <= ENCRYPTED; i++) {
    const n = String(i).padStart(2, '0')
    const time = minutesAfter('2026-03-02T01:50:00Z', i)
    const path = `/var/data/phi/db/patients-${n}.csv.locked`
    b.auditAccess({auid: AUID, comm: 'lockr', exe: '/tmp/.cache/lockr', path, serial: 91_000 + i, time, uid: 0, write: true})
    b.file(path, pseudoCiphertext(path, 512), time)
  }
  b.file('/var/data/phi/db/README-RESTORE-FILES.txt', 'SYNTHETIC RANSOM NOTE (EXERCISE). Your files are encrypted. This is a drill.\n', '2026-03-02T02:15:00Z')
  b.file('/var/data/phi/db/archive-2025.csv', patientCsv(9000, 5), '2025-12-01T00:00:00Z')
  b.oldAuditAccess({auid: 1001, comm: 'cat', exe: '/usr/bin/cat', path: '/var/data/phi/db/archive-2025.csv', serial: 500, time: '2026-02-20T10:00:00Z'})
  return b.build()
}

export const ransomware: Scenario = {
  asOf: '2026-03-03',
  caseId: 'DRILL-RANSOMWARE',
  expected: [
    {check: {filter: {kind: 'failed', ip: ATTACKER}, kind: 'auth-count'}, expected: FAILED, id: 'failed-logins', label: `failed SSH passwords from ${ATTACKER}`},
    {check: {filter: {kind: 'accepted', ip: ATTACKER, user: ACCOUNT}, kind: 'auth-count'}, expected: 1, id: 'attacker-login', label: `accepted SSH login for ${ACCOUNT} from ${ATTACKER}`, rules: ['auth.bruteforce-then-success']},
    {check: {filter: {kind: 'sudo', user: ACCOUNT}, kind: 'auth-count'}, expected: 1, id: 'root-shell', label: `sudo to a root shell by ${ACCOUNT}`, rules: ['privilege.root-shell']},
    {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-count'}, expected: ENCRYPTED, id: 'phi-writes', label: `phi_access audit events of auid ${AUID} (${ACCOUNT}) writing encrypted tables`, rules: ['phi.mass-change']},
    {check: {kind: 'phi-files'}, expected: ENCRYPTED + 1, id: 'phi-files-modified', label: 'PHI files modified in the window (24 .locked tables and the ransom note)'},
    {check: {kind: 'notification-required'}, expected: true, id: 'notice-required', label: 'notification required (ransomware is presumed a breach, 164.402(2))'},
    {check: {id: 'individuals', kind: 'deadline-due'}, expected: '2026-05-02', id: 'individuals', label: 'individual notice, latest date (discovery 2026-03-03 + 60; the 30-day oral delay ends earlier)'},
    {check: {id: 'media:CA', kind: 'deadline-due'}, expected: '2026-05-02', id: 'media-ca', label: 'media notice in CA (1,800 residents > 500)'},
    {check: {id: 'media:NV', kind: 'deadline-present'}, expected: false, id: 'no-media-nv', label: 'no media notice in NV (420 residents)'},
    {check: {id: 'hhs', kind: 'deadline-due'}, expected: '2026-05-02', id: 'hhs', label: 'HHS notice now (2,220 in total, 164.408(b))'},
    {check: {id: 'substitute-notice', kind: 'deadline-present'}, expected: true, id: 'substitute', label: 'substitute notice (25 with out-of-date addresses)'},
  ],
  facts: exerciseFacts({
    affected: {CA: 1800, NV: 420},
    breach: {
      description: `SYNTHETIC EXERCISE: an attacker guessed the password of ${ACCOUNT} on ${HOST}, became root and encrypted 24 patient tables; a ransom note threatens publication.`,
      end: '2026-03-02',
      location: 'Network Server',
      phi_types: ['name', 'date-of-birth', 'diagnosis', 'medical-record-number'],
      start: '2026-03-02',
      type: 'Hacking/IT Incident',
    },
    discovered: '2026-03-03',
    id: 'DRILL-RANSOMWARE',
    insufficient_contact: 25,
    law_enforcement_delay: {kind: 'oral', official: 'SYNTHETIC SPECIAL AGENT 01, FBI field office (exercise)', received: '2026-03-06'},
    mitigation: 'Server isolated, evidence collected and signed, restore from backup under way, passwords rotated.',
  }),
  generate,
  id: 'ransomware',
  injects: [
    {at: 'T+0:00 (2026-03-03 07:30)', prompt: 'Declare an incident? Who is the incident lead?', text: 'The EHR front end shows database errors. The DBA finds files named *.csv.locked and README-RESTORE-FILES.txt on phi-db01.'},
    {at: 'T+0:20', prompt: 'Collect and sign evidence first (first-hour runbook), then isolate; do not reimage yet.', text: 'IT operations wants to wipe the server and restore from backup right away.'},
    {at: 'T+2:00', text: 'The newest clean backup is 9 days old; 9 days of clinical notes may be lost.'},
    {at: 'day 1', prompt: 'Does this change the 4-factor assessment (was PHI acquired)?', text: 'The attackers email the clinic: they claim to have copied the tables and will publish them unless paid.'},
    {at: 'day 3 (2026-03-06)', prompt: 'Record the official and the date (164.412(b)); ask for a written statement.', text: 'An FBI agent calls and asks, by phone, that notification be delayed for 30 days.'},
    {at: 'day 33', text: 'No written statement has arrived: the oral delay has lapsed.'},
  ],
  openQuestions: [
    'Was PHI exfiltrated before encryption? Which egress logs or flow records can show it?',
    'Which backup is the last clean one, and who verified it?',
    'How did 30 failed passwords for a service account go unnoticed (auth.lockout, alerting)?',
  ],
  questions: [
    'When did discovery happen: at 07:30 on 2026-03-03, or when the failed-login burst should have alerted someone (164.404(a)(2))?',
    'HHS guidance presumes ransomware encryption of PHI is a breach. What would it take to show a low probability of compromise?',
    'Who decides about paying a ransom, and who checks sanctions (OFAC) exposure?',
    'What has to be preserved before the server is restored, and who signs the custody log?',
    'Media notice is owed in CA but not NV: why? Who writes the press release?',
    'The FBI asked orally for a delay: how long does it hold, and what must be documented?',
  ],
  runbook: 'ransomware',
  since: SINCE,
  story: [
    'SYNTHETIC CLINIC runs its EHR database on phi-db01 (Debian 12).',
    'On the morning of 2026-03-03 the EHR cannot read its tables. Files on the server end in .locked, and a ransom note sits next to them.',
    'The facilitator plays IT operations, the attackers, and the FBI.',
  ],
  summary: 'Ransomware encrypts the PHI tables on the database server after SSH password guessing; media, HHS and an oral law-enforcement delay.',
  title: 'Ransomware on the PHI database server',
}
