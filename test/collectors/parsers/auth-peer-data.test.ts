import {describe, expect, it} from 'vitest'

import {parseAuthLine, type AuthEvent} from '../../../src/collectors/parsers/auth-line.js'
import {peerData} from '../../helpers/peer-data.js'

/** Every line of an outside log, through parseAuthLine as the collector reads it (CR of CRLF dropped). */
function parsePeer(path: string, reference: string): Array<AuthEvent | null> {
  const text = peerData(...path.split('/'))
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line) => parseAuthLine(line, {referenceTime: new Date(reference), source: path, timeZone: 'UTC'}))
}

function tally(events: Array<AuthEvent | null>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const event of events) if (event !== null) counts[event.kind] = (counts[event.kind] ?? 0) + 1
  return counts
}

/** Failed attempts: a `message repeated N times` line stands for N. */
function attempts(events: Array<AuthEvent | null>): number {
  return events.reduce((sum, event) => sum + (event?.kind === 'failed' ? (event.count ?? 1) : 0), 0)
}

/** loghub's template id of each line (`*_structured.csv`: LineId,…,EventId,EventTemplate). */
function loghubTemplates(path: string): string[] {
  return peerData(...path.split('/'))
    .split('\n')
    .slice(1)
    .filter((row) => row !== '')
    .map((row) => /,(E\d+),[^,]*(?:,[^,]*)*$/.exec(row.replace(/\r$/, ''))?.[1] ?? '?')
}

describe('auth lines of loghub OpenSSH_2k (a real sshd log, OpenSSH 6.x/7.x wording)', () => {
  const events = parsePeer('loghub/OpenSSH/OpenSSH_2k.log', '2016-01-01T00:00:00Z')

  it('agrees with loghub\'s per-line templates on all 2000 lines', () => {
    const kindOf: Record<string, string> = {
      E1: 'accepted', E2: 'disconnected', E6: 'disconnected', E7: 'disconnected', E8: 'failed', E9: 'failed', E10: 'failed', E13: 'invalid-user',
      E14: 'failed', E19: 'failed', E20: 'failed', E22: 'session-closed', E23: 'session-opened', E24: 'disconnected', E25: 'disconnected', E26: 'disconnected',
    }
    const templates = loghubTemplates('loghub/OpenSSH/OpenSSH_2k.log_structured.csv')
    expect(templates).toHaveLength(2000)
    const differing = templates.flatMap((id, i) => ((kindOf[id] ?? 'other') === events[i]?.kind ? [] : [`${i + 1} ${id} ${events[i]?.kind}`]))
    expect(differing).toEqual([])
  })

  it('counts every kind exactly, repeated failures included', () => {
    expect(tally(events)).toEqual({accepted: 1, disconnected: 502, failed: 1018, 'invalid-user': 113, other: 364, 'session-closed': 1, 'session-opened': 1})
    // 1016 single failures + 2 lines `message repeated 5 times: [ Failed password … ]`.
    expect(attempts(events)).toBe(1026)
    expect(events.filter((event) => event?.count !== undefined).map((event) => [event?.count, event?.ip, event?.user])).toEqual([[5, '5.36.59.76', 'root'], [5, '106.5.5.195', 'root']])
  })

  it('reads the address of the older wording (no `port N`) and of `error: Received disconnect`', () => {
    const addressed = events.filter((event) => event !== null && ['disconnected', 'invalid-user', 'accepted'].includes(event.kind))
    expect(addressed.filter((event) => event?.ip === null)).toEqual([])
    for (const event of addressed) expect(event?.raw).toContain(event?.ip as string)
    expect(events[1]).toMatchObject({ip: '173.234.31.186', kind: 'invalid-user', port: null, user: 'webmaster'})
    const closed = events.find((event) => event?.raw.endsWith('Connection closed by 173.234.31.186 [preauth]'))
    expect(closed).toMatchObject({ip: '173.234.31.186', kind: 'disconnected', port: null})
    const error = events.find((event) => event?.raw.includes('error: Received disconnect from '))
    expect(error).toMatchObject({kind: 'disconnected'})
    expect(error?.raw).toContain(`error: Received disconnect from ${error?.ip}: `)
    expect(events.filter((event) => event?.raw.includes('error: Received disconnect')).every((event) => event?.kind === 'disconnected')).toBe(true)
  })
})

describe('auth lines of loghub Linux_2k (a 2005 /var/log/messages, Linux-PAM before 0.99)', () => {
  const events = parsePeer('loghub/Linux/Linux_2k.log', '2005-12-31T00:00:00Z')

  it('reads `prog(pam_unix)[pid]:` tags: 490 failures, 172 su, 37 sessions each way', () => {
    expect(tally(events)).toEqual({failed: 490, other: 1264, 'session-closed': 37, 'session-opened': 37, su: 172})
    expect(events[0]).toMatchObject({ip: '218.188.2.4', kind: 'failed', pid: 19939, program: 'sshd(pam_unix)', user: null})
    const su = events.find((event) => event?.kind === 'su' && event.raw.includes('session opened'))
    expect(su).toMatchObject({program: 'su(pam_unix)', target_user: expect.stringMatching(/^(news|cyrus)$/), user: null})
  })

  it('agrees with loghub\'s templates on every auth line', () => {
    const templates = peerData('loghub', 'Linux', 'Linux_2k.log_templates.csv')
    const failure = new Set([...templates.matchAll(/^(E\d+),authentication failure;/gm)].map((m) => m[1]))
    const opened = new Set([...templates.matchAll(/^(E\d+),session opened for user/gm)].map((m) => m[1]))
    const closed = new Set([...templates.matchAll(/^(E\d+),session closed for user/gm)].map((m) => m[1]))
    const ids = loghubTemplates('loghub/Linux/Linux_2k.log_structured.csv')
    const differing = ids.flatMap((id, i) => {
      const event = events[i]
      const su = event?.program.startsWith('su(') === true
      const want = failure.has(id) ? 'failed' : opened.has(id) ? (su ? 'su' : 'session-opened') : closed.has(id) ? (su ? 'su' : 'session-closed') : 'other'
      return want === event?.kind ? [] : [`${i + 1} ${id} ${event?.kind}`]
    })
    expect(differing).toEqual([])
  })
})

describe('auth lines of a real Debian 12 auth.log (OpenSSH 9.2p1, sudo 1.9.13, rsyslog with repeat reduction)', () => {
  const events = parsePeer('live-debian12/auth.log', '2026-11-28T00:00:00Z')

  it('counts every kind exactly', () => {
    expect(tally(events)).toEqual({
      accepted: 3, disconnected: 10, failed: 14, 'invalid-user': 2, other: 23, 'session-closed': 4, 'session-opened': 4, su: 6, sudo: 1, 'sudo-denied': 1,
    })
    expect(attempts(events)).toBe(15)
  })

  it('counts `message repeated 2 times: [ Failed password … ]` as two failures', () => {
    expect(events[4]).toMatchObject({count: 2, ip: '127.0.0.1', kind: 'failed', method: 'password', port: 38746, user: 'alice'})
  })

  it('reports `user NOT in sudoers` as a denied sudo, never as one that ran', () => {
    expect(events[49]).toMatchObject({command: '/usr/bin/cat /etc/shadow', kind: 'sudo-denied', reason: 'user NOT in sudoers', target_user: 'root', user: 'bob'})
  })
})

describe('auth lines of filebeat\'s system/auth test log', () => {
  const events = parsePeer('beats-auth/test.log', '2026-03-01T00:00:00Z')

  it('counts every kind exactly; tsg is denied', () => {
    expect(tally(events)).toEqual({accepted: 2, failed: 1, 'invalid-user': 1, other: 3, sudo: 2, 'sudo-denied': 1})
    expect(events[7]).toMatchObject({kind: 'sudo-denied', reason: 'user NOT in sudoers', target_user: 'root', user: 'tsg'})
    expect(events[2]).toMatchObject({ip: '10.0.2.2', kind: 'invalid-user', port: null, user: 'test'})
  })
})

describe('auth lines of fail2ban\'s sshd and pam-generic filter tests', () => {
  /** Each log line with the `# failJSON:` expectation above it. */
  function cases(path: string): Array<{event: AuthEvent | null; expected: {host?: string; match?: boolean}; line: string}> {
    const out: Array<{event: AuthEvent | null; expected: {host?: string; match?: boolean}; line: string}> = []
    let expected: {host?: string; match?: boolean} | null = null
    for (const line of peerData('fail2ban', path).split('\n')) {
      if (line.startsWith('# failJSON:')) {
        try {
          expected = JSON.parse(line.slice(11)) as {host?: string; match?: boolean}
        } catch {
          expected = null
        }
        continue
      }
      if (line.startsWith('#') || line.trim() === '') continue
      if (expected !== null) out.push({event: parseAuthLine(line, {referenceTime: new Date('2005-08-14T00:00:00Z'), source: path, timeZone: 'UTC'}), expected, line})
      expected = null
    }
    return out
  }

  it('takes the address sshd wrote, not one injected into the user name or the text after `ssh2:`', () => {
    const reported = cases('sshd').filter((c) => c.expected.match === true && ['disconnected', 'failed', 'invalid-user'].includes(c.event?.kind ?? ''))
    expect(reported).toHaveLength(59)
    const differing = reported.filter((c) => c.expected.host !== undefined && c.event?.ip !== c.expected.host).map((c) => [c.event?.ip, c.expected.host])
    // The one difference is deliberate: for `password` OpenSSH writes nothing after `ssh2`, so in
    // `for invalid user test from 127.0.0.1 port 58946 ssh2: from 10.10.1.2 port 55555 ssh2` the
    // first address is part of the user name. Such a line is flagged ip_ambiguous.
    expect(differing).toEqual([['10.10.1.2', '127.0.0.1']])
    const hostbased = reported.find((c) => c.line.includes('Failed hostbased for dan'))
    expect(hostbased?.event).toMatchObject({ip: '127.0.0.1', kind: 'failed', method: 'hostbased', port: 45785, user: 'dan'})
    const ruser = reported.find((c) => c.line.includes('ssh1: ruser from 1.2.3.4'))
    expect(ruser?.event).toMatchObject({ip: '127.0.0.1', port: 20000, user: 'user'})
    const injected = reported.find((c) => c.line.includes('test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1'))
    expect(injected?.event).toMatchObject({ip: '127.0.0.1', port: 58946, user: 'test from 10.10.1.2 port 55555 ssh2'})
    expect(injected?.event?.ip_ambiguous).toBeUndefined()
    expect(reported.filter((c) => c.event?.ip_ambiguous === true)).toHaveLength(1)
    expect(tally(cases('sshd').map((c) => c.event))).toEqual({accepted: 4, disconnected: 31, failed: 41, 'invalid-user': 4, other: 71, 'session-opened': 2})
  })

  it('reads `error: Received disconnect` (old and new wording) and `error: PAM: Authentication failure|error`', () => {
    const all = cases('sshd')
    const received = all.filter((c) => c.line.includes('error: Received disconnect from '))
    expect(received.length).toBeGreaterThan(0)
    for (const c of received) expect(c.event).toMatchObject({kind: 'disconnected'})
    expect(received.map((c) => c.line.includes(`Received disconnect from ${c.event?.ip}`))).toEqual(received.map(() => true))
    const pam = all.filter((c) => /error: PAM: authentication (failure|error) for /i.test(c.line))
    expect(pam).toHaveLength(10)
    for (const c of pam) expect(c.event).toMatchObject({ip: c.expected.host, kind: 'failed'})
  })

  it('pam-generic: counts exactly', () => {
    expect(tally(cases('pam-generic').map((c) => c.event))).toEqual({failed: 2, other: 7})
  })
})
