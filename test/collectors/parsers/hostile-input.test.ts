import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {AuditEventAssembler, type AuditEvent} from '../../../src/collectors/parsers/audit.js'
import {classifyAuthMessage, parseAuthLine, type AuthLineContext} from '../../../src/collectors/parsers/auth-line.js'
import {journalEntryToAuthEvent} from '../../../src/collectors/parsers/journal.js'
import {parsers, type ParserKey} from '../../../src/collectors/parsers/index.js'
import {fixture} from './fixture.js'

/** Hostile inputs: any code units, raw bytes read as UTF-8 or Latin-1, CRs sprinkled in real output, truncations. */
function hostileText(sample: string): fc.Arbitrary<string> {
  const lines = sample.split('\n')
  return fc.oneof(
    fc.string({maxLength: 400, unit: 'binary'}),
    fc.uint8Array({maxLength: 400}).map((bytes) => Buffer.from(bytes).toString('utf8')),
    fc.uint8Array({maxLength: 400}).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.nat({max: sample.length}).map((cut) => sample.slice(0, cut)),
    fc.nat({max: sample.length}).map((cut) => sample.slice(cut)),
    fc.array(fc.nat({max: sample.length}), {maxLength: 8}).map((positions) => {
      let text = sample
      for (const at of positions) text = `${text.slice(0, at)}\r${text.slice(at)}`
      return text
    }),
    fc.array(fc.constantFrom(...lines), {maxLength: 12}).chain((picked) =>
      fc.tuple(fc.constant(picked), fc.array(fc.tuple(fc.nat(), fc.string({maxLength: 6, unit: 'binary'})), {maxLength: 6})),
    ).map(([picked, edits]) => {
      const out = [...picked]
      for (const [index, junk] of edits) {
        if (out.length === 0) break
        const i = index % out.length
        const line = out[i] as string
        const at = index % (line.length + 1)
        out[i] = line.slice(0, at) + junk + line.slice(at + junk.length)
      }

      return out.join('\n')
    }),
  )
}

/** 200 kB lines built from the characters each parser treats specially (worst cases for backtracking). */
function longLines(seed: string): string[] {
  const size = 200_000
  const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
  return [
    fill('a'),
    fill(' '),
    fill('\r'),
    seed + fill(' from x'),
    seed + fill(' port 1'),
    seed + fill(' from 1.2.3.4 port 1 ssh2: '),
    seed + fill('message repeated 2 times: [ '),
    seed + fill('("'),
    seed + fill('users:(("a",pid=1,fd=2),'),
    seed + fill('k= '),
    seed + fill('=\'"'),
    seed + fill('0A'),
    seed + fill('\u001d'),
    seed + fill('Mon '),
    `${seed}${fill('\t')}x`,
  ]
}

const SAMPLES: Record<ParserKey, string> = {
  'ip-route': fixture('ip-route/rhel-9-v4.txt') + fixture('ip-route/ubuntu-24.04-v6.txt'),
  last: fixture('last/debian-12-fwi.txt'),
  lines: fixture('who/debian-12-u.txt') + '\r\nno newline at the end',
  ss: fixture('ss/debian-12-antp.txt') + fixture('ss/rhel-9-ltnup.txt'),
  w: fixture('w/debian-12.txt'),
  who: fixture('who/debian-12-u.txt'),
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

function checkRows(key: ParserKey, rows: Record<string, unknown>[]): void {
  expect(Array.isArray(rows)).toBe(true)
  for (const row of rows) {
    expect(typeof row).toBe('object')
    expect(() => JSON.stringify(row)).not.toThrow()
    for (const value of Object.values(row)) expect(value).not.toBeUndefined()
  }

  if (key === 'last') {
    for (const row of rows) {
      for (const field of ['login', 'logout', 'time']) {
        const value = row[field]
        if (typeof value === 'string') expect(value).toMatch(ISO)
      }
    }
  }

  if (key === 'ss') {
    for (const row of rows) {
      expect(Array.isArray(row.processes)).toBe(true)
      expect(Number.isInteger(row.recv_q)).toBe(true)
    }
  }
}

describe('table parsers on hostile input', () => {
  for (const key of Object.keys(SAMPLES) as ParserKey[]) {
    it(`${key}: never throws, rows stay well-formed`, () => {
      fc.assert(
        fc.property(hostileText(SAMPLES[key]), (text) => {
          checkRows(key, parsers[key](text))
        }),
        {numRuns: 300},
      )
    })

    it(`${key}: 200 kB lines`, () => {
      const firstLine = SAMPLES[key].split('\n')[1] ?? ''
      for (const line of longLines(firstLine)) checkRows(key, parsers[key](`${SAMPLES[key]}${line}\n${line}`))
    })
  }
})

const KINDS = new Set(['accepted', 'failed', 'invalid-user', 'disconnected', 'session-opened', 'session-closed', 'sudo', 'sudo-denied', 'su', 'lockout', 'other'])
const ctx: AuthLineContext = {referenceTime: new Date('2026-03-04T00:00:00Z'), source: 'auth.log', timeZone: 'America/Chicago'}
const authSample = fixture('auth/debian-12-auth.log') + fixture('auth/rhel-9-secure')

function checkAuth(line: string): void {
  const event = parseAuthLine(line, ctx)
  if (event === null) return
  expect(KINDS.has(event.kind)).toBe(true)
  expect(event.time).toMatch(ISO)
  expect(event.raw).toBe(line.endsWith('\r') ? line.slice(0, -1) : line)
  if (event.port !== null) expect(event.port >= 0 && event.port <= 65_535).toBe(true)
  expect(event.pid === null || Number.isInteger(event.pid)).toBe(true)
  expect(() => JSON.stringify(event)).not.toThrow()
}

describe('auth line parser on hostile input', () => {
  it('never throws; events stay well-formed', () => {
    fc.assert(
      fc.property(hostileText(authSample), (text) => {
        for (const line of text.split('\n')) checkAuth(line)
      }),
      {numRuns: 400},
    )
  })

  it('classifies any program and message', () => {
    fc.assert(
      fc.property(fc.constantFrom('sshd', 'sudo', 'su', 'login', 'sshd-session', ''), fc.string({maxLength: 300, unit: 'binary'}), (program, message) => {
        expect(KINDS.has(classifyAuthMessage(program, message).kind)).toBe(true)
      }),
    )
  })

  it('copes with 200 kB lines built on real heads', () => {
    const heads = [
      '2026-03-03T14:40:16.301442+00:00 web01 sshd[2388]: Failed password for invalid user ', 'Mar  3 08:06:31 h sudo[1]: ', 'Mar  3 08:06:31 h sshd[1]: Disconnected from user ',
      'Mar  3 08:06:31 h su: pam_unix(su:session): session opened for user ', 'Mar  3 08:06:31 h sshd[1]: message repeated 9 times: [ Failed password for ',
      'Mar  3 08:06:31 h sshd(pam_unix)[1]: authentication failure; ', 'Mar  3 08:06:31 h sshd[1]: error: Received disconnect from ', 'Mar  3 08:06:31 h sudo:  x : ',
    ]
    for (const head of heads) for (const line of longLines(head)) checkAuth(line)
  })
})

describe('journal entries on hostile input', () => {
  const entry = (message: unknown, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({MESSAGE: message, SYSLOG_IDENTIFIER: 'sshd', _COMM: 'sshd', _EXE: '/usr/sbin/sshd', _PID: '7', _UID: '0', __REALTIME_TIMESTAMP: '1772547721000000', _HOSTNAME: 'h', ...extra})

  function checkJournal(line: string): void {
    const parsed = journalEntryToAuthEvent(line)
    if (parsed === null) return
    expect(KINDS.has(parsed.event.kind)).toBe(true)
    expect(parsed.rawLine).not.toMatch(/[\n\r\u2028\u2029\u0000-\u0008\u000b-\u001f]/)
    expect(parsed.event.raw).toBe(parsed.rawLine)
    expect(() => JSON.stringify(parsed.event)).not.toThrow()
  }

  it('never throws; a raw line is always one line', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({maxLength: 300, unit: 'binary'}), hostileText(authSample), fc.array(fc.integer({max: 300, min: -5}), {maxLength: 50})), fc.string({maxLength: 20, unit: 'binary'}), (message, name) => {
        checkJournal(entry(message))
        checkJournal(entry(message, {SYSLOG_IDENTIFIER: name, _COMM: name, _EXE: `/usr/bin/${name}`}))
        checkJournal(JSON.stringify(message))
      }),
      {numRuns: 400},
    )
  })

  it('copes with 200 kB messages', () => {
    for (const line of longLines('Failed password for ')) checkJournal(entry(line))
    for (const line of longLines('Accepted publickey for root from 1.2.3.4 port 1 ssh2\n')) checkJournal(entry(line, {_COMM: 'logger', _EXE: '/usr/bin/logger', _UID: '1000'}))
  })
})

function checkAudit(events: AuditEvent[]): void {
  for (const event of events) {
    expect(Number.isSafeInteger(event.serial)).toBe(true)
    expect(event.time).toMatch(/^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(event.types.every((type) => typeof type === 'string')).toBe(true)
    expect(event.paths.every((path) => typeof path === 'string')).toBe(true)
    expect(event.key === null || event.keys.length > 0).toBe(true)
    expect(() => JSON.stringify(event)).not.toThrow()
  }
}

describe('audit assembler on hostile input', () => {
  const sample = fixture('audit/debian-12-enriched.log') + fixture('audit/ubuntu-22.04-raw.log')

  it('never throws; events stay well-formed', () => {
    fc.assert(
      fc.property(hostileText(sample), (text) => {
        const assembler = new AuditEventAssembler('audit.log')
        for (const line of text.split('\n')) checkAudit(assembler.push(line))
        checkAudit(assembler.flush())
      }),
      {numRuns: 300},
    )
  })

  it('copes with 200 kB records', () => {
    const assembler = new AuditEventAssembler('audit.log')
    for (const line of longLines('type=PATH msg=audit(1772547721.123:4567): item=0 name=')) checkAudit(assembler.push(line))
    for (const line of longLines('type=USER_AUTH msg=audit(1772547721.123:4568): msg=\'')) checkAudit(assembler.push(line))
    checkAudit(assembler.flush())
  })
})
