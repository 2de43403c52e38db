import {describe, expect, it} from 'vitest'

import type {CaseEvent} from '../../../src/analyze/event.js'
import type {Finding} from '../../../src/analyze/finding.js'
import {computeScope, touchedPaths, touchedRows} from '../../../src/analyze/scope/compute-scope.js'
import {eventsDb} from './events-db.js'

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 2, day, hour, minute)).toISOString()

function read(host: string, time: string, path: string, who: {auid: number; uid: number; exe: string; user?: string}): Partial<CaseEvent> {
  return {auid: who.auid, data: JSON.stringify({paths: [path]}), exe: who.exe, host, kind: 'phi_access', path, source: 'audit', time, uid: who.uid, user: who.user ?? null}
}

const EHR = {auid: 4294967295, exe: '/opt/ehr/bin/ehr-server', uid: 998}
const BOB = {auid: 1001, exe: '/usr/bin/tar', uid: 1001}

function finding(partial: Partial<Finding> & Pick<Finding, 'refs' | 'rule'>): Finding {
  return {count: 1, first: null, host: 'phi-db', id: partial.rule, ip: null, last: null, paths: [], severity: 'high', source: 'builtin', title: partial.rule, user: null, ...partial}
}

async function scenario() {
  const rows: Array<Partial<CaseEvent>> = []
  // The EHR reads patient files every day, including during the intrusion.
  for (let day = 1; day <= 3; day++) for (let i = 0; i < 40; i++) rows.push(read('phi-db', at(day, 2, i % 50), `/var/data/phi/p-${i}.json`, EHR))
  // bob logs in from outside, then reads 30 files with tar between 02:00 and 02:30, ten of them as root through sudo.
  rows.push({host: 'phi-db', ip: '198.51.100.9', kind: 'accepted', ref: 'auth/events.jsonl:9', source: 'auth', success: true, time: at(3, 1, 55), user: 'bob'})
  for (let i = 0; i < 30; i++) rows.push({...read('phi-db', at(3, 2, i), `/var/data/phi/p-${i}.json`, i < 10 ? {...BOB, uid: 0} : BOB), ref: `audit/events.jsonl:${100 + i}`})
  // One of bob's reads after the last finding's time is outside the window; a read outside the PHI folders is not PHI.
  rows.push({...read('phi-db', at(3, 4), '/var/data/phi/late.json', BOB), ref: 'audit/events.jsonl:200'})
  rows.push({...read('phi-db', at(3, 2, 5), '/etc/passwd', BOB), kind: 'user_changes', ref: 'audit/events.jsonl:201'})
  rows.push({host: 'phi-db', kind: 'account', source: 'accounts', uid: 1001, user: 'bob'})
  const connection = await eventsDb(rows)
  const findings = [
    finding({first: at(3, 1, 50), ip: '198.51.100.9', last: at(3, 1, 55), refs: ['B_phi-db/auth/events.jsonl:9'], rule: 'auth.bruteforce-then-success', user: 'bob'}),
    finding({first: at(3, 2), last: at(3, 2, 29), paths: ['/usr/bin/tar'], refs: ['B_phi-db/audit/events.jsonl:100', 'B_phi-db/audit/events.jsonl:129'], rule: 'phi.exfil-tool', severity: 'critical'}),
    finding({first: at(1, 0), last: at(3, 3), refs: [], rule: 'auth.new-source', severity: 'low', user: 'ehr'}),
  ]
  return {connection, findings}
}

describe('analyze scope: what the accounts behind the findings touched inside the window', () => {
  it('counts the intruder\'s PHI reads (also those made as root through sudo) and leaves out the EHR\'s own', async () => {
    const {connection, findings} = await scenario()
    const result = await computeScope(connection, findings, {phiDirs: ['/var/data/phi']})
    const {scope} = result
    const touched = await touchedRows(connection, result.touched)
    expect(result.touched.files).toBe(30)
    expect(await touchedPaths(connection, result.touched)).toEqual(touched.map((t) => t.path).sort())
    expect(scope).toMatchObject({
      accounts: ['bob'],
      end: at(3, 2, 29),
      phi_files: 30,
      programs: [],
      sources: ['198.51.100.9'],
      start: at(3, 1, 50),
    })
    expect(touched.map((t) => t.path)).not.toContain('/var/data/phi/late.json')
    expect(touched.map((t) => t.path)).not.toContain('/etc/passwd')
    expect(touched.find((t) => t.path === '/var/data/phi/p-3.json')).toMatchObject({host: 'phi-db', via: 'audit'})
    expect(touched.find((t) => t.path === '/var/data/phi/p-3.json')!.refs[0]).toBe('B_phi-db/audit/events.jsonl:103')
  })

  it('a low-severity finding alone does not put its account in scope; no finding, no scope', async () => {
    const {connection, findings} = await scenario()
    const onlyLow = await computeScope(connection, findings.filter((f) => f.severity === 'low'), {phiDirs: ['/var/data/phi']})
    expect(onlyLow.scope).toMatchObject({accounts: [], phi_files: 0, start: null})
  })

  it('an attempt that reached nothing (a password spray all week) neither widens the window nor adds the names it guessed', async () => {
    const {connection, findings} = await scenario()
    const spray = finding({first: at(1, 0), ip: '203.0.113.50', last: at(3, 23), refs: ['B_phi-db/auth/events.jsonl:9'], rule: 'auth.password-spray', user: 'admin'})
    const withSpray = [...findings, spray]
    const counted = await computeScope(connection, withSpray, {phiDirs: ['/var/data/phi']})
    expect(counted.scope.start).toBe(at(1, 0))
    const {scope} = await computeScope(connection, withSpray, {attemptRules: new Set(['auth.password-spray']), phiDirs: ['/var/data/phi']})
    expect(scope).toMatchObject({accounts: ['bob'], end: at(3, 2, 29), phi_files: 30, sources: ['198.51.100.9'], start: at(3, 1, 50)})
    expect(scope.findings).not.toContain(spray.id)
  })

  it('a program of the intruder\'s own (under /tmp) is an actor by itself, a system binary is not', async () => {
    const rows: Array<Partial<CaseEvent>> = [
      {...read('phi-db', at(3, 2), '/var/data/phi/a.json', {auid: 4294967295, exe: '/tmp/.x/sync', uid: 33}), ref: 'audit/events.jsonl:1'},
      {...read('phi-db', at(3, 2, 1), '/var/data/phi/b.json', {auid: 4294967295, exe: '/tmp/.x/sync', uid: 33}), ref: 'audit/events.jsonl:2'},
      {...read('phi-db', at(3, 2, 1), '/var/data/phi/c.json', {auid: 4294967295, exe: '/usr/bin/cat', uid: 33}), ref: 'audit/events.jsonl:3'},
    ]
    const connection = await eventsDb(rows)
    const {scope} = await computeScope(connection, [finding({first: at(3, 2), last: at(3, 2, 1), paths: ['/tmp/.x/sync'], refs: ['B_phi-db/audit/events.jsonl:1'], rule: 'phi.exfil-tool'})], {phiDirs: ['/var/data/phi']})
    expect(scope.programs).toEqual(['/tmp/.x/sync'])
    expect(scope.phi_files).toBe(2)
  })

  it('with a mass change (ransomware), every PHI file the collector saw change in that window is in scope', async () => {
    const rows: Array<Partial<CaseEvent>> = []
    for (let i = 0; i < 25; i++) rows.push({host: 'phi-db', kind: 'file', path: `/var/data/phi/p-${i}.json.locked`, ref: `phi-files/recently-modified.jsonl:${i + 1}`, source: 'phi-files', time: at(3, 3, i)})
    rows.push({host: 'phi-db', kind: 'file', path: '/var/data/phi/before.json', source: 'phi-files', time: at(2, 3)})
    rows.push(read('phi-db', at(3, 3, 2), '/var/data/phi/p-2.json.locked', {auid: 1001, exe: '/tmp/locker', uid: 1001}))
    const connection = await eventsDb(rows)
    const change = finding({first: at(3, 3), last: at(3, 3, 24), refs: ['B_phi-db/phi-files/recently-modified.jsonl:1'], rule: 'phi.mass-change'})
    const exfil = finding({first: at(3, 3, 2), last: at(3, 3, 2), paths: ['/tmp/locker'], refs: ['B_h/x.jsonl:27'], rule: 'phi.exfil-tool'})
    const {scope, touched} = await computeScope(connection, [change, exfil], {phiDirs: ['/var/data/phi']})
    expect(scope.phi_files).toBe(25)
    // A file both read (audit) and changed (phi-files) is one row, with both ways.
    const rows2 = await touchedRows(connection, touched)
    expect(rows2.find((t) => t.path === '/var/data/phi/p-2.json.locked')).toMatchObject({first: at(3, 3, 2), via: 'audit+phi-files'})
    expect(rows2.find((t) => t.path === '/var/data/phi/p-3.json.locked')).toMatchObject({first: at(3, 3, 3), last: at(3, 3, 3), via: 'phi-files'})
  })
})
