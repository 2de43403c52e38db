import {describe, expect, it} from 'vitest'

import {byId, ids, timelineFor} from './helpers.js'

/**
 * The federal duties the engine dropped or mislabelled (law review F2-F14). Each case quotes the
 * rule text it rests on.
 */

describe('164.412 law-enforcement delays (F2-F6)', () => {
  it('F2: a written statement after the 30 oral days still governs while notice was not yet due', () => {
    // 164.412(a): "If the statement is in writing and specifies the time for which a delay is required, delay such
    // notification … for the time period specified by the official".
    const t = timelineFor({discovered: '2026-03-01', affected: {OH: 40}, law_enforcement_delay: {kind: 'oral', received: '2026-03-21', official: 'SA R. Diaz, FBI', written_received: '2026-04-25', written_until: '2026-06-29'}})
    expect(byId(t, 'individuals')).toMatchObject({due: '2026-06-29', original_due: '2026-04-30'})
    expect(t.clock?.law_enforcement_delay?.ends).toBe('2026-06-29')
    expect(byId(t, 'individuals').notes.join(' ')).toMatch(/after the 30 days but before notice was due \(2026-04-30\).*governs on its own/)
  })

  it('F3: a delay requested after the deadline had passed leaves the entity overdue, and shows the hold', () => {
    // 164.404(b): "in no case later than 60 calendar days after discovery of a breach".
    const t = timelineFor({discovered: '2026-01-05', affected: {OH: 40}, law_enforcement_delay: {kind: 'written', received: '2026-03-20', until: '2026-05-01'}}, '2026-04-01')
    expect(byId(t, 'individuals')).toMatchObject({due: '2026-03-06', overdue: true, held_until: '2026-05-01', status: 'verified'})
    expect(byId(t, 'individuals').due_if_tolled).toBeUndefined()
    expect(byId(t, 'individuals').notes.join(' ')).toMatch(/OVERDUE from 2026-03-07/)
    expect(t.warnings[0]).toMatch(/^OVERDUE as of 2026-04-01: .*individuals/)
  })

  it('F4/H4: a date the delay moved is unverified; one it did not move keeps its status', () => {
    // breach-rules.md §1.7: "UNVERIFIED: I did not find HHS text choosing between the two."
    const moved = timelineFor({discovered: '2026-03-01', affected: {CA: 600}, law_enforcement_delay: {kind: 'written', received: '2026-03-10', until: '2026-06-15'}})
    for (const id of ['individuals', 'hhs', 'media:CA']) {
      expect(byId(moved, id)).toMatchObject({due: '2026-06-15', original_due: '2026-04-30', status: 'unverified'})
      expect(byId(moved, id).notes.join(' ')).toMatch(/Status UNVERIFIED: this date was moved by the law-enforcement delay/)
    }
    const kept = timelineFor({discovered: '2026-03-01', affected: {CA: 600}, law_enforcement_delay: {kind: 'written', received: '2026-03-10', until: '2026-03-20'}})
    expect(byId(kept, 'individuals')).toMatchObject({due: '2026-04-30', status: 'verified'})
  })

  it('F5: the delay reaches the HHS annual log, so HHS is not told before the individuals', () => {
    // 164.412 covers every "notification, notice, or posting required under this subpart", 164.408(c) included.
    const t = timelineFor({discovered: '2026-12-01', affected: {OH: 100}, law_enforcement_delay: {kind: 'written', received: '2026-12-05', until: '2027-04-30'}})
    expect(byId(t, 'individuals').due).toBe('2027-04-30')
    expect(byId(t, 'hhs-annual')).toMatchObject({due: '2027-04-30', original_due: '2027-03-01', status: 'unverified'})
    expect(byId(t, 'hhs-annual').notes.join(' ')).toMatch(/Law-enforcement delay: written statement received 2026-12-05/)
  })

  it('F6: a planned earlier individual notice pulls the contemporaneous HHS (and FTC) notice forward', () => {
    // 164.408(b): "provide the notification … contemporaneously with the notice required by § 164.404(a)".
    const t = timelineFor({discovered: '2026-03-01', affected: {OH: 800}, planned: {individuals: '2026-03-20'}})
    expect(byId(t, 'hhs')).toMatchObject({due: '2026-03-20', chained: {after: 'individuals', from: '2026-03-20', planned: true}})
    expect(byId(t, 'individuals').due).toBe('2026-04-30')
    const ftc = timelineFor({regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2026-03-01', affected: {OH: 800}, planned: {individuals: '2026-03-20'}})
    expect(byId(ftc, 'ftc').due).toBe('2026-03-20')
    expect(byId(timelineFor({discovered: '2026-03-01', affected: {OH: 800}, planned: {individuals: '2026-05-20'}}), 'hhs').due).toBe('2026-04-30')
  })
})

describe('smaller federal items (F7-F10)', () => {
  it('F7: urgent cases get the 164.404(d)(3) telephone item; otherwise a note says it exists', () => {
    // 164.404(d)(3): "the covered entity may provide information to individuals by telephone or other means, as
    // appropriate, in addition to notice provided under paragraph (d)(1)".
    const t = timelineFor({discovered: '2026-03-01', affected: {OH: 40}, urgent: true})
    expect(byId(t, 'individuals:urgent-phone')).toMatchObject({due: null, citation: '45 CFR 164.404(d)(3)', due_text: expect.stringMatching(/in addition to the written notice/)})
    const plain = timelineFor({discovered: '2026-03-01', affected: {OH: 40}})
    expect(ids(plain)).not.toContain('individuals:urgent-phone')
    expect(byId(plain, 'individuals').notes.join(' ')).toMatch(/164\.404\(d\)\(3\)/)
  })

  it.each([
    ['2026-10-26', '2026-12-25', 'Christmas Day'],
    ['2026-03-26', '2026-05-25', 'Memorial Day'],
    ['2026-11-02', '2027-01-01', "New Year's Day"],
  ])('F8: discovered %s, day 60 %s is %s: flagged, never moved', (discovered, due, name) => {
    // breach-rules.md §0.1: "If a deadline falls on a Saturday, Sunday or holiday, the tool shows the weekday and warns the user."
    const t = timelineFor({discovered, affected: {OH: 40}})
    expect(byId(t, 'individuals')).toMatchObject({due, holiday: name})
    expect(t.warnings.join(' ')).toContain(`individuals: ${due} is ${name}, a federal holiday`)
  })

  it('F9: insufficient_contact above the affected total is refused', () => {
    expect(() => timelineFor({discovered: '2026-03-01', affected: {OH: 5}, insufficient_contact: 50})).toThrow(/insufficient_contact: 50 is more than the 5 individuals in affected/)
    const substitute = byId(timelineFor({discovered: '2026-03-01', affected: {OH: 50}, insufficient_contact: 50}), 'substitute-notice')
    // L4, 164.404(d)(2)(ii)(B): substitute notice needs "a toll-free phone number that remains active for at least 90 days".
    expect(substitute.notes.join(' ')).toMatch(/Requires a toll-free number.*entity\.toll_free: true/)
    expect(byId(timelineFor({discovered: '2026-03-01', entity: {phone: '1-800-555-0100', toll_free: true}, affected: {OH: 50}, insufficient_contact: 50}), 'substitute-notice').notes.join(' ')).not.toMatch(/Requires a toll-free/)
  })
})

describe('FTC mode (F11-F14)', () => {
  const ftc = {regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2026-03-01'}

  it('F11: media notice at 500 or more residents of a State (318.5(b)), labelled secondary', () => {
    // reliclawpllc.com: "In cases that involve 500 or more data subjects within a single state, prominent news media must be notified."
    expect(byId(timelineFor({...ftc, affected: {NV: 500}}), 'media:NV')).toMatchObject({citation: '16 CFR 318.5(b)', status: 'secondary', due: '2026-04-30'})
    expect(ids(timelineFor({...ftc, affected: {NV: 499}}))).not.toContain('media:NV')
    expect(ids(timelineFor({discovered: '2026-03-01', affected: {NV: 500}}))).not.toContain('media:NV')
  })

  it('F12: every citation in FTC mode is to 16 CFR 318, never 45 CFR', () => {
    // 318.2: unauthorized acquisition is "presumed to include unauthorized access"; 318.5(a)(1): email "if the individual
    // is given a clear, conspicuous, and reasonable opportunity to receive notification by first-class mail".
    const t = timelineFor({...ftc, affected: {CA: 600, OH: 10}, insufficient_contact: 12, law_enforcement_delay: {kind: 'oral', received: '2026-03-10', official: 'Det. K'}})
    const text = JSON.stringify({reasons: t.reasons, clock: t.clock, deadlines: t.deadlines.filter((d) => d.regime === 'federal')})
    expect(text).not.toMatch(/45 CFR|\b164\.\d/)
    expect(t.reasons.join(' ')).toMatch(/16 CFR 318\.2/)
    expect(t.clock?.discovery_basis).toMatch(/16 CFR 318\.3/)
    expect(byId(t, 'individuals').notes.join(' ')).toMatch(/318\.5\(a\)\(1\).*318\.6\(a\).*318\.6\(d\)/s)
    expect(byId(t, 'individuals').notes.join(' ')).toMatch(/16 CFR 318\.4.*The FTC has not chosen/)
  })

  it('F13: substitute notice is 318.5(a)(2); the FTC rule has nothing for fewer than ten', () => {
    // 318.5(a)(2): "contact information for ten or more individuals is insufficient … shall provide substitute notice".
    expect(byId(timelineFor({...ftc, affected: {OH: 40}, insufficient_contact: 10}), 'substitute-notice')).toMatchObject({citation: '16 CFR 318.5(a)(2)', status: 'verified'})
    const few = byId(timelineFor({...ftc, affected: {OH: 40}, insufficient_contact: 9}), 'individuals')
    expect(few.notes.join(' ')).toMatch(/no provision for fewer/)
    expect(few.notes.join(' ')).not.toMatch(/164\.404/)
  })

  it('F14: a third-party service provider reports to the vendor within 60 days', () => {
    // reliclawpllc.com: "Third-party service providers are only required to notify the vendor of PHR or PHR-related
    // entities … no later than 60 calendar days after the discovery".
    const t = timelineFor({regime: 'ftc-hbnr', reporter: 'service-provider', discovered: '2026-03-01', affected: {OH: 900}})
    expect(ids(t)).toEqual(['vendor'])
    expect(byId(t, 'vendor')).toMatchObject({due: '2026-04-30', citation: '16 CFR 318.3(b), 318.4(a)', status: 'secondary'})
    expect(() => timelineFor({reporter: 'service-provider', discovered: '2026-03-01', affected: {OH: 9}})).toThrow(/service-provider is only meaningful with regime: ftc-hbnr/)
  })
})
