import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {AuditEventAssembler} from '../../src/collectors/parsers/audit.js'
import {parseAuthLine} from '../../src/collectors/parsers/auth-line.js'
import {auditEvent, sshd, syslogLine, type StampStyle} from '../../src/drills/synthetic/log-lines.js'
import {patientCsv, pseudoCiphertext} from '../../src/drills/synthetic/phi-data.js'
import {SCENARIOS} from '../../src/drills/scenarios/index.js'
import {factsSchema} from '../../src/timeline/facts/schema.js'

const ctx = (reference: string) => ({referenceTime: new Date(reference), source: '/var/log/auth.log', timeZone: 'UTC'})
const instant = fc.integer({max: Date.parse('2030-12-31T00:00:00Z'), min: Date.parse('2020-01-01T00:00:00Z')}).map((ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString())
const user = fc.stringMatching(/^[a-z][a-z0-9._-]{0,15}$/)
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'))

describe('synthetic log lines read back through the real parsers', () => {
  it('sshd lines in both stamp styles parse to the planted time, kind, user and address', () => {
    fc.assert(fc.property(instant, user, ipv4, fc.integer({max: 65_535, min: 1}), fc.constantFrom<StampStyle>('rfc3339', 'classic'), fc.boolean(), (time, name, ip, port, style, accepted) => {
      const message = accepted ? sshd.accepted(name, ip, port, 'password') : sshd.failed(name, ip, port)
      const line = syslogLine({message, pid: 42, program: 'sshd', time}, 'host1', style)
      const event = parseAuthLine(line, ctx(time))
      expect(event).not.toBeNull()
      expect(event?.time).toBe(time.replace(/\.\d{3}Z$/, '.000Z'))
      expect(event?.kind).toBe(accepted ? 'accepted' : 'failed')
      expect(event?.user).toBe(name)
      expect(event?.ip).toBe(ip)
    }))
  })

  it('invalid-user guesses are failed with invalid_user, and the separate Invalid user line is invalid-user', () => {
    const time = '2026-03-03T02:00:00.000Z'
    const failed = parseAuthLine(syslogLine({message: sshd.failed('admin', '198.51.100.11', 4000, true), pid: 1, program: 'sshd', time}, 'h', 'rfc3339'), ctx(time))
    const invalid = parseAuthLine(syslogLine({message: sshd.invalidUser('admin', '198.51.100.11', 4000), pid: 1, program: 'sshd', time}, 'h', 'rfc3339'), ctx(time))
    expect(failed).toMatchObject({invalid_user: true, kind: 'failed', user: 'admin'})
    expect(invalid).toMatchObject({kind: 'invalid-user', user: 'admin'})
  })

  it('audit events assemble into one event with the planted key, auid, exe and path', () => {
    fc.assert(fc.property(instant, fc.integer({max: 60_000, min: 1000}), fc.integer({max: 9_999_999, min: 1}), fc.boolean(), (time, auid, serial, write) => {
      const assembler = new AuditEventAssembler('/var/log/audit/audit.log')
      const text = auditEvent({auid, comm: 'less', exe: '/usr/bin/less', path: '/var/data/phi/records/p.json', serial, time, write})
      const events = [...text.split('\n').flatMap((l) => assembler.push(l)), ...assembler.flush()]
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({auid: String(auid), exe: '/usr/bin/less', key: 'phi_access', paths: ['/var/data/phi/records/p.json'], serial, success: true})
    }))
  })
})

describe('scenario generators', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: synthetic data only, evidence consistent with the window, valid facts`, () => {
      const plan = scenario.generate()
      const since = Date.parse(scenario.since)
      const phi = plan.files.filter((f) => f.path.startsWith('/var/data/phi/'))
      expect(phi.length).toBeGreaterThan(0)
      for (const file of phi) {
        if (typeof file.content === 'string') expect(file.content).toMatch(/SYNTHETIC/)
        expect(file.content.length).toBeLessThan(64 * 1024)
      }
      const all = plan.files.map((f) => (typeof f.content === 'string' ? f.content : '')).join('\n')
      expect(all).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/) // nothing shaped like an SSN
      // Folders are dated before the window, so only planted files can look recently modified.
      expect(Date.parse(plan.folderTime)).toBeLessThan(since)
      // Facts validate against the real schema and say they are an exercise.
      const facts = factsSchema.parse(scenario.facts)
      expect(facts.entity.name).toMatch(/SYNTHETIC/)
      expect(facts.breach.description).toMatch(/SYNTHETIC EXERCISE/)
      expect(scenario.injects.length).toBeGreaterThan(1)
      expect(scenario.questions.length).toBeGreaterThan(2)
      expect(scenario.expected.length).toBeGreaterThan(3)
      expect(Date.parse(`${scenario.asOf}T00:00:00Z`)).toBeGreaterThanOrEqual(since - 86_400_000)
    })
  }

  it('ids are unique and the required scenario kinds are there', () => {
    const ids = SCENARIOS.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids).toEqual(expect.arrayContaining(['ransomware', 'laptop-encrypted', 'laptop-unencrypted', 'insider-snooping', 'misdirected-email', 'business-associate']))
  })

  it('generators are deterministic', () => {
    for (const scenario of SCENARIOS) expect(scenario.generate()).toEqual(scenario.generate())
  })

  it('synthetic patients and ransomware bytes are fake and reproducible', () => {
    expect(patientCsv(1, 2)).toContain('SYNTHETIC PATIENT 0001')
    expect(pseudoCiphertext('a', 100)).toEqual(pseudoCiphertext('a', 100))
    expect(pseudoCiphertext('a', 100)).not.toEqual(pseudoCiphertext('b', 100))
  })
})
