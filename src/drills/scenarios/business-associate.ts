/** A business associate's breach: the billing vendor's SFTP server; the BA → CE clock and agency. */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd} from '../synthetic/log-lines.js'
import {minutesAfter, patientCsv} from '../synthetic/phi-data.js'
import type {Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'sftp-billing01'
const SINCE = '2026-02-15T00:00:00Z'
const ACCOUNT = 'billing-upload'
const AUID = 2001
const ATTACKER = '203.0.113.99'
const CE_HOST_IP = '192.0.2.10'
const FAILED = 12
const BATCHES = 9

function batchPath(i: number): string {
  return `/var/data/phi/claims/batch-2026-02-${String(i + 9).padStart(2, '0')}.x12`
}

function generate() {
  const b = new RootBuilder(HOST, 'rhel', SINCE)
  for (let i = 1; i <= BATCHES; i++) {
    const time = minutesAfter('2026-02-16T23:00:00Z', (i - 1) * 6)
    b.file(batchPath(i), `ISA*00*SYNTHETIC DRILL DATA*\n${patientCsv(i * 100, 10)}`, time)
  }
  b.authEvent('2026-02-16T22:59:30Z', 'sshd', sshd.accepted(ACCOUNT, CE_HOST_IP, 55_000, 'publickey'), 9500)
  for (let i = 0; i < FAILED; i++) b.authEvent(minutesAfter('2026-02-18T03:05:00Z', i / 2), 'sshd', sshd.failed(ACCOUNT, ATTACKER, 41_000 + i), 9600 + i)
  b.authEvent('2026-02-18T03:12:44Z', 'sshd', sshd.accepted(ACCOUNT, ATTACKER, 41_020, 'password'), 9620)
  b.authEvent('2026-02-18T03:12:44Z', 'sshd', sshd.sessionOpened(ACCOUNT, AUID), 9620)
  for (let i = 1; i <= BATCHES; i++) {
    b.auditAccess({auid: AUID, comm: 'sftp-server', exe: '/usr/libexec/openssh/sftp-server', path: batchPath(i), serial: 92_000 + i, time: minutesAfter('2026-02-18T03:13:00Z', i)})
  }
  b.authEvent('2026-02-18T03:25:10Z', 'sshd', sshd.disconnected(ACCOUNT, ATTACKER, 41_020), 9620)
  b.oldAuthEvent('2026-02-10T23:00:00Z', 'sshd', sshd.accepted(ACCOUNT, CE_HOST_IP, 54_900, 'publickey'), 9400)
  return b.build()
}

export const businessAssociate: Scenario = {
  asOf: '2026-04-01',
  caseId: 'DRILL-BA',
  expected: [
    {check: {filter: {kind: 'failed', ip: ATTACKER}, kind: 'auth-count'}, expected: FAILED, id: 'guessing', label: `failed passwords for ${ACCOUNT} from ${ATTACKER}`},
    {check: {filter: {kind: 'accepted', ip: ATTACKER, user: ACCOUNT}, kind: 'auth-count'}, expected: 1, id: 'attacker-login', label: `accepted SSH login for ${ACCOUNT} from ${ATTACKER}`, rules: ['auth.bruteforce-then-success']},
    {check: {filter: {kind: 'accepted', ip: CE_HOST_IP, user: ACCOUNT}, kind: 'auth-count'}, expected: 1, id: 'ce-upload', label: 'the clinic\'s own nightly upload (legitimate)'},
    {check: {filter: {auid: String(AUID), exe: '/usr/libexec/openssh/sftp-server', key: 'phi_access'}, kind: 'audit-count'}, expected: BATCHES, id: 'batches-read', label: 'claim batches read over SFTP during the attacker\'s session', rules: ['phi.unusual-reader', 'phi.exfil-tool']},
    {check: {kind: 'phi-files', pathPrefix: '/var/data/phi/claims/'}, expected: BATCHES, id: 'batches', label: 'claim batches on the server in the window'},
    {check: {kind: 'notification-required'}, expected: true, id: 'notice-required', label: 'notification required'},
    {check: {id: 'individuals', kind: 'deadline-due'}, expected: '2026-04-21', id: 'individuals', label: 'individual notice: BA discovery 2026-02-20 + 60 (agency unknown counts as agent)'},
    {check: {id: 'media:NY', kind: 'deadline-due'}, expected: '2026-04-21', id: 'media-ny', label: 'media notice in NY (620 > 500)'},
    {check: {id: 'hhs', kind: 'deadline-due'}, expected: '2026-04-21', id: 'hhs', label: 'HHS notice now (800 in total)'},
    {check: {kind: 'agency-alternative'}, expected: '2026-04-01', id: 'independent-contractor', label: 'the other reading: if the BA is an independent contractor, the clock starts when it told us'},
  ],
  facts: exerciseFacts({
    affected: {NJ: 180, NY: 620},
    breach: {
      description: 'SYNTHETIC EXERCISE: an attacker guessed the password of the upload account on the billing vendor\'s SFTP server and downloaded nine claim batches.',
      end: '2026-02-18',
      location: 'Network Server',
      phi_types: ['name', 'date-of-birth', 'health-insurance-number', 'procedure-codes'],
      start: '2026-02-18',
      type: 'Hacking/IT Incident',
    },
    business_associate: {discovered: '2026-02-20', is_agent: 'unknown', name: 'SYNTHETIC BILLING SERVICES LLC', notified_ce: '2026-04-01'},
    id: 'DRILL-BA',
    mitigation: 'Vendor disabled password logins, rotated credentials and re-issued keys; the clinic paused uploads.',
  }),
  generate,
  id: 'business-associate',
  injects: [
    {at: 'T+0:00 (2026-04-01 10:00)', prompt: 'When did our clock start? Pull the BAA: what notice period did the vendor promise?', text: 'SYNTHETIC BILLING SERVICES LLC emails: "on 2026-02-20 we detected unauthorized access to our SFTP server; some of your claim files may be affected."'},
    {at: 'T+1:00', prompt: 'Collect from the image the vendor provides (collect --root); verify what they send.', text: 'The vendor offers a disk image of sftp-billing01 and its logs.'},
    {at: 'day 2', prompt: 'Agent or independent contractor? Who controls how the vendor does the work?', text: 'Counsel asks whether the vendor is our agent under federal common law.'},
    {at: 'day 5', text: 'The vendor offers to mail the letters for us.'},
  ],
  openQuestions: [
    'Is the vendor our agent? Until counsel decides, the conservative clock (2026-04-21) governs: is the plan built on it?',
    'Did the vendor meet its BAA notice period, and what follows if not?',
    'Who checks that the vendor\'s list of affected individuals matches our own records?',
  ],
  questions: [
    'The vendor discovered on 2026-02-20 and told us on 2026-04-01. Which date starts our 60 days (164.404(a)(2) and the agency question)?',
    'How many days are left on the conservative reading? On the independent-contractor reading?',
    'What must the vendor give us under 164.410(c) (identities, other 164.404(c) information)?',
    'Who sends the letters: us or the vendor? Who stays responsible?',
    'Which evidence do we trust from a vendor, and how do we check it (signatures, custody)?',
  ],
  runbook: 'business-associate',
  since: SINCE,
  story: [
    'SYNTHETIC CLINIC uploads claim batches every night to its billing vendor, SYNTHETIC BILLING SERVICES LLC, over SFTP.',
    'On 2026-04-01 the vendor tells the clinic it detected unauthorized access back on 2026-02-20.',
  ],
  summary: 'The billing vendor (a business associate) tells the clinic six weeks late; the agency question decides whether 20 or 60 days are left.',
  title: 'A business associate\'s breach',
}
