import {describe, expect, it} from 'vitest'

import {parseWho} from '../../../src/collectors/parsers/who.js'
import {peerData} from '../../helpers/peer-data.js'
import {fixture} from './fixture.js'

describe('parseWho', () => {
  it('reads who -u rows of Debian 12 with idle, pid and comment', () => {
    const rows = parseWho(fixture('who/debian-12-u.txt'))
    expect(rows).toHaveLength(4)
    expect(rows[0]).toEqual({comment: '(203.0.113.10)', host: '203.0.113.10', idle: '.', line: 'pts/0', name: 'alice', pid: 2245, time: '2026-03-03 14:21'})
    expect(rows[1]).toEqual({comment: null, host: null, idle: '06:20', line: 'tty1', name: 'root', pid: 801, time: '2026-03-03 08:01'})
    expect(rows[2]).toMatchObject({idle: 'old', name: 'bob', pid: 1850})
    expect(rows[3]).toMatchObject({comment: '(tmux(2377).%0)', host: 'tmux(2377).%0'})
  })

  it('reads plain who (no idle or pid columns)', () => {
    expect(parseWho(fixture('who/debian-12-plain.txt'))[0]).toEqual({comment: '(203.0.113.10)', host: '203.0.113.10', idle: null, line: 'pts/0', name: 'alice', pid: null, time: '2026-03-03 14:21'})
  })

  it('reads Ubuntu 22.04/24.04 and RHEL 9 rows, long names and IPv6 hosts', () => {
    expect(parseWho(fixture('who/ubuntu-22.04-u.txt'))[1]).toEqual({comment: '(10.20.0.15)', host: '10.20.0.15', idle: '01:49', line: 'pts/1', name: 'administrator', pid: 29870, time: '2025-12-31 22:10'})
    const u24 = parseWho(fixture('who/ubuntu-24.04-u.txt'))
    expect(u24[1]).toMatchObject({host: '2001:db8::42', name: 'carol'})
    expect(u24[2]).toMatchObject({comment: '(login screen)', host: 'login screen', line: 'seat0'})
    expect(parseWho(fixture('who/rhel-9-u.txt'))).toHaveLength(2)
  })

  it('gives no rows for the empty output captured in a container, and for a -H header', () => {
    expect(parseWho(fixture('who/debian-12-empty.txt'))).toEqual([])
    expect(parseWho('NAME     LINE         TIME             IDLE          PID COMMENT\n')).toEqual([])
  })

  it('reads a non-C-locale time column as printed', () => {
    expect(parseWho('alice    pts/0        Mar  3 14:21   .          2245 (203.0.113.10)\n')[0]).toMatchObject({pid: 2245, time: 'Mar  3 14:21'})
  })

  it('reads real coreutils 9.1 output: `Nov 27 02:47` under LC_ALL=C (as collected), ISO under C.UTF-8', () => {
    const c = parseWho(peerData('live-debian12', 'who-u.out'))
    expect(c).toEqual([
      {comment: '(::1)', host: '::1', idle: '.', line: 'pts/1', name: 'alice', pid: 8522, time: 'Nov 27 02:47'},
      {comment: '(127.0.0.1)', host: '127.0.0.1', idle: '.', line: 'pts/0', name: 'root', pid: 8542, time: 'Nov 27 02:47'},
    ])
    expect(parseWho(peerData('live-debian12', 'who-u.C.UTF-8.out')).map((row) => row.time)).toEqual(['2026-11-27 02:47', '2026-11-27 02:47'])
  })
})
