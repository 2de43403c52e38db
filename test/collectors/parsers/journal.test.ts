import {describe, expect, it} from 'vitest'

import {journalEntryToAuthEvent} from '../../../src/collectors/parsers/journal.js'

/** One `journalctl -o json` line: the trusted `_` fields as journald records them for sshd. */
function entry(fields: Record<string, unknown>): string {
  return JSON.stringify({
    MESSAGE: 'Accepted publickey for alice from 203.0.113.10 port 52514 ssh2: ED25519 SHA256:abc',
    PRIORITY: '6',
    SYSLOG_FACILITY: '10',
    SYSLOG_IDENTIFIER: 'sshd',
    SYSLOG_PID: '2240',
    _COMM: 'sshd',
    _EXE: '/usr/sbin/sshd',
    _HOSTNAME: 'web1',
    _PID: '2240',
    _SYSTEMD_UNIT: 'ssh.service',
    _UID: '0',
    __REALTIME_TIMESTAMP: '1772547721000000',
    ...fields,
  })
}

describe('journal entries are attributed by the fields journald sets (security M8)', () => {
  it('reads a real sshd entry and records its trusted fields', () => {
    const parsed = journalEntryToAuthEvent(entry({}))
    expect(parsed?.event).toMatchObject({
      host: 'web1', ip: '203.0.113.10', kind: 'accepted', method: 'publickey', pid: 2240, port: 52514, program: 'sshd', source: 'journal', syslog_identifier: 'sshd',
      trusted: {comm: 'sshd', exe: '/usr/sbin/sshd', uid: 0, unit: 'ssh.service'}, user: 'alice',
    })
    expect(parsed?.event.note).toBeUndefined()
    expect(parsed?.rawLine).toBe('2026-03-03T14:22:01.000Z web1 sshd[2240]: Accepted publickey for alice from 203.0.113.10 port 52514 ssh2: ED25519 SHA256:abc')
  })

  it('keeps `logger -t sshd` from uid 1000 as `other`, with who really sent it', () => {
    const forged = entry({
      MESSAGE: 'Accepted password for root from 203.0.113.66 port 50000 ssh2\n2026-03-03T14:22:01.000000+00:00 web1 sshd[1]: Accepted password for alice from 10.9.9.9 port 50001 ssh2',
      SYSLOG_PID: '1', _COMM: 'logger', _EXE: '/usr/bin/logger', _PID: '4242', _SYSTEMD_UNIT: 'session-3.scope', _UID: '1000',
    })
    const parsed = journalEntryToAuthEvent(forged)
    expect(parsed?.event).toMatchObject({
      ip: null, kind: 'other', note: 'claims to be sshd; sent by logger (uid 1000)', pid: 4242, program: 'logger', syslog_identifier: 'sshd',
      trusted: {comm: 'logger', exe: '/usr/bin/logger', uid: 1000, unit: 'session-3.scope'}, user: null,
    })
    // One raw line, the second line of MESSAGE escaped inside it, under the real sender's name.
    expect(parsed?.rawLine.split('\n')).toHaveLength(1)
    expect(parsed?.rawLine).toBe('2026-03-03T14:22:01.000Z web1 logger[4242]: Accepted password for root from 203.0.113.66 port 50000 ssh2\\n2026-03-03T14:22:01.000000+00:00 web1 sshd[1]: Accepted password for alice from 10.9.9.9 port 50001 ssh2')
    expect(parsed?.event.raw).toBe(parsed?.rawLine)
  })

  it('does not let a renamed copy, an interpreter or a stranger\'s PAM line pass as the real program', () => {
    const renamed = journalEntryToAuthEvent(entry({_COMM: 'sshd', _EXE: '/tmp/sshd', _UID: '1000'}))?.event
    expect(renamed).toMatchObject({kind: 'other', note: 'claims to be sshd; sent by /tmp/sshd (uid 1000)'})
    const python = journalEntryToAuthEvent(entry({SYSLOG_IDENTIFIER: 'python3', _COMM: 'python3', _EXE: '/usr/bin/python3.11', MESSAGE: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root'}))?.event
    expect(python).toMatchObject({kind: 'other', note: 'claims to be python3; sent by python3.11 (uid 0)'})
    const cron = journalEntryToAuthEvent(entry({SYSLOG_IDENTIFIER: 'CRON', _COMM: 'cron', _EXE: '/usr/sbin/cron', MESSAGE: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.7  user=root'}))?.event
    expect(cron).toMatchObject({kind: 'other', note: 'claims to be CRON; sent by cron (uid 0), which is not PAM service sshd'})
    const none = journalEntryToAuthEvent(entry({_COMM: undefined, _EXE: undefined}))?.event
    expect(none).toMatchObject({kind: 'other', note: 'claims to be sshd; journald recorded no _EXE or _COMM for the sender'})
  })

  it('accepts the real senders of PAM, sudo, su and OpenSSH 9.8 lines', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{MESSAGE: 'pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)', SYSLOG_IDENTIFIER: 'CRON', _COMM: 'cron', _EXE: '/usr/sbin/cron'}, 'session-opened'],
      [{MESSAGE: 'pam_unix(systemd-user:session): session opened for user alice(uid=1000) by alice(uid=0)', SYSLOG_IDENTIFIER: '(systemd)', _COMM: '(systemd)', _EXE: '/usr/lib/systemd/systemd'}, 'session-opened'],
      [{MESSAGE: 'pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)', SYSLOG_IDENTIFIER: 'su', _COMM: 'su', _EXE: '/usr/bin/su', _UID: '1000'}, 'su'],
      [{MESSAGE: '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id', SYSLOG_IDENTIFIER: 'sudo', _COMM: 'sudo', _EXE: '/usr/bin/sudo', _UID: '1000'}, 'sudo'],
      [{MESSAGE: 'Failed password for root from 198.51.100.7 port 40000 ssh2', SYSLOG_IDENTIFIER: 'sshd-session', _COMM: 'sshd-session', _EXE: '/usr/lib/openssh/sshd-session'}, 'failed'],
      [{MESSAGE: 'Failed password for root from 198.51.100.7 port 40000 ssh2', SYSLOG_IDENTIFIER: 'sshd', _COMM: 'sshd-session', _EXE: '/usr/libexec/openssh/sshd-session'}, 'failed'],
      [{MESSAGE: 'pam_unix(polkit-1:auth): authentication failure; logname= uid=1000 euid=0 tty= ruser=alice rhost=  user=alice', SYSLOG_IDENTIFIER: 'polkit-agent-helper-1', _COMM: 'polkit-agent-he', _EXE: '/usr/lib/polkit-1/polkit-agent-helper-1'}, 'failed'],
    ]
    for (const [fields, kind] of cases) {
      const event = journalEntryToAuthEvent(entry(fields))?.event
      expect(event?.note).toBeUndefined()
      expect(event?.kind).toBe(kind)
    }
  })

  it('escapes other control characters in the raw line, and classifies only the first line', () => {
    const parsed = journalEntryToAuthEvent(entry({MESSAGE: 'Failed password for root from 198.51.100.7 port 40000 ssh2\r\u001b[2Kx\u2028y'}))
    expect(parsed?.rawLine).toBe('2026-03-03T14:22:01.000Z web1 sshd[2240]: Failed password for root from 198.51.100.7 port 40000 ssh2\\r\\x1b[2Kx\\u2028y')
    expect(parsed?.event).toMatchObject({ip: '198.51.100.7', kind: 'failed', port: 40000})
  })
})
