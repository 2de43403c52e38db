import {describe, expect, it} from 'vitest'

import type {Finding} from '../../../src/analyze/finding.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {auth, caseDb} from './case-db.js'

const at = (hhmm: string, day = '04'): string => `2026-03-${day}T${hhmm}:00.000Z`
const of = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule)
async function findings(events: Parameters<typeof caseDb>[0], params = {}): Promise<Finding[]> {
  return runRules(await caseDb(events), {params})
}

describe('auth.bruteforce-then-success', () => {
  const failures = (n: number) => Array.from({length: n}, (_, i) => auth('failed', at(`10:0${i}`), {ip: '203.0.113.9', user: i % 2 ? 'admin' : 'alice'}))

  it('fires on 5 failures then an accepted login from the same address', async () => {
    const found = of(await findings([...failures(5), auth('accepted', at('10:06'), {ip: '203.0.113.9', user: 'alice'})]), 'auth.bruteforce-then-success')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({count: 6, first: at('10:00'), host: 'web1', ip: '203.0.113.9', last: at('10:06'), severity: 'critical', source: 'builtin', user: 'alice'})
    expect(found[0]?.refs).toHaveLength(6)
    expect(found[0]?.reason).toContain('5 failed logins from 203.0.113.9')
    expect(found[0]?.reason).toMatch(/accounts tried: (admin, alice|alice, admin)/)
  })

  it('does not fire on 4 failures, on failures from another address, or on failures older than the window', async () => {
    const events = [
      ...failures(4), auth('accepted', at('10:06'), {ip: '203.0.113.9', user: 'alice'}),
      ...Array.from({length: 6}, (_, i) => auth('failed', at(`11:0${i}`), {ip: '198.51.100.1', user: 'bob'})), auth('accepted', at('11:07'), {ip: '10.0.0.8', user: 'bob'}),
      ...Array.from({length: 6}, (_, i) => auth('failed', at(`12:0${i}`), {ip: '198.51.100.2', user: 'carol'})), auth('accepted', at('12:30'), {ip: '198.51.100.2', user: 'carol'}),
    ]
    expect(of(await findings(events), 'auth.bruteforce-then-success')).toEqual([])
  })

  it('takes its threshold from a parameter', async () => {
    const events = [...failures(4), auth('accepted', at('10:06'), {ip: '203.0.113.9', user: 'alice'})]
    expect(of(await findings(events, {'auth.bruteforce-then-success.threshold': 4}), 'auth.bruteforce-then-success')).toHaveLength(1)
  })

  it('counts an rsyslog "message repeated N times" line as N failures', async () => {
    const events = [auth('failed', at('10:00'), {data: {count: 7}, ip: '203.0.113.9', user: 'root'}), auth('accepted', at('10:01'), {ip: '203.0.113.9', user: 'root'})]
    expect(of(await findings(events), 'auth.bruteforce-then-success')[0]?.details?.failures).toBe(7)
  })
})

describe('auth.password-spray', () => {
  it('fires when one address fails against 5 accounts in a burst, and not against 4', async () => {
    const spray = (ip: string, users: string[]) => users.map((user, i) => auth('failed', at(`09:1${i}`), {ip, user}))
    const found = of(await findings([...spray('192.0.2.50', ['a', 'b', 'c', 'd', 'e']), ...spray('192.0.2.51', ['a', 'b', 'c', 'd'])]), 'auth.password-spray')
    expect(found.map((f) => f.ip)).toEqual(['192.0.2.50'])
    expect(found[0]).toMatchObject({count: 5, severity: 'high', user: null})
    expect(found[0]?.details?.users).toBe(5)
  })

  it('makes one finding per address and host over the bursts that pass, leaving out the bursts that do not', async () => {
    const burst = (day: string, hour: string, users: string[]) => users.map((user, i) => auth('failed', at(`${hour}:1${i}`, day), {ip: '192.0.2.60', user}))
    const events = [
      ...burst('04', '09', ['a', 'b', 'c', 'd', 'e']),
      // Three hours later, against only three names: not a spray by itself, and not counted.
      ...burst('04', '12', ['x', 'y', 'z']),
      ...burst('06', '02', ['f', 'g', 'h', 'i', 'j', 'k']),
      // The same address on another host, once: that host's own story, below the threshold there.
      auth('failed', at('02:10', '06'), {host: 'db1', ip: '192.0.2.60', user: 'a'}),
    ]
    const found = of(await findings(events), 'auth.password-spray')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({count: 11, first: at('09:10'), host: 'web1', ip: '192.0.2.60', last: at('02:15', '06')})
    expect(found[0]?.details).toMatchObject({bursts: 2, users: 11})
    expect(found[0]?.refs).toHaveLength(11)
    expect(found[0]?.reason).toContain('11 failed logins in 2 burst(s), including')
    expect(found[0]?.reason).toContain('a password spray or a user-name scan')
  })
})

describe('auth.new-source', () => {
  const history = (user: string, n: number) => Array.from({length: n}, (_, i) => auth('accepted', at('09:00', `0${i + 1}`), {ip: '10.0.0.5', user}))

  it('fires on an address the account never used after a history of logins, and not without that history', async () => {
    const events = [
      ...history('alice', 3), auth('accepted', at('09:30', '05'), {ip: '198.51.100.7', user: 'alice'}),
      ...history('bob', 1), auth('accepted', at('09:30', '05'), {ip: '198.51.100.8', user: 'bob'}),
    ]
    const found = of(await findings(events), 'auth.new-source')
    expect(found.map((f) => [f.user, f.ip])).toEqual([['alice', '198.51.100.7']])
    expect(found[0]?.reason).toContain('earlier it logged in 3 times from 10.0.0.5')
  })
})

describe('auth.off-hours-login', () => {
  it('fires at 02:00 UTC, not at 10:00, and not for an account with a habit of night logins', async () => {
    const night = ['01', '02', '03'].map((day) => auth('accepted', at('23:30', day), {ip: '10.0.0.9', user: 'nurse'}))
    const events = [auth('accepted', at('02:00'), {ip: '10.0.0.4', user: 'alice'}), auth('accepted', at('10:00'), {ip: '10.0.0.4', user: 'carol'}), ...night, auth('accepted', at('23:45'), {ip: '10.0.0.9', user: 'nurse'})]
    const found = of(await findings(events), 'auth.off-hours-login')
    // The night nurse's first days have no habit yet; on the fourth night her history speaks for her.
    expect(found.map((f) => [f.user, f.count])).toEqual([['nurse', 3], ['alice', 1]])
    expect(found.find((f) => f.user === 'alice')?.reason).toContain('2026-03-04 02:00 (UTC)')
  })

  it('reads office hours in the configured time zone', async () => {
    // 02:00 UTC on a Wednesday is 18:00 on Tuesday in Los Angeles: office hours.
    const events = [auth('accepted', at('02:00'), {ip: '10.0.0.4', user: 'alice'})]
    expect(of(await findings(events, {timezone: 'America/Los_Angeles'}), 'auth.off-hours-login')).toEqual([])
  })

  it('counts weekend logins unless weekends are turned off', async () => {
    const saturday = [auth('accepted', '2026-03-07T11:00:00.000Z', {ip: '10.0.0.4', user: 'alice'})]
    expect(of(await findings(saturday), 'auth.off-hours-login')).toHaveLength(1)
    expect(of(await findings(saturday, {weekends: 'false'}), 'auth.off-hours-login')).toEqual([])
  })
})

describe('sudo.denied', () => {
  it('fires on a refused sudo and failed sudo passwords, not on a sudo that ran', async () => {
    const events = [
      auth('sudo-denied', at('10:00'), {data: {command: '/bin/cat /etc/shadow', reason: 'user NOT in sudoers', target_user: 'root'}, user: 'mallory'}),
      auth('failed', at('10:01'), {data: {program: 'sudo'}, user: 'mallory'}),
      auth('sudo', at('10:05'), {data: {command: '/usr/bin/systemctl restart nginx', target_user: 'root'}, user: 'alice'}),
    ]
    const found = of(await findings(events), 'sudo.denied')
    expect(found.map((f) => [f.user, f.count])).toEqual([['mallory', 2]])
    expect(found[0]?.reason).toContain('user NOT in sudoers')
    expect(found[0]?.reason).toContain('/bin/cat /etc/shadow')
  })
})

describe('privilege.root-shell', () => {
  it('fires on sudo running a shell and on su to root, not on sudo of one command', async () => {
    const events = [
      auth('sudo', at('10:00'), {data: {command: '/bin/bash', target_user: 'root'}, user: 'bob'}),
      auth('su', at('10:10'), {data: {program: 'su', target_user: 'root'}, user: 'carol'}),
      auth('sudo', at('10:20'), {data: {command: '/usr/bin/systemctl restart nginx', target_user: 'root'}, user: 'alice'}),
    ]
    const found = of(await findings(events), 'privilege.root-shell')
    expect(found.map((f) => f.user)).toEqual(['bob', 'carol'])
    expect(found[0]?.reason).toContain('sudo /bin/bash')
  })
})
