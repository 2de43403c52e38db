import {describe, expect, it} from 'vitest'

import {execveArgs, recordDoc} from '../../../src/analyze/sigma/audit-records.js'
import {syscallName} from '../../../src/analyze/sigma/syscalls.js'
import {parseAuditRecordLine} from '../../../src/collectors/parsers/audit.js'
import {peerData} from '../../helpers/peer-data.js'
import {audit} from './helpers.js'

const hex = (text: string) => Buffer.from(text).toString('hex').toUpperCase()

function docOf(line: string) {
  const record = parseAuditRecordLine(line)
  if (record === null) throw new Error('not an audit line')
  return recordDoc(record, line)
}

describe('audit records as Sigma sees them', () => {
  it('decodes EXECVE arguments: quoted as is, unquoted from hex, a1[0] a1[1] pieces joined', () => {
    const line = `type=EXECVE msg=audit(1772531701.120:4410): argc=4 a0="tar" a1="-czf" a2=${hex('/tmp/patient records.tgz')} a3_len=12 a3[0]=${hex('/srv/')} a3[1]=${hex('phi/x')} a3[2]="y"`
    expect([...execveArgs(line)]).toEqual([[0, 'tar'], [1, '-czf'], [2, '/tmp/patient records.tgz'], [3, '/srv/phi/xy']])
    const doc = docOf(line)
    expect(doc.fields).toMatchObject({a0: 'tar', a1: '-czf', a2: '/tmp/patient records.tgz', a3: '/srv/phi/xy', argc: '4', type: 'EXECVE'})
    expect(doc.text).toContain('tar -czf /tmp/patient records.tgz /srv/phi/xy')
  })

  it('names the syscall of a RAW log from arch and number; an ENRICHED log\'s own name wins', () => {
    expect(syscallName('c000003e', '59')).toBe('execve')
    expect(syscallName('c00000b7', '221')).toBe('execve')
    expect(syscallName('40000003', '11')).toBe('execve')
    expect(syscallName('c000003e', '319')).toBe('memfd_create')
    expect(syscallName('c000003e', '99999')).toBeUndefined()
    expect(syscallName(undefined, '59')).toBeUndefined()
    const raw = docOf('type=SYSCALL msg=audit(1772531701.120:4411): arch=c000003e syscall=135 success=yes exit=0 a0=40000 a1=0 a2=0 a3=0 items=0 ppid=1 pid=2 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 comm="setarch" exe="/usr/bin/setarch" key=(null)')
    expect(raw.fields).toMatchObject({SYSCALL: 'personality', a0: '40000', exe: '/usr/bin/setarch', syscall: '135'})
    const enriched = docOf(peerData('audit', 'laurel', 'record-execve.txt').split('\n')[0] as string)
    expect(enriched.fields).toMatchObject({AUID: 'user', SYSCALL: 'execve', exe: '/usr/bin/whoami', node: 'work'})
  })

  it('splits a record with several keys, decodes the proctitle, flattens the msg of user-space records', () => {
    const syscall = docOf(`type=SYSCALL msg=audit(1772531701.120:4412): arch=c000003e syscall=257 success=yes exit=3 items=1 ppid=1 pid=2 auid=1000 uid=0 euid=0 comm="cat" exe="/usr/bin/cat" key=${hex('phi_access\u0001root_commands')}`)
    expect(syscall.fields.key).toEqual(['phi_access', 'root_commands'])
    const title = docOf(`type=PROCTITLE msg=audit(1772531701.120:4412): proctitle=${hex('cat\u0000/srv/phi/a.csv')}`)
    expect(title.fields.proctitle).toBe('cat /srv/phi/a.csv')
    const stop = docOf("type=SERVICE_STOP msg=audit(1772531702.000:4413): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit=firewalld comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'")
    expect(stop.fields).toMatchObject({res: 'success', type: 'SERVICE_STOP', unit: 'firewalld'})
  })

  it('groups the records of an event (interleaved, with or without EOE) and refs its first line', () => {
    const events = audit(`
      type=SYSCALL msg=audit(1772531701.120:10): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=2 auid=1000 uid=0 euid=0 comm="ls" exe="/usr/bin/ls" key="root_commands"
      type=USER_LOGIN msg=audit(1772531701.300:11): pid=9 uid=0 auid=1001 ses=4 msg='op=login id=1001 exe="/usr/sbin/sshd" hostname=203.0.113.7 addr=203.0.113.7 terminal=ssh res=success'
      type=EXECVE msg=audit(1772531701.120:10): argc=2 a0="ls" a1="/srv/phi"
      type=CWD msg=audit(1772531701.120:10): cwd="/srv"
      type=PATH msg=audit(1772531701.120:10): item=0 name="phi" nametype=NORMAL
      type=EOE msg=audit(1772531701.120:10):
      not an audit line
    `)
    expect(events).toHaveLength(2)
    const exec = events.find((e) => e.docs[0]?.fields.type === 'SYSCALL')
    expect(exec).toMatchObject({commands: ['ls /srv/phi'], origin: 'audit', paths: ['/srv/phi'], ref: 'audit/phi_access.raw:1', time: '2026-03-03T09:55:01.120Z', user: '1000'})
    expect(exec?.docs.map((d) => d.fields.type)).toEqual(['SYSCALL', 'EXECVE', 'CWD', 'PATH'])
    const login = events.find((e) => e.docs[0]?.fields.type === 'USER_LOGIN')
    expect(login).toMatchObject({ip: '203.0.113.7', ref: 'audit/phi_access.raw:2', user: '1001'})
  })
})

describe('audit record fields for null checks', () => {
  it('a (null) value is an absent field, so `key: null` matches an event without a key', () => {
    const doc = docOf('type=SYSCALL msg=audit(1772531701.120:4414): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=2 auid=1000 uid=0 euid=0 comm="ls" exe="/usr/bin/ls" key=(null)')
    expect(doc.fields.key).toBeUndefined()
    expect(doc.fields.exe).toBe('/usr/bin/ls')
  })
})
