/** Credential stuffing against SSH on the patient-portal database: many IPs, one valid account. */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd} from '../synthetic/log-lines.js'
import {minutesAfter, patientCsv} from '../synthetic/phi-data.js'
import type {Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'portal-db01'
const SINCE = '2026-03-03T00:00:00Z'
const SOURCES = ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14', '198.51.100.15']
const USERS = ['admin', 'test', 'oracle', 'jdoe', 'postgres', 'ubuntu']
const VALID = new Set(['jdoe'])
const ATTEMPTS = 120
const WINNER = '198.51.100.14'
const AUID = 1120
const READS = 12
/** Patients whose messages the archived files hold (the facts' affected count). */
const PATIENTS = 230

function generate() {
  const b = new RootBuilder(HOST, 'debian', SINCE)
  for (let i = 0; i < ATTEMPTS; i++) {
    const ip = SOURCES[i % SOURCES.length] as string
    const user = USERS[i % USERS.length] as string
    const time = new Date(Date.parse('2026-03-03T02:00:00Z') + i * 20_000).toISOString()
    const port = 42_000 + i
    if (!VALID.has(user)) b.authEvent(time, 'sshd', sshd.invalidUser(user, ip, port), 10_000 + i)
    b.authEvent(time, 'sshd', sshd.failed(user, ip, port, !VALID.has(user)), 10_000 + i)
  }
  b.authEvent('2026-03-03T02:41:07Z', 'sshd', sshd.accepted('jdoe', WINNER, 42_500, 'password'), 10_500)
  b.authEvent('2026-03-03T02:41:07Z', 'sshd', sshd.sessionOpened('jdoe', AUID), 10_500)
  for (let i = 1; i <= READS; i++) {
    const path = `/var/data/phi/portal/messages-${String(i).padStart(2, '0')}.json`
    b.auditAccess({auid: AUID, comm: 'tar', exe: '/usr/bin/tar', path, serial: 93_000 + i, time: minutesAfter('2026-03-03T02:43:00Z', i / 6)})
    b.file(path, JSON.stringify({note: 'SYNTHETIC DRILL DATA', rows: patientCsv(i * 50, 3)}) + '\n', '2026-02-20T00:00:00Z')
  }
  // The portal's patient map: the 230 Florida patients whose messages the 12 archived files hold.
  for (let n = 1; n <= PATIENTS; n++) {
    b.patient(`/var/data/phi/portal/messages-${String(((n - 1) % READS) + 1).padStart(2, '0')}.json`, `SYN-${String(n).padStart(6, '0')}`, 'FL')
  }
  b.file('/var/data/phi/portal/.export.tgz', 'SYNTHETIC DRILL ARCHIVE (not a real archive)\n', '2026-03-03T02:45:30Z')
  b.authEvent('2026-03-03T02:52:00Z', 'sshd', sshd.disconnected('jdoe', WINNER, 42_500), 10_500)
  b.authEvent('2026-03-03T08:30:00Z', 'sshd', sshd.accepted('dba.synthetic', '10.0.5.20', 51_700, 'publickey'), 10_700)
  return b.build()
}

const invalidAttempts = Array.from({length: ATTEMPTS}, (_, i) => USERS[i % USERS.length] as string).filter((u) => !VALID.has(u)).length

export const credentialStuffing: Scenario = {
  asOf: '2026-03-03',
  caseId: 'DRILL-STUFFING',
  expected: [
    {check: {filter: {kind: 'failed'}, kind: 'auth-count'}, expected: ATTEMPTS, id: 'failed', label: 'failed SSH passwords in the window'},
    {check: {filter: {kind: 'invalid-user'}, kind: 'auth-count'}, expected: invalidAttempts, id: 'invalid-users', label: 'attempts on accounts that do not exist (sshd "Invalid user")'},
    {check: {filter: {kind: 'failed'}, kind: 'auth-distinct-ips'}, expected: SOURCES.length, id: 'sources', label: 'distinct source addresses of the failures', rules: ['auth.password-spray']},
    {check: {filter: {kind: 'accepted', ip: WINNER, user: 'jdoe'}, kind: 'auth-count'}, expected: 1, id: 'breakthrough', label: `accepted password for jdoe from ${WINNER}`, rules: ['auth.bruteforce-then-success']},
    {check: {filter: {auid: String(AUID), exe: '/usr/bin/tar', key: 'phi_access'}, kind: 'audit-count'}, expected: READS, id: 'archived', label: 'portal message files read by tar (archived)', rules: ['phi.exfil-tool']},
    {check: {kind: 'phi-files'}, expected: 1, id: 'archive-file', label: 'PHI files modified in the window (the hidden .export.tgz)'},
    {check: {id: 'individuals', kind: 'deadline-due'}, expected: '2026-05-02', id: 'individuals', label: 'individual notice, latest date'},
    {check: {id: 'hhs-annual', kind: 'deadline-due'}, expected: '2027-03-01', id: 'hhs-annual', label: 'HHS annual log (230 < 500)'},
  ],
  facts: exerciseFacts({
    affected: {FL: PATIENTS},
    breach: {
      description: 'SYNTHETIC EXERCISE: credential stuffing from five addresses found the reused password of a developer account on the patient-portal database server; 12 message files were archived.',
      end: '2026-03-03',
      location: 'Network Server',
      phi_types: ['name', 'email-address', 'diagnosis'],
      start: '2026-03-03',
      type: 'Hacking/IT Incident',
    },
    discovered: '2026-03-03',
    id: 'DRILL-STUFFING',
    mitigation: 'Password logins disabled, account locked, keys rotated, fail2ban and MaxAuthTries 3 deployed.',
  }),
  generate,
  id: 'ssh-credential-stuffing',
  injects: [
    {at: 'T+0:00 (2026-03-03 08:30)', prompt: 'Was any attempt successful? Collect with --since covering the night.', text: 'The DBA notices thousands of sshd lines overnight on portal-db01.'},
    {at: 'T+0:45', text: 'jdoe says he reused his password from a site that leaked last year.'},
    {at: 'day 1', prompt: 'Florida counts 30 days: which deadline is first?', text: 'Most of the portal users live in Florida.'},
  ],
  openQuestions: [
    'Why was password authentication enabled for SSH at all (ssh.password-authentication)?',
    'Did the archive leave the server? Which egress evidence exists?',
  ],
  questions: [
    'How do you tell credential stuffing from a targeted attack in auth/events.jsonl?',
    'Which of the 120 failures matter, and which one success?',
    'Which state deadline is shorter than HIPAA\'s 60 days here?',
    'What posture controls would have stopped it (assess: ssh.password-authentication, ssh.max-auth-tries, auth.lockout)?',
  ],
  runbook: 'credential-stuffing',
  since: SINCE,
  story: [
    'SYNTHETIC CLINIC\'s patient portal stores secure messages on portal-db01 (Debian 12), reachable by SSH from the internet.',
    'Overnight, five addresses try common user names and leaked passwords.',
  ],
  summary: 'Credential stuffing from five addresses finds one reused password; audit shows message files archived; a state clock shorter than 60 days.',
  title: 'Credential stuffing against SSH',
}
