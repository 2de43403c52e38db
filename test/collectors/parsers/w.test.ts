import {describe, expect, it} from 'vitest'

import {parseW} from '../../../src/collectors/parsers/w.js'
import {peerData} from '../../helpers/peer-data.js'
import {fixture} from './fixture.js'

describe('parseW', () => {
  it('reads the uptime line and the sessions of Debian 12 (procps-ng 4.0, with FROM)', () => {
    const rows = parseW(fixture('w/debian-12.txt'))
    expect(rows).toHaveLength(4)
    expect(rows[0]).toEqual({kind: 'uptime', load_1: 0.08, load_5: 0.03, load_15: 0.01, raw: ' 14:35:02 up  6:34,  3 users,  load average: 0.08, 0.03, 0.01', time: '14:35:02', up: '6:34', users: 3})
    expect(rows[3]).toEqual({from: '192.0.2.44', idle: '2days', jcpu: '1.10s', kind: 'session', login_at: '09:12', pcpu: '0.03s', tty: 'pts/1', user: 'bob', what: 'vim /var/data/phi/notes.txt'})
  })

  it('reads procps-ng 3.3 (Ubuntu 22.04, RHEL 9)', () => {
    const u22 = parseW(fixture('w/ubuntu-22.04.txt'))
    expect(u22[0]).toMatchObject({up: '41 days,  3:02', users: 2})
    expect(u22[2]).toEqual({from: '10.20.0.15', idle: '1:49m', jcpu: '0.21s', kind: 'session', login_at: '31Dec25', pcpu: '0.21s', tty: 'pts/1', user: 'administ', what: '-bash'})
    expect(parseW(fixture('w/rhel-9.txt'))[1]).toMatchObject({from: '203.0.113.77', user: 'dana', what: 'sudo -i'})
  })

  it('follows the header when FROM is hidden (Ubuntu 24.04) and when it is shown (-f)', () => {
    expect(parseW(fixture('w/ubuntu-24.04.txt'))[2]).toEqual({from: null, idle: '20:11', jcpu: '0.02s', kind: 'session', login_at: '09:20', pcpu: '0.02s', tty: 'pts/2', user: 'carol', what: '-bash'})
    expect(parseW(fixture('w/ubuntu-24.04-f.txt'))[2]).toMatchObject({from: '2001:db8::42', user: 'carol'})
  })

  it('reads the real empty output: only the uptime row, with `0 user`', () => {
    expect(parseW(fixture('w/debian-12-empty.txt'))).toEqual([
      {kind: 'uptime', load_1: 0.39, load_5: 0.25, load_15: 0.11, raw: ' 06:43:05 up 5 min,  0 user,  load average: 0.39, 0.25, 0.11', time: '06:43:05', up: '5 min', users: 0},
    ])
  })

  it('reads procps-ng 3.3.10\'s blank FROM of a local tty (CentOS 7, jc\'s fixture) as null without shifting the columns', () => {
    const sessions = parseW(peerData('jc', 'centos-7.7', 'w.out')).filter((row) => row.kind === 'session')
    const expected = JSON.parse(peerData('jc', 'centos-7.7', 'w.json')) as Array<Record<string, unknown>>
    expect(sessions.map(({from, idle, jcpu, login_at, pcpu, tty, user, what}) => ({from, idle, jcpu, login_at, pcpu, tty, user, what}))).toEqual(
      expected.map(({from, idle, jcpu, login_at, pcpu, tty, user, what}) => ({from, idle, jcpu, login_at, pcpu, tty, user, what})),
    )
    expect(sessions[0]).toMatchObject({from: null, login_at: 'Fri18', what: '-bash'})
  })
})
