import {describe, expect, it} from 'vitest'

import {FACILITY_RULES, STATE_RULES} from '../../src/timeline/rules/states/table.js'
import {byId, ids, timelineFor} from './helpers.js'

/**
 * State duties judged on their own (law review F1) and the state-table changes of late 2026
 * (S1-S11, H1-H6). Each case quotes the text it rests on; the status each rule carries says how
 * well that text was checked.
 */

const federalIds = (t: ReturnType<typeof timelineFor>) => t.deadlines.filter((d) => d.regime === 'federal').map((d) => d.id)

describe('F1: a HIPAA "no notification" outcome leaves each state to its own test', () => {
  // 45 CFR 164.402(2): the presumption falls if the CE "demonstrates that there is a low probability that
  // the protected health information has been compromised" (HIPAA only). Texas: "shall disclose any breach of
  // system security … to any individual whose sensitive personal information was … acquired" (Perkins Coie).
  // California: "A risk of harm analysis is not permitted in determining when notification is triggered" (BakerHostetler).
  const facts = {discovered: '2026-03-02', determined: '2026-03-02', affected: {CA: 600, TX: 300, NY: 50}, low_probability: true}

  it('low probability: no federal item, but the Texas, California and New York items remain, each saying why', () => {
    const t = timelineFor(facts, '2026-03-03')
    expect(t.notification_required).toBe(false)
    expect(federalIds(t)).toEqual([])
    // NY 899-aa(9) ("within 5 business days of notifying HHS") follows an HHS filing; with none owed it is moot.
    expect(ids(t)).toEqual(['state:CA:individuals', 'state:CA:regulator', 'state:NY:individuals', 'state:NY:regulator', 'state:TX:individuals', 'state:TX:regulator'])
    expect(byId(t, 'state:TX:individuals')).toMatchObject({due: '2026-05-01', condition: expect.stringMatching(/MAY STILL BE OWED.*no harm threshold.*No HIPAA deference found for Texas/)})
    expect(byId(t, 'state:TX:regulator').due).toBe('2026-04-01')
    expect(byId(t, 'state:CA:individuals').condition).toMatch(/MAY STILL BE OWED.*risk of harm analysis is not permitted.*content of the notice only/)
    expect(byId(t, 'state:NY:individuals').condition).toMatch(/May still be owed.*not established here \(UNVERIFIED\)/)
    expect(t.warnings[0]).toMatch(/HIPAA requires no notification \(low-probability\), but state notices may still be owed.*CA \(likely: no risk-of-harm test\).*NY.*TX \(likely/)
    expect(t.states.find((s) => s.state === 'TX')?.after_hipaa_no_notice).toMatch(/MAY STILL BE OWED/)
    expect(t.documentation.join(' ')).toMatch(/separate analysis for each state/)
  })

  it('an exception and secured PHI keep the state items too; secured PHI points at the state encryption clause', () => {
    const exception = timelineFor({...facts, low_probability: false, exception: 'unable-to-retain'}, '2026-03-03')
    expect(federalIds(exception)).toEqual([])
    expect(byId(exception, 'state:TX:individuals').condition).toMatch(/164\.402\(1\) exception/)
    const secured = timelineFor({...facts, low_probability: false, secured: true}, '2026-03-03')
    expect(byId(secured, 'state:TX:individuals').condition).toMatch(/"secured PHI" is not Texas's test.*encryption clause/)
    expect(secured.warnings[0]).toMatch(/\(secured\)/)
  })

  it('Tennessee (law does not apply to HIPAA entities) stays off, and says so', () => {
    const t = timelineFor({discovered: '2026-03-02', affected: {TN: 40}, low_probability: true})
    expect(t.deadlines).toEqual([])
    expect(t.states[0]?.after_hipaa_no_notice).toMatch(/^Not owed: Tennessee's law does not apply to entities subject to HIPAA/)
  })
})

describe('state table changes (late 2026)', () => {
  it('S1/H3 Indiana: the AG disclosure has the same 45 days as residents', () => {
    // IC 24-4.9-3-3(a): "A person required to make a disclosure or notification under this chapter shall make the
    // disclosure or notification without unreasonable delay, but not more than forty-five (45) days after the
    // discovery of the breach". 3-1(c): "the data base owner shall also disclose the breach to the attorney general".
    const d = byId(timelineFor({discovered: '2026-03-02', affected: {IN: 10}}), 'state:IN:regulator')
    expect(d).toMatchObject({due: '2026-04-16', status: 'verified', citation: expect.stringContaining('24-4.9-3-3(a)'), source: expect.stringMatching(/statute text/)})
  })

  it('S2: vendor and business-associate clocks for AL, FL, CA, VT, TX and NC', () => {
    // AL 8-38-8: "Third Party Agent → Covered Entity … 10 days" (fincher.co). FL 501.171(6): "no later than 10 days
    // following determination of breach" (swlaw). CA 1798.82(b): "shall notify the owner or licensee … immediately
    // following discovery". VT 2435(b)(2) and NC 75-65(b): "immediately following discovery of the breach".
    // TX 521.053(c): "immediately after discovering the breach" (workplaceprivacyreport).
    const t = timelineFor({reporter: 'business-associate', discovered: '2026-03-02', affected: {AL: 5, CA: 5, FL: 5, NC: 5, OR: 5, TX: 5, VT: 5}})
    expect(ids(t)).toEqual(['covered-entity', ...['AL', 'CA', 'FL', 'NC', 'OR', 'TX', 'VT'].map((s) => `state:${s}:covered-entity`)])
    expect(byId(t, 'state:AL:covered-entity')).toMatchObject({due: '2026-03-12', status: 'secondary'})
    expect(byId(t, 'state:FL:covered-entity')).toMatchObject({due: '2026-03-12', status: 'secondary'})
    for (const state of ['CA', 'NC', 'VT']) expect(byId(t, `state:${state}:covered-entity`)).toMatchObject({due: null, status: 'verified', due_text: expect.stringMatching(/^immediately/)})
    expect(byId(t, 'state:TX:covered-entity')).toMatchObject({due: null, status: 'secondary'})
    expect(byId(t, 'state:OR:covered-entity').due).toBe('2026-03-12')
  })

  it('S3 Pennsylvania (Act 33 of 2024): the AG with the resident notice when more than 500', () => {
    // Constangy: "If notice of a breach must be given to more than 500 individuals, notice must made at the same
    // time to the Office of the Attorney General" (effective 2024-09-26).
    const t = timelineFor({regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2026-03-02', affected: {PA: 501}})
    expect(byId(t, 'state:PA:regulator')).toMatchObject({due: null, status: 'secondary', chained: {after: 'state:PA:individuals', relation: 'not later than'}})
    expect(ids(timelineFor({discovered: '2026-03-02', affected: {PA: 500}}))).not.toContain('state:PA:regulator')
    expect(ids(timelineFor({discovered: '2024-09-25', affected: {PA: 900}}))).not.toContain('state:PA:regulator')
  })

  it('S4 Oklahoma (SB 626, from 2026-01-01): the AG within 60 days after the resident notice, at 500 or more', () => {
    // tenaco.com: AG notice "without unreasonable delay but in no event more than 60 days after providing notice
    // to impacted Oklahoma residents"; 500 or more residents.
    const t = timelineFor({discovered: '2026-03-02', affected: {OK: 500}, planned: {'state:OK:individuals': '2026-03-20'}})
    expect(byId(t, 'state:OK:regulator')).toMatchObject({due: '2026-05-19', status: 'secondary', chained: {from: '2026-03-20', planned: true}})
    expect(ids(timelineFor({discovered: '2026-03-02', affected: {OK: 499}}))).not.toContain('state:OK:regulator')
    expect(ids(timelineFor({discovered: '2025-12-31', affected: {OK: 900}}))).not.toContain('state:OK:regulator')
  })

  it('S5 Utah (SB 127, from 2023-05-03): the AG and the Utah Cyber Center at 500 or more', () => {
    // Perkins Coie: "If an Entity must notify 500 or more UT residents, it must also notify the Office of the
    // Attorney General, and the Utah Cyber Center".
    expect(byId(timelineFor({discovered: '2026-03-02', affected: {UT: 500}}), 'state:UT:regulator').audience).toMatch(/Utah Cyber Center/)
    expect(ids(timelineFor({discovered: '2026-03-02', affected: {UT: 499}}))).not.toContain('state:UT:regulator')
    expect(ids(timelineFor({discovered: '2023-05-02', affected: {UT: 900}}))).not.toContain('state:UT:regulator')
  })

  it('S6: New Jersey State Police before customers; North Carolina and Virginia attorneys general', () => {
    // N.J.S.A. 56:8-163(c)(1): "shall, in advance of the disclosure to the customer, report the breach … to the
    // Division of State Police". NC: "Breach reporting to the Consumer Protection Division of the Attorney General's
    // Office must be completed without unreasonable delay" (csrps). VA: "Attorney General Notice Required: Yes" (Klinedinst).
    const t = timelineFor({discovered: '2026-03-02', affected: {NC: 3, NJ: 3, VA: 3}})
    expect(byId(t, 'state:NJ:state-police')).toMatchObject({status: 'verified', chained: {after: 'state:NJ:individuals', relation: 'before'}})
    expect(byId(t, 'state:NC:regulator').audience).toMatch(/Consumer Protection Division/)
    expect(byId(t, 'state:VA:regulator').audience).toBe('Virginia Attorney General')
  })

  it('S7 Florida: the 15-day extension is for the individual notice; a HIPAA entity sends the Department a copy', () => {
    // "A covered entity may receive 15 additional days to provide notice as required in subsection (4)" (recalled;
    // dwt.com); (4)(g): deemed compliance needs "a copy of such notice" to the Department.
    const t = timelineFor({discovered: '2025-09-02', affected: {FL: 500}})
    expect(byId(t, 'state:FL:individuals').due_if_extended).toBe('2025-10-17')
    expect(byId(t, 'state:FL:regulator').due_if_extended).toBeUndefined()
    expect(byId(t, 'state:FL:regulator:copy')).toMatchObject({due: null, status: 'unverified'})
  })

  it('S8 Illinois: a HIPAA entity gets only the AG notice 5 business days after HHS', () => {
    // csrps: "Businesses subject to HIPAA and HITECH … must notify the Attorney General within 5 days after
    // notification is made to the Secretary" (530/50 deems HIPAA compliance to satisfy the Act).
    expect(ids(timelineFor({discovered: '2026-03-02', affected: {IL: 600}})).filter((id) => id.startsWith('state:'))).toEqual(['state:IL:regulator:after-hhs'])
    expect(ids(timelineFor({regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2026-03-02', affected: {IL: 600}})).filter((id) => id.startsWith('state:'))).toEqual(['state:IL:individuals', 'state:IL:regulator'])
  })

  it('S10 Vermont: Town Meeting Day inside the 14 business days is named, with the date that skips it', () => {
    // 9 V.S.A. 2435(b)(3): preliminary notice within 14 business days; Town Meeting Day (Tue 2026-03-03) is a
    // Vermont legal holiday, "so the count likely ends 2026-03-23".
    const d = byId(timelineFor({discovered: '2026-03-02', affected: {VT: 20}}), 'state:VT:regulator')
    expect(d).toMatchObject({due: '2026-03-20', due_if_holidays_skipped: '2026-03-23'})
    expect(d.notes.join(' ')).toMatch(/VT holidays inside this count: Town Meeting Day \(Vermont\) \(Tue 2026-03-03\)/)
    // Capped by an earlier planned consumer notice ("or … consumer notice if that comes sooner"), the cap stands alone.
    const capped = byId(timelineFor({discovered: '2026-03-02', affected: {VT: 20}, planned: {'state:VT:individuals': '2026-03-10'}}), 'state:VT:regulator')
    expect(capped.due).toBe('2026-03-10')
    expect(capped.due_if_holidays_skipped).toBeUndefined()
  })

  it('S11: a state outside the table may require regulator notice; the warning no longer claims no day count', () => {
    const t = timelineFor({discovered: '2026-03-02', affected: {NV: 20}})
    expect(t.warnings.join(' ')).toMatch(/NV: not in the rules table; NV may require regulator notice/)
    expect(JSON.stringify(t)).not.toMatch(/no shorter statutory day count/)
  })

  it('H1/H2/H5/H6: statuses follow what was read', () => {
    const t = timelineFor({discovered: '2026-03-02', affected: {AL: 1001, NY: 5, TX: 300}, licensed_facility: 'CA'})
    expect(byId(t, 'state:AL:regulator').status).toBe('secondary')
    expect(byId(t, 'state:AL:individuals').status).toBe('verified')
    expect(byId(t, 'state:CA:regulator:cdph')).toMatchObject({status: 'verified', citation: expect.stringContaining('22 CCR 79902(a)'), source: expect.stringMatching(/^22 CCR 79902\(a\) regulation text/)})
    expect(byId(t, 'state:NY:regulator:after-hhs')).toMatchObject({status: 'verified', source: expect.stringMatching(/proteuscyber/)})
    expect(byId(t, 'state:TX:regulator').status).toBe('secondary')
  })

  it('every verified item names the statute or regulation text it was read in', () => {
    const items = [...[...STATE_RULES.values()].flatMap((r) => r.items.map((i) => ({...i, source: i.source ?? r.source}))), ...[...FACILITY_RULES.values()].flat()]
    for (const item of items.filter((i) => i.status === 'verified')) expect({citation: item.citation, source: item.source}).toEqual({citation: item.citation, source: expect.stringMatching(/text/)})
  })
})
