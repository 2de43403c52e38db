import {describe, expect, it} from 'vitest'

import {AuditEventAssembler, eventMatchesKey, MAX_OPEN_EVENTS, parseAuditRecordLine, type AuditEvent} from '../../../src/collectors/parsers/audit.js'
import {fixture} from './fixture.js'

function assemble(text: string, source = 'audit.log'): AuditEvent[] {
  const assembler = new AuditEventAssembler(source)
  const events: AuditEvent[] = []
  for (const line of text.split('\n')) events.push(...assembler.push(line))
  events.push(...assembler.flush())
  return events
}

function withoutSource(events: AuditEvent[]): Array<Omit<AuditEvent, 'source'>> {
  return events.map(({source: _source, ...rest}) => rest).sort((a, b) => a.serial - b.serial)
}

const catEvent: AuditEvent = {
  auid: '1001', comm: 'cat', euid: '1001', exe: '/usr/bin/cat', key: 'phi_access', keys: ['phi_access'], paths: ['/var/data/phi/patients.csv'],
  serial: 4567, source: '/var/log/audit/audit.log', success: true, time: '2026-03-03T14:22:01.123Z', types: ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'], uid: '1001',
}

describe('parseAuditRecordLine', () => {
  it('reads an enriched SYSCALL record: raw fields, then the interpreted ones after GS', () => {
    const line = fixture('audit/debian-12-enriched.log').split('\n')[0] as string
    const record = parseAuditRecordLine(line)
    expect(record).toMatchObject({serial: 4567, time: '2026-03-03T14:22:01.123Z', type: 'SYSCALL'})
    expect(record?.fields).toMatchObject({AUID: 'alice', SYSCALL: 'openat', auid: '1001', comm: 'cat', exe: '/usr/bin/cat', key: 'phi_access', success: 'yes'})
  })

  it('decodes hex-encoded names and keys, keeps (null), flattens user-space msg', () => {
    expect(parseAuditRecordLine('type=PATH msg=audit(1.5:2): item=0 name=2F746D702F6120622E747874 nametype=NORMAL')?.fields).toMatchObject({item: '0', name: '/tmp/a b.txt'})
    expect(parseAuditRecordLine('type=SYSCALL msg=audit(1.5:2): key=6B3101 exit=10')?.fields).toMatchObject({exit: '10', key: 'k1\u0001'})
    expect(parseAuditRecordLine('type=SYSCALL msg=audit(1.5:2): key=(null)')?.fields.key).toBe('(null)')
    expect(parseAuditRecordLine("node=web01 type=USER_AUTH msg=audit(1.5:2): pid=1 uid=0 msg='op=PAM:authentication acct=\"alice\" exe=\"/usr/sbin/sshd\" res=failed'")?.fields).toMatchObject({acct: 'alice', node: 'web01', op: 'PAM:authentication', res: 'failed', uid: '0'})
  })

  it('returns null for what is not an audit record', () => {
    expect(parseAuditRecordLine('----')).toBeNull()
    expect(parseAuditRecordLine('type=EOE msg=audit(03/03/26 14:22:01.123:4567) : ')).toBeNull()
    expect(parseAuditRecordLine('')).toBeNull()
  })
})

describe('AuditEventAssembler', () => {
  it('groups the records of the Debian 12 enriched log into one event per serial', () => {
    const events = assemble(fixture('audit/debian-12-enriched.log'), '/var/log/audit/audit.log')
    expect(events.map((event) => event.serial)).toEqual([4567, 4570, 4583, 4584, 4590, 4602, 4610])
    expect(events[0]).toEqual(catEvent)
    expect(events[4]).toEqual({
      auid: '1001', comm: 'rm', euid: '0', exe: '/usr/bin/rm', key: 'phi_access,identity', keys: ['phi_access', 'identity'],
      paths: ['/var/data/phi/', '/var/data/phi/lab results.csv'], serial: 4590, source: '/var/log/audit/audit.log', success: true,
      time: '2026-03-03T14:31:00.250Z', types: ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'], uid: '0',
    })
  })

  it('resolves a relative hex name against CWD, and reads a failure', () => {
    const event = assemble(fixture('audit/rhel-9-enriched.log')).find((ev) => ev.serial === 4583)
    expect(event).toMatchObject({auid: '1002', paths: ['/var/data/phi/lab results.csv'], success: false})
  })

  it('keeps an event whole when another event interleaves its records', () => {
    const events = assemble(fixture('audit/ubuntu-22.04-raw.log'))
    expect(events.find((ev) => ev.serial === 4583)?.types).toEqual(['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'])
    expect(events.find((ev) => ev.serial === 4584)).toMatchObject({auid: '1002', exe: '/usr/sbin/sshd', success: true, types: ['USER_END']})
  })

  it('gives the same events from audit.log (filtered by key) as from real `ausearch --raw -k` output', () => {
    for (const distro of ['debian-12-enriched', 'ubuntu-22.04-raw', 'rhel-9-enriched']) {
      const fromLog = assemble(fixture(`audit/${distro}.log`)).filter((event) => eventMatchesKey(event, 'phi_access'))
      const fromAusearch = assemble(fixture(`audit/${distro}.ausearch-raw.txt`))
      expect(fromLog).toHaveLength(4)
      expect(withoutSource(fromLog)).toEqual(withoutSource(fromAusearch))
    }
  })

  it('gives the same events for the RAW and the ENRICHED log format', () => {
    expect(withoutSource(assemble(fixture('audit/ubuntu-22.04-raw.log')))).toEqual(withoutSource(assemble(fixture('audit/debian-12-enriched.log'))))
  })

  it('matches keys exactly, never by prefix', () => {
    expect(eventMatchesKey(catEvent, 'phi_access')).toBe(true)
    expect(eventMatchesKey(catEvent, 'phi')).toBe(false)
  })

  it('keeps memory bounded when EOE never comes', () => {
    const assembler = new AuditEventAssembler('x')
    let completed = 0
    for (let serial = 1; serial <= 5000; serial++) {
      completed += assembler.push(`type=SYSCALL msg=audit(1700000000.000:${serial}): success=yes key="k"`).length
    }

    const open = assembler.flush().length
    expect(completed + open).toBe(5000)
    expect(open).toBeLessThanOrEqual(MAX_OPEN_EVENTS)
    expect(open).toBeLessThan(100)
  })
})
