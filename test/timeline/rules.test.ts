import {describe, expect, it} from 'vitest'

import {STATE_CODES} from '../../src/timeline/facts/state-codes.js'
import {FACILITY_RULES, STATE_RULES} from '../../src/timeline/rules/states/table.js'
import {byId, ids, timelineFor} from './helpers.js'

describe('state rules table', () => {
  it('every rule is data with a citation, a status, a threshold and a known state code', () => {
    const codes = new Set<string>(STATE_CODES)
    for (const rule of [...STATE_RULES.values()]) {
      expect(codes.has(rule.state)).toBe(true)
      expect(rule.citation).not.toBe('')
      for (const item of rule.items) {
        expect(['verified', 'secondary', 'unverified']).toContain(item.status)
        expect(item.citation).toMatch(/\S/)
        expect(item.audience).toMatch(/\S/)
        expect(['any', '>', '>=']).toContain(item.threshold.op)
      }
    }
    expect(FACILITY_RULES.get('CA')?.[0]?.citation).toContain('1280.15')
  })

  it('a state outside the table is "not covered" with a warning that it may require regulator notice, and Tennessee is HIPAA-exempt', () => {
    const t = timelineFor({discovered: '2025-06-02', affected: {NV: 20, TN: 30}})
    expect(t.states).toEqual([
      expect.objectContaining({state: 'NV', coverage: 'not-covered', status: 'unverified'}),
      expect.objectContaining({state: 'TN', coverage: 'hipaa-exempt'}),
    ])
    expect(ids(t)).toEqual(['hhs-annual', 'individuals'])
    expect(t.warnings.join(' ')).toContain('NV: not in the rules table; NV may require regulator notice')
  })

  it('determination-triggered states use `determined` when given, discovery (with a warning) when not', () => {
    expect(byId(timelineFor({discovered: '2025-04-01', determined: '2025-04-15', affected: {CO: 10}}), 'state:CO:individuals').due).toBe('2025-05-15')
    const t = timelineFor({discovered: '2025-04-01', affected: {CO: 10}})
    expect(byId(t, 'state:CO:individuals').due).toBe('2025-05-01')
    expect(t.warnings.join(' ')).toMatch(/CO count from the determination/)
  })

  it('chained items follow the planned send date when one is given', () => {
    const t = timelineFor({discovered: '2026-03-02', affected: {CA: 1000}, planned: {'state:CA:individuals': '2026-03-20', hhs: '2026-04-24'}})
    expect(byId(t, 'state:CA:regulator')).toMatchObject({due: '2026-04-04', chained: {from: '2026-03-20', planned: true}})
    const ny = timelineFor({discovered: '2026-03-02', affected: {NY: 600}, planned: {hhs: '2026-04-24'}})
    expect(byId(ny, 'state:NY:regulator:after-hhs').due).toBe('2026-05-01')
    const stray = timelineFor({discovered: '2026-03-02', affected: {NY: 6}, planned: {'state:NY:individual': '2026-03-20'}})
    expect(stray.warnings.join(' ')).toMatch(/planned: state:NY:individual match no deadline id/)
  })

  it('Vermont preliminary notice is capped by an earlier planned consumer notice', () => {
    const t = timelineFor({discovered: '2025-09-08', affected: {VT: 20}, planned: {'state:VT:individuals': '2025-09-19'}})
    expect(byId(t, 'state:VT:regulator').due).toBe('2025-09-19')
  })

  it('California before 2026: no day count for residents or the AG', () => {
    const t = timelineFor({discovered: '2025-12-31', affected: {CA: 900}})
    expect(byId(t, 'state:CA:individuals')).toMatchObject({due: null, due_text: expect.stringContaining('most expedient')})
    expect(byId(t, 'state:CA:regulator').due).toBeNull()
  })

  it('a licensed California facility gets 1280.15 items (15 business days) for all patients', () => {
    const t = timelineFor({discovered: '2025-09-08', affected: {NV: 5}, licensed_facility: 'CA', law_enforcement_delay: {kind: 'written', received: '2025-09-10', until: '2025-10-01'}})
    expect(byId(t, 'state:CA:patients').due).toBe('2025-09-29')
    expect(byId(t, 'state:CA:regulator:cdph').due).toBe('2025-09-29')
    expect(byId(t, 'state:CA:patients').due_if_tolled).toBe('2025-10-22')
  })

  it('state thresholds use each statute\'s own operator', () => {
    expect(ids(timelineFor({discovered: '2025-01-06', affected: {TX: 249}}))).not.toContain('state:TX:regulator')
    expect(ids(timelineFor({discovered: '2025-01-06', affected: {TX: 250}}))).toContain('state:TX:regulator')
    expect(ids(timelineFor({discovered: '2025-01-06', affected: {WA: 500}}))).not.toContain('state:WA:regulator')
    expect(ids(timelineFor({discovered: '2025-01-06', affected: {WA: 501}}))).toContain('state:WA:regulator')
  })
})

describe('164.412 law-enforcement delay', () => {
  const base = {discovered: '2025-04-01', affected: {OH: 20}}

  it('a delay ending before day 60 extends nothing (conservative) but tolls', () => {
    const d = byId(timelineFor({...base, law_enforcement_delay: {kind: 'written', received: '2025-04-10', until: '2025-04-20'}}), 'individuals')
    expect(d).toMatchObject({due: '2025-05-31', original_due: '2025-05-31', due_if_tolled: '2025-06-10'})
  })

  it('an oral delay lasts at most 30 days', () => {
    const d = byId(timelineFor({...base, law_enforcement_delay: {kind: 'oral', received: '2025-05-20', official: 'Agent K'}}), 'individuals')
    expect(d).toMatchObject({due: '2025-06-19', due_if_tolled: '2025-06-30'})
  })

  it('a written statement within the 30 days governs; a late one does not', () => {
    const timely = byId(timelineFor({...base, law_enforcement_delay: {kind: 'oral', received: '2025-05-20', official: 'Agent K', written_received: '2025-06-10', written_until: '2025-08-01'}}), 'individuals')
    expect(timely.due).toBe('2025-08-01')
    const late = byId(timelineFor({...base, law_enforcement_delay: {kind: 'oral', received: '2025-05-20', official: 'Agent K', written_received: '2025-06-25', written_until: '2025-08-01'}}), 'individuals')
    expect(late.due).toBe('2025-06-19')
    expect(late.notes.join(' ')).toMatch(/came after notice was already due \(2025-06-19\)/)
    expect(late.held_until).toBe('2025-08-01')
  })

  it('the FTC notice (500 or more, ftc-hbnr) carries the same delayed, tolled and original dates as the individual notice', () => {
    const t = timelineFor({regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2025-04-01', affected: {OH: 600}, law_enforcement_delay: {kind: 'written', received: '2025-04-10', until: '2025-04-20'}})
    const individuals = byId(t, 'individuals')
    expect(individuals).toMatchObject({due: '2025-05-31', original_due: '2025-05-31', due_if_tolled: '2025-06-10'})
    expect(byId(t, 'ftc')).toMatchObject({due: individuals.due, original_due: individuals.original_due, due_if_tolled: individuals.due_if_tolled})
  })

  it('the delay reaches the business associate notice too, and state dates only get a note', () => {
    const t = timelineFor({reporter: 'business-associate', discovered: '2025-04-01', affected: {OR: 20}, law_enforcement_delay: {kind: 'written', received: '2025-04-02', until: '2025-07-01'}})
    expect(byId(t, 'covered-entity').due).toBe('2025-07-01')
    expect(byId(t, 'state:OR:covered-entity').due).toBe('2025-04-11')
    expect(byId(t, 'state:OR:covered-entity').notes.join(' ')).toMatch(/confirm with counsel/)
  })
})

describe('164.402 exceptions and 164.404 details', () => {
  it.each([
    ['workforce-good-faith', /164\.402\(1\)\(i\)/],
    ['inadvertent-authorized', /164\.402\(1\)\(ii\)/],
    ['unable-to-retain', /164\.402\(1\)\(iii\)/],
  ])('exception %s: no federal notice, reason cites the paragraph, and the Ohio item is left to Ohio law', (exception, cite) => {
    const t = timelineFor({discovered: '2025-04-01', affected: {OH: 20}, exception})
    expect(t.notification_required).toBe(false)
    expect(ids(t)).toEqual(['state:OH:individuals'])
    expect(byId(t, 'state:OH:individuals').condition).toMatch(/164\.402\(1\) exception does not decide Ohio's duty/)
    expect(t.reasons.join(' ')).toMatch(cite)
  })

  it('substitute notice at 10 or more; a note for 1 to 9', () => {
    expect(ids(timelineFor({discovered: '2025-04-01', affected: {OH: 20}, insufficient_contact: 10}))).toContain('substitute-notice')
    const t = timelineFor({discovered: '2025-04-01', affected: {OH: 20}, insufficient_contact: 9})
    expect(ids(t)).not.toContain('substitute-notice')
    expect(byId(t, 'individuals').notes.join(' ')).toMatch(/164\.404\(d\)\(2\)\(i\)/)
  })

  it('weekend dates are flagged, never moved', () => {
    const t = timelineFor({discovered: '2025-09-02', affected: {FL: 500}})
    expect(byId(t, 'individuals')).toMatchObject({due: '2025-11-01', weekday: 'Sat', weekend: true})
    expect(t.warnings.join(' ')).toMatch(/individuals: 2025-11-01 is a Saturday/)
  })
})
