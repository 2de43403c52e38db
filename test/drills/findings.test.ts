import {describe, expect, it} from 'vitest'

import {checkFindings, measure, summarizeEvidence, type DrillEvidence} from '../../src/drills/findings.js'
import {drillPushSettings} from '../../src/drills/push-settings.js'
import type {Timeline} from '../../src/timeline/types.js'

const evidence: DrillEvidence = {
  audit: [
    {auid: '1042', exe: '/usr/bin/less', key: 'phi_access', paths: ['/p/1']},
    {auid: '1042', exe: '/usr/bin/less', key: 'phi_access', paths: ['/p/1']},
    {auid: '1001', exe: '/usr/bin/cat', key: 'phi_access', paths: ['/p/2']},
  ],
  auth: [
    {ip: '203.0.113.5', kind: 'failed', time: '2026-03-02T01:00:00.000Z', user: 'svc'},
    {ip: '203.0.113.6', kind: 'failed', time: '2026-03-02T01:01:00.000Z', user: 'svc'},
    {ip: '203.0.113.5', kind: 'accepted', time: '2026-03-02T01:02:00.000Z', user: 'svc'},
    {ip: null, kind: 'sudo', time: '2026-03-02T01:03:00.000Z', user: 'svc'},
  ],
  phiFiles: [{path: '/var/data/phi/a', type: 'file'}, {path: '/var/data/phi/d', type: 'dir'}, {path: '/var/data/phi/x/b', type: 'file'}],
}

const timeline = {
  clock: {alternative: {basis: 'x', discovered: '2026-04-01'}, discovered: '2026-02-20', discovery_basis: 'y', determined: null},
  deadlines: [{due: '2026-04-21', id: 'individuals'}],
  notification_required: true,
} as unknown as Timeline

describe('findings', () => {
  it('counts auth events by kind, user, address and time', () => {
    expect(measure({filter: {kind: 'failed'}, kind: 'auth-count'}, evidence, timeline)).toBe(2)
    expect(measure({filter: {kind: 'failed'}, kind: 'auth-distinct-ips'}, evidence, timeline)).toBe(2)
    expect(measure({filter: {ip: '203.0.113.5', kind: 'accepted', user: 'svc'}, kind: 'auth-count'}, evidence, timeline)).toBe(1)
    expect(measure({filter: {after: '2026-03-02T01:02:00Z', kind: 'accepted'}, kind: 'auth-count'}, evidence, timeline)).toBe(1)
    expect(measure({filter: {before: '2026-03-02T01:02:00Z', kind: 'accepted'}, kind: 'auth-count'}, evidence, timeline)).toBe(0)
  })

  it('counts audit events and distinct files by auid and program', () => {
    expect(measure({filter: {auid: '1042', key: 'phi_access'}, kind: 'audit-count'}, evidence, timeline)).toBe(2)
    expect(measure({filter: {auid: '1042'}, kind: 'audit-distinct-paths'}, evidence, timeline)).toBe(1)
    expect(measure({filter: {exe: '/usr/bin/cat'}, kind: 'audit-count'}, evidence, timeline)).toBe(1)
  })

  it('counts regular PHI files only, optionally below a prefix', () => {
    expect(measure({kind: 'phi-files'}, evidence, timeline)).toBe(2)
    expect(measure({kind: 'phi-files', pathPrefix: '/var/data/phi/x/'}, evidence, timeline)).toBe(1)
  })

  it('reads the decision, deadlines and the agency reading from the timeline', () => {
    expect(measure({kind: 'notification-required'}, evidence, timeline)).toBe(true)
    expect(measure({id: 'individuals', kind: 'deadline-due'}, evidence, timeline)).toBe('2026-04-21')
    expect(measure({id: 'hhs', kind: 'deadline-due'}, evidence, timeline)).toBeNull()
    expect(measure({id: 'hhs', kind: 'deadline-present'}, evidence, timeline)).toBe(false)
    expect(measure({kind: 'agency-alternative'}, evidence, timeline)).toBe('2026-04-01')
  })

  it('marks a mismatch when the evidence does not show what the scenario planted', () => {
    const results = checkFindings([
      {check: {filter: {kind: 'failed'}, kind: 'auth-count'}, expected: 2, id: 'a', label: 'a'},
      {check: {filter: {kind: 'failed'}, kind: 'auth-count'}, expected: 3, id: 'b', label: 'b'},
    ], evidence, timeline)
    expect(results.map((r) => r.match)).toEqual([true, false])
    expect(results[1]).toMatchObject({expected: 3, found: 2})
  })

  it('summarizes logins, failures and phi_access by auid for the report', () => {
    const s = summarizeEvidence(evidence)
    expect(s.accepted).toEqual([{count: 1, first: '2026-03-02T01:02:00.000Z', ip: '203.0.113.5', user: 'svc'}])
    expect(s.failedByIp).toHaveLength(2)
    expect(s.sudo).toBe(1)
    expect(s.phiAccessByAuid[0]).toMatchObject({auid: '1042', events: 2, paths: 1})
    expect(s.phiFilesModified).toEqual(['/var/data/phi/a', '/var/data/phi/x/b'])
  })
})

describe('drill push settings', () => {
  it('mark exercise data: drills/ prefix, GOVERNANCE for one day, tagged drill=true, never COMPLIANCE', () => {
    const s = drillPushSettings('ransomware')
    expect(s.prefix).toBe('drills/ransomware')
    expect(s.mode).toBe('governance')
    expect(s.retainDays).toBeLessThanOrEqual(1)
    expect(s.tags).toContainEqual({Key: 'drill', Value: 'true'})
    expect(JSON.stringify(s).toLowerCase()).not.toContain('compliance')
  })
})
