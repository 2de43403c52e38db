import {describe, expect, it} from 'vitest'

import {parseLast} from '../../../src/collectors/parsers/last.js'
import {fixture} from './fixture.js'

describe('parseLast', () => {
  const rows = parseLast(fixture('last/debian-12-fwi.txt'))

  it('reads a session still logged in and a closed one with ISO times', () => {
    expect(rows[0]).toEqual({duration: null, host: '203.0.113.10', kind: 'user', login: '2026-03-03T14:21:58.000Z', login_raw: 'Tue Mar  3 14:21:58 2026', logout: null, logout_raw: null, status: 'still logged in', tty: 'pts/0', user: 'alice'})
    expect(rows[2]).toEqual({duration: '01:49', host: '192.0.2.44', kind: 'user', login: '2026-03-03T09:12:44.000Z', login_raw: 'Tue Mar  3 09:12:44 2026', logout: '2026-03-03T11:02:13.000Z', logout_raw: 'Tue Mar  3 11:02:13 2026', status: null, tty: 'pts/1', user: 'bob'})
  })

  it('tells reboot and shutdown lines from logins', () => {
    expect(rows[4]).toMatchObject({host: '0.0.0.0', kind: 'reboot', status: 'still running', tty: 'system boot', user: 'reboot'})
    expect(rows[6]).toMatchObject({duration: '1+00:01', kind: 'shutdown', logout: '2026-03-03T08:00:31.000Z', tty: 'system down'})
  })

  it('reads crash, down and gone - no logout, and full-width user names', () => {
    expect(rows[5]).toMatchObject({duration: '15:20', logout: null, status: 'crash', user: 'alice'})
    expect(rows[7]).toMatchObject({status: 'down', tty: 'pts/3', user: 'administrator'})
    expect(rows[8]).toMatchObject({duration: null, host: '198.51.100.23', status: 'gone - no logout'})
  })

  it('reports the closing wtmp begins line as its own row kind', () => {
    expect(rows.at(-1)).toEqual({kind: 'wtmp_begins', time: '2026-03-01T06:25:14.000Z', time_raw: 'Sun Mar  1 06:25:14 2026'})
    expect(parseLast(fixture('last/debian-12-empty.txt'))).toEqual([{kind: 'wtmp_begins', time: '2025-05-20T00:00:00.000Z', time_raw: 'Tue May 20 00:00:00 2025'}])
  })

  it('reads the other distributions, a session across New Year, IPv6 hosts', () => {
    expect(parseLast(fixture('last/ubuntu-22.04-fwi.txt'))[0]).toMatchObject({login: '2025-12-31T23:58:12.000Z', logout: '2026-01-01T00:10:02.000Z'})
    expect(parseLast(fixture('last/ubuntu-24.04-fwi.txt'))[1]).toMatchObject({host: '2001:db8::42', user: 'carol'})
    expect(parseLast(fixture('last/rhel-9-fwi.txt'))).toHaveLength(5)
  })

  it('reads times in the zone it is told, and ISO times (--time-format iso)', () => {
    const [chicago] = parseLast('bob      pts/1        192.0.2.44       Tue Mar  3 09:12:44 2026   still logged in\n', {timeZone: 'America/Chicago'})
    expect(chicago).toMatchObject({login: '2026-03-03T15:12:44.000Z'})
    const [iso] = parseLast('bob      pts/1        192.0.2.44       2026-03-03T09:12:44+00:00 - 2026-03-03T11:02:13+00:00  (01:49)\n')
    expect(iso).toMatchObject({duration: '01:49', login: '2026-03-03T09:12:44.000Z', logout: '2026-03-03T11:02:13.000Z'})
  })
})
