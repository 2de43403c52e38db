import {describe, expect, it} from 'vitest'

import {classifyAuthMessage, parseAuthLine, type AuthEvent, type AuthLineContext} from '../../../src/collectors/parsers/auth-line.js'
import {fixture} from './fixture.js'

function parseFile(path: string, ctx: Partial<AuthLineContext> = {}): AuthEvent[] {
  const context: AuthLineContext = {referenceTime: new Date('2026-03-04T00:00:00Z'), source: `/var/log/${path.split('/')[1]}`, timeZone: 'UTC', ...ctx}
  return fixture(path)
    .split('\n')
    .map((line) => parseAuthLine(line, context))
    .filter((event): event is AuthEvent => event !== null)
}

function kinds(events: AuthEvent[]): string[] {
  return events.map((event) => event.kind)
}

describe('parseAuthLine on Debian 12 auth.log (RFC 3339 stamps)', () => {
  const events = parseFile('auth/debian-12-auth.log')
  const line = (n: number): string => fixture('auth/debian-12-auth.log').split('\n')[n] as string

  it('classifies every line', () => {
    expect(kinds(events)).toEqual([
      'session-opened', 'session-closed', 'accepted', 'session-opened', 'other', 'sudo', 'session-opened', 'session-closed',
      'invalid-user', 'other', 'failed', 'failed', 'disconnected', 'failed', 'failed', 'lockout', 'disconnected',
      'su', 'su', 'su', 'disconnected', 'disconnected', 'session-closed', 'other',
    ])
  })

  it('reads an sshd accept with its method', () => {
    expect(events[2]).toEqual({
      host: 'web01', ip: '203.0.113.10', kind: 'accepted', method: 'publickey', pid: 2240, port: 52514, program: 'sshd',
      raw: line(2), source: '/var/log/debian-12-auth.log', time: '2026-03-03T14:21:58.611Z', user: 'alice',
    })
  })

  it('marks a failed password for a non-existent account', () => {
    expect(events[11]).toEqual({
      host: 'web01', invalid_user: true, ip: '198.51.100.23', kind: 'failed', method: 'password', pid: 2388, port: 40112, program: 'sshd',
      raw: line(11), source: '/var/log/debian-12-auth.log', time: '2026-03-03T14:40:16.301Z', user: 'admin',
    })
  })

  it('names the invoking user of sudo, with the target and command', () => {
    expect(events[5]).toEqual({
      command: '/usr/bin/cat /var/data/phi/patients.csv', host: 'web01', ip: null, kind: 'sudo', method: null, pid: null, port: null, program: 'sudo',
      raw: line(5), source: '/var/log/debian-12-auth.log', target_user: 'root', time: '2026-03-03T14:22:01.123Z', user: 'alice',
    })
  })

  it('reads lockouts, su and pam authentication failures', () => {
    expect(events[15]).toMatchObject({kind: 'lockout', user: 'root'})
    expect(events[17]).toMatchObject({kind: 'su', target_user: 'root', user: 'alice'})
    expect(events[13]).toMatchObject({ip: '198.51.100.23', kind: 'failed', user: 'root'})
    expect(events[16]).toMatchObject({ip: '198.51.100.23', kind: 'disconnected', port: 40120, user: 'root'})
  })
})

describe('parseAuthLine on the other distributions', () => {
  it('keeps the zone offset of Ubuntu 24.04 stamps', () => {
    const events = parseFile('auth/ubuntu-24.04-auth.log')
    expect(events[0]).toMatchObject({kind: 'accepted', method: 'password', time: '2026-03-03T14:12:44.019Z', user: 'bob'})
    expect(events[3]).toMatchObject({command: '/usr/bin/less /var/data/phi/visits.csv', kind: 'failed', user: 'bob'})
    expect(events[5]).toMatchObject({ip: '2001:db8::42', method: 'keyboard-interactive/pam', user: 'carol'})
    expect(events[8]).toMatchObject({ip: '198.51.100.99', kind: 'disconnected', port: 33210})
  })

  it('puts classic stamps of a rotated file across New Year in the right years', () => {
    const events = parseFile('auth/ubuntu-22.04-auth.log.1', {referenceTime: new Date('2026-01-01T06:00:00Z')})
    expect(events.map((event) => event.time.slice(0, 10))).toEqual([
      '2025-12-31', '2025-12-31', '2025-12-31', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01',
    ])
    expect(events[5]).toMatchObject({kind: 'lockout', user: 'root'})
  })

  it('reads RHEL 9 secure as wall time of the machine zone', () => {
    const events = parseFile('auth/rhel-9-secure', {timeZone: 'America/Chicago'})
    expect(events[0]).toMatchObject({host: 'phi-rhel9', kind: 'accepted', time: '2026-03-03T14:05:10.000Z', user: 'dana'})
    expect(kinds(events)).toEqual([
      'accepted', 'session-opened', 'sudo', 'session-opened', 'su', 'su', 'invalid-user', 'other', 'failed', 'failed',
      'lockout', 'failed', 'disconnected', 'disconnected', 'session-closed',
    ])
  })
})

describe('classic stamp year inference', () => {
  const at = (line: string, reference: string, timeZone = 'UTC'): string | undefined =>
    parseAuthLine(line, {referenceTime: new Date(reference), source: 's', timeZone})?.time

  it('a Dec 31 line read on Jan 1 belongs to the previous year', () => {
    expect(at('Dec 31 23:59:59 h sshd[1]: x', '2026-01-01T00:30:00Z')).toBe('2025-12-31T23:59:59.000Z')
  })

  it('allows one day of clock skew past the reference', () => {
    expect(at('Jan  1 00:10:00 h sshd[1]: x', '2025-12-31T23:00:00Z')).toBe('2026-01-01T00:10:00.000Z')
    expect(at('Jan  3 00:10:00 h sshd[1]: x', '2025-12-31T23:00:00Z')).toBe('2025-01-03T00:10:00.000Z')
  })

  it('finds the last leap year for Feb 29', () => {
    expect(at('Feb 29 12:00:00 h sshd[1]: x', '2026-03-03T00:00:00Z')).toBe('2024-02-29T12:00:00.000Z')
  })

  it('converts wall time across a DST change', () => {
    expect(at('Mar  7 12:00:00 h sshd[1]: x', '2026-03-10T00:00:00Z', 'America/Chicago')).toBe('2026-03-07T18:00:00.000Z')
    expect(at('Mar  9 12:00:00 h sshd[1]: x', '2026-03-10T00:00:00Z', 'America/Chicago')).toBe('2026-03-09T17:00:00.000Z')
  })
})

describe('parseAuthLine edge cases', () => {
  const ctx: AuthLineContext = {referenceTime: new Date('2026-03-04T00:00:00Z'), source: 'journal', timeZone: 'UTC'}

  it('returns null for lines that are not syslog lines', () => {
    expect(parseAuthLine('', ctx)).toBeNull()
    expect(parseAuthLine('hello world', ctx)).toBeNull()
    expect(parseAuthLine('Mar  3 25:00:00 h sshd[1]: x', ctx)).toBeNull()
    expect(parseAuthLine('2026-02-30T10:00:00Z h sshd[1]: x', ctx)).toBeNull()
    expect(parseAuthLine('2026-03-03T10:00:00Z', ctx)).toBeNull()
  })

  it('strips a CR of CRLF files from raw, and accepts +0000 offsets', () => {
    const event = parseAuthLine('2026-03-03T10:00:00+0100 h sshd[9]: Invalid user x from 192.0.2.1 port 22\r', ctx)
    expect(event).toMatchObject({kind: 'invalid-user', port: 22, raw: '2026-03-03T10:00:00+0100 h sshd[9]: Invalid user x from 192.0.2.1 port 22', time: '2026-03-03T09:00:00.000Z'})
  })
})

describe('classifyAuthMessage', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['sshd', 'Failed password for invalid user john smith from 192.0.2.9 port 4242 ssh2', {invalid_user: true, ip: '192.0.2.9', kind: 'failed', port: 4242, user: 'john smith'}],
    ['sshd', 'Failed publickey for alice from 192.0.2.9 port 4242 ssh2: RSA SHA256:abc', {kind: 'failed', method: 'publickey', user: 'alice'}],
    ['sshd', 'Invalid user  from 192.0.2.9 port 1', {kind: 'invalid-user', user: ''}],
    ['sshd-session', 'Disconnected from 192.0.2.9 port 5 [preauth]', {ip: '192.0.2.9', kind: 'disconnected', port: 5, user: null}],
    ['sshd', 'Connection closed by 192.0.2.9 port 5 [preauth]', {ip: '192.0.2.9', kind: 'disconnected', port: 5}],
    ['sshd', 'Connection reset by authenticating user root 192.0.2.9 port 5 [preauth]', {kind: 'disconnected', user: 'root'}],
    ['login', "FAILED LOGIN (1) on '/dev/tty1' FOR 'alice', Authentication failure", {kind: 'failed', user: 'alice'}],
    ['su', 'FAILED SU (to root) mallory on pts/3', {kind: 'failed', target_user: 'root', user: 'mallory'}],
    ['su', '+ pts/0 alice:root', {kind: 'su', target_user: 'root', user: 'alice'}],
    ['sudo', 'mallory : user NOT in sudoers ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh', {command: '/bin/sh', kind: 'sudo-denied', reason: 'user NOT in sudoers', target_user: 'root', user: 'mallory'}],
    ['sudo', 'mallory : command not allowed ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh', {kind: 'sudo-denied', reason: 'command not allowed'}],
    ['sudo', 'mallory : a password is required ; TTY=pts/3 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh', {kind: 'sudo-denied', reason: 'a password is required'}],
    ['sudo', 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls', {kind: 'sudo', user: 'alice'}],
    ['sshd', 'message repeated 3 times: [ Failed password for root from 192.0.2.9 port 4242 ssh2]', {count: 3, ip: '192.0.2.9', kind: 'failed', port: 4242, user: 'root'}],
    ['sshd', 'message repeated 3 times: [ Server listening on 0.0.0.0 port 22.]', {kind: 'other'}],
    ['sshd', 'error: Received disconnect from 10.0.0.1 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth]', {ip: '10.0.0.1', kind: 'disconnected', port: 7736}],
    ['sshd', 'Received disconnect from 52.80.34.196: 11: Bye Bye [preauth]', {ip: '52.80.34.196', kind: 'disconnected', port: null}],
    ['sshd', 'Connection closed by 173.234.31.186 [preauth]', {ip: '173.234.31.186', kind: 'disconnected', port: null}],
    ['sshd', 'Invalid user webmaster from 173.234.31.186', {ip: '173.234.31.186', kind: 'invalid-user', port: null, user: 'webmaster'}],
    ['sshd', 'Failed password for x from 6.6.6.6 port 1 ssh2: y from 192.0.2.9 port 22 ssh2', {ip: '192.0.2.9', ip_ambiguous: true, port: 22, user: 'x from 6.6.6.6 port 1 ssh2: y'}],
    ['sshd', 'Failed hostbased for dan from 192.0.2.9 port 4 ssh2: RSA SHA256:x, client user "x from 6.6.6.6 port 1", client host "h"', {ip: '192.0.2.9', port: 4, user: 'dan'}],
    ['sshd(pam_unix)', 'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ', {ip: '218.188.2.4', kind: 'failed'}],
    ['su(pam_unix)', 'session opened for user news by (uid=0)', {kind: 'su', target_user: 'news', user: null}],
    ['systemd-logind', 'pam_unix(systemd-user:session): session opened for user alice(uid=1001) by alice(uid=0)', {kind: 'session-opened', user: 'alice'}],
    ['sshd', 'pam_tally2(sshd:auth): user bob (1002) tally 6, deny 5', {kind: 'lockout', user: 'bob'}],
    ['sshd', 'Server listening on 0.0.0.0 port 22.', {ip: null, kind: 'other', method: null, port: null, user: null}],
    ['cron', 'Accepted password for x from 1.2.3.4 port 5 ssh2', {kind: 'other'}],
  ]

  it.each(cases)('%s: %s', (program, message, expected) => {
    expect(classifyAuthMessage(program, message)).toMatchObject(expected)
  })
})
