/**
 * A stolen laptop, run both ways. The laptop itself is gone; the evidence is on the EHR server it
 * synced with (RHEL 9, /var/log/secure). Encrypted: its credentials are never used after the theft
 * and the PHI is secured, so no notice is owed. Unencrypted: its saved VPN profile and SSH key are
 * used at night to read more records.
 */
import {RootBuilder} from '../synthetic/root-builder.js'
import {sshd} from '../synthetic/log-lines.js'
import {minutesAfter, patientCsv} from '../synthetic/phi-data.js'
import type {ExpectedFinding, Scenario} from '../types.js'
import {exerciseFacts} from './common.js'

const HOST = 'ehr-app01'
const SINCE = '2026-03-01T00:00:00Z'
const USER = 'n.synthetic'
const AUID = 1310
const VPN_IP = '10.20.0.57'
const THEFT = '2026-03-02T19:30:00Z'
const EXPORTS = 3
const NIGHT_READS = 5

function generate(encrypted: boolean) {
  const b = new RootBuilder(HOST, 'rhel', SINCE)
  for (let i = 1; i <= EXPORTS; i++) {
    const path = `/var/data/phi/exports/ward-3-census-${i}.csv`
    b.file(path, patientCsv(i * 1000, 20), minutesAfter('2026-03-02T16:00:00Z', i))
  }
  b.authEvent('2026-03-02T16:05:11Z', 'sshd', sshd.accepted(USER, VPN_IP, 52_100, 'publickey'), 8100)
  b.authEvent('2026-03-02T16:05:11Z', 'sshd', sshd.sessionOpened(USER, AUID), 8100)
  for (let i = 1; i <= EXPORTS; i++) {
    b.auditAccess({auid: AUID, comm: 'rsync', exe: '/usr/bin/rsync', path: `/var/data/phi/exports/ward-3-census-${i}.csv`, serial: 61_000 + i, time: minutesAfter('2026-03-02T16:06:00Z', i)})
  }
  b.authEvent('2026-03-02T16:12:40Z', 'sshd', sshd.disconnected(USER, VPN_IP, 52_100), 8100)
  // A colleague's ordinary day shift: legitimate.
  b.authEvent('2026-03-03T07:02:00Z', 'sshd', sshd.accepted('k.synthetic', '10.20.0.31', 52_300, 'publickey'), 8300)
  b.oldAuthEvent('2026-02-26T16:00:00Z', 'sshd', sshd.accepted(USER, VPN_IP, 52_000, 'publickey'), 8000)
  b.file('/var/data/phi/records/ward-3-history.csv', patientCsv(5000, 40), '2026-01-20T00:00:00Z')
  if (!encrypted) {
    b.authEvent('2026-03-03T02:14:33Z', 'sshd', sshd.accepted(USER, VPN_IP, 52_900, 'publickey'), 8900)
    b.authEvent('2026-03-03T02:14:33Z', 'sshd', sshd.sessionOpened(USER, AUID), 8900)
    for (let i = 1; i <= NIGHT_READS; i++) {
      b.auditAccess({auid: AUID, comm: 'scp', exe: '/usr/bin/scp', path: `/var/data/phi/records/ward-${i}-history.csv`, serial: 62_000 + i, time: minutesAfter('2026-03-03T02:15:00Z', i)})
    }
    b.authEvent('2026-03-03T02:31:05Z', 'sshd', sshd.disconnected(USER, VPN_IP, 52_900), 8900)
  }
  return b.build()
}

function expected(encrypted: boolean): ExpectedFinding[] {
  const common: ExpectedFinding[] = [
    {check: {filter: {before: THEFT, kind: 'accepted', user: USER}, kind: 'auth-count'}, expected: 1, id: 'sync-login', label: `${USER} logged in from the laptop (${VPN_IP}) before the theft`},
    {check: {kind: 'phi-files', pathPrefix: '/var/data/phi/exports/'}, expected: EXPORTS, id: 'exports', label: 'census exports synced to the laptop (modified in the window)'},
  ]
  if (encrypted) {
    return [
      ...common,
      {check: {filter: {after: THEFT, kind: 'accepted', user: USER}, kind: 'auth-count'}, expected: 0, id: 'no-use-after-theft', label: `no login with the laptop's credentials after the theft (${THEFT})`},
      {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-count'}, expected: EXPORTS, id: 'phi-reads', label: `phi_access events of auid ${AUID}: only the daytime sync`},
      {check: {kind: 'notification-required'}, expected: false, id: 'no-notice', label: 'no notification owed: the PHI was secured (encrypted, key not compromised)'},
      {check: {id: 'individuals', kind: 'deadline-present'}, expected: false, id: 'no-individuals', label: 'no individual-notice deadline'},
    ]
  }
  return [
    ...common,
    {check: {filter: {after: THEFT, kind: 'accepted', user: USER}, kind: 'auth-count'}, expected: 1, id: 'use-after-theft', label: `a login with the laptop's saved key after the theft (${THEFT})`},
    {check: {filter: {auid: String(AUID), key: 'phi_access'}, kind: 'audit-count'}, expected: EXPORTS + NIGHT_READS, id: 'phi-reads', label: `phi_access events of auid ${AUID}: the sync plus ${NIGHT_READS} night-time reads`},
    {check: {kind: 'notification-required'}, expected: true, id: 'notice-required', label: 'notification required (unsecured PHI)'},
    {check: {id: 'individuals', kind: 'deadline-due'}, expected: '2026-05-02', id: 'individuals', label: 'individual notice, latest date (2026-03-03 + 60)'},
    {check: {id: 'hhs-annual', kind: 'deadline-due'}, expected: '2027-03-01', id: 'hhs-annual', label: 'HHS annual log (fewer than 500: 2026-12-31 + 60)'},
    {check: {id: 'hhs', kind: 'deadline-present'}, expected: false, id: 'no-hhs-now', label: 'no immediate HHS notice (340 < 500)'},
    {check: {id: 'substitute-notice', kind: 'deadline-present'}, expected: true, id: 'substitute', label: 'substitute notice (14 with out-of-date addresses)'},
  ]
}

function scenario(encrypted: boolean): Scenario {
  const id = encrypted ? 'laptop-encrypted' : 'laptop-unencrypted'
  const caseId = encrypted ? 'DRILL-LAPTOP-ENC' : 'DRILL-LAPTOP-UNENC'
  return {
    asOf: '2026-03-03',
    caseId,
    expected: expected(encrypted),
    facts: exerciseFacts({
      affected: {TX: 340},
      breach: {
        description: `SYNTHETIC EXERCISE: a nurse's laptop holding three ward census exports was stolen from a car on 2026-03-02. ${encrypted ? 'It has full-disk encryption (LUKS2, AES-256, NIST SP 800-111); the passphrase was not with the device.' : 'It had no disk encryption; its saved VPN profile and SSH key were used that night.'}`,
        end: encrypted ? '2026-03-02' : '2026-03-03',
        location: 'Laptop',
        phi_types: ['name', 'date-of-birth', 'diagnosis', 'medical-record-number'],
        start: '2026-03-02',
        type: 'Theft',
      },
      discovered: '2026-03-03',
      id: caseId,
      insufficient_contact: encrypted ? 0 : 14,
      mitigation: 'Device reported stolen, VPN profile and SSH key revoked, remote wipe requested.',
      secured: encrypted,
    }),
    generate: () => generate(encrypted),
    id,
    injects: [
      {at: 'T+0:00 (2026-03-03 07:10)', prompt: 'Which PHI was on the laptop? Who can tell?', text: 'A nurse reports that her work laptop was stolen from her car last evening (about 19:30).'},
      {at: 'T+0:30', prompt: encrypted ? 'What proves the encryption was on (MDM report, escrow record)?' : 'Revoke the key and VPN profile now; collect evidence from ehr-app01.', text: encrypted ? 'Desktop support confirms from the MDM console: full-disk encryption was enabled and the recovery key is in escrow.' : 'Desktop support: the laptop was an old loaner without disk encryption. The VPN profile and an SSH key were saved on it.'},
      {at: 'day 1', text: 'Police give a report number; no suspect.'},
      {at: 'day 4', prompt: 'Does this change the analysis?', text: encrypted ? 'The nurse admits the disk passphrase was written on a sticky note in the laptop bag.' : 'A patient calls: a neighbour saw their chart on a laptop screen at a bus stop.'},
    ],
    openQuestions: encrypted
      ? ['Where is the record that the laptop was encrypted at the time of the theft (164.414(b) documentation)?', 'If the passphrase was with the device, the PHI is not secured: who re-runs the timeline with secured: false?']
      : ['Why did a loaner laptop hold PHI without encryption (encryption.phi-at-rest, device policy)?', 'Which records were read at 02:15, and are their patients already in the affected count?'],
    questions: [
      'Is the PHI on this laptop "unsecured" under the HHS guidance (encryption per NIST SP 800-111, key not compromised)?',
      'What documentation does 164.414(b) require even when no notice is owed?',
      'When did discovery happen: at the theft, or at the report the next morning?',
      'Who revokes the device credentials, and how fast?',
      encrypted ? 'The passphrase was on a sticky note: is the key "compromised"? What changes?' : 'The server logs show a login at 02:14 from the laptop: how does that change the scope?',
    ],
    runbook: 'lost-or-stolen-device',
    since: SINCE,
    story: [
      'A ward nurse at SYNTHETIC CLINIC syncs census exports from ehr-app01 (RHEL 9) to her laptop for home visits.',
      'On the evening of 2026-03-02 the laptop is stolen from her car. She reports it the next morning.',
      encrypted ? 'Variant: the laptop has full-disk encryption.' : 'Variant: the laptop has no disk encryption.',
    ],
    summary: encrypted
      ? 'A stolen laptop with full-disk encryption: secured PHI, no notice owed, but the determination must be documented.'
      : 'A stolen unencrypted laptop whose saved credentials are used that night: individual notice, HHS annual log, substitute notice.',
    title: encrypted ? 'Stolen laptop, encrypted' : 'Stolen laptop, not encrypted',
  }
}

export const laptopEncrypted = scenario(true)
export const laptopUnencrypted = scenario(false)
