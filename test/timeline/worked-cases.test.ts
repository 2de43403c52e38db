import {describe, expect, it} from 'vitest'

import {byId, ids, timelineFor} from './helpers.js'

/**
 * breach-rules.md §5, table-driven. Each row gives the facts and every expected deadline exactly:
 * id → due (null = no day count). `extra` checks the other readings (tolled, extended, chained).
 */
interface Case {
  n: number
  facts: Record<string, unknown>
  due: Record<string, string | null>
  extra?: (t: ReturnType<typeof timelineFor>) => void
  asOf?: string
}

const cases: Case[] = [
  {
    n: 1,
    facts: {discovered: '2025-03-10', affected: {MA: 1200}},
    due: {individuals: '2025-05-09', 'media:MA': '2025-05-09', hhs: '2025-05-09', 'state:MA:individuals': null, 'state:MA:regulator': null},
    extra: (t) => {
      expect(byId(t, 'individuals').weekday).toBe('Fri')
      expect(byId(t, 'state:MA:regulator').audience).toContain('OCABR')
    },
  },
  {n: 2, facts: {discovered: '2025-06-15', affected: {OH: 40}}, due: {individuals: '2025-08-14', 'hhs-annual': '2026-03-01', 'state:OH:individuals': '2025-07-30'}, extra: (t) => {
    expect(byId(t, 'hhs-annual').weekday).toBe('Sun')
    expect(byId(t, 'state:OH:individuals').notes.join(' ')).toContain('(deferred?)')
  }},
  {n: 3, facts: {discovered: '2023-12-31', affected: {MA: 25}}, due: {individuals: '2024-02-29', 'hhs-annual': '2024-02-29', 'state:MA:individuals': null, 'state:MA:regulator': null}},
  {
    n: 6,
    facts: {discovered: '2025-09-02', affected: {FL: 500}},
    due: {individuals: '2025-11-01', hhs: '2025-11-01', 'state:FL:individuals': '2025-10-02', 'state:FL:regulator': '2025-10-02', 'state:FL:regulator:copy': null},
    extra: (t) => {
      expect(byId(t, 'individuals').weekday).toBe('Sat')
      expect(byId(t, 'state:FL:individuals').due_if_extended).toBe('2025-10-17')
      // Law review S7: the good-cause extension is for the subsection (4) notice to individuals only.
      expect(byId(t, 'state:FL:regulator').due_if_extended).toBeUndefined()
    },
  },
  {
    n: 9,
    facts: {discovered: '2026-02-10', affected: {CA: 500, NY: 500}},
    due: {individuals: '2026-04-11', hhs: '2026-04-11', 'state:CA:individuals': '2026-03-12', 'state:NY:individuals': '2026-03-12', 'state:NY:regulator': '2026-03-12', 'state:NY:regulator:after-hhs': '2026-04-17'},
    extra: (t) => {
      expect(byId(t, 'state:NY:regulator:after-hhs').chained).toMatchObject({after: 'hhs', from: '2026-04-11', planned: false})
      expect(byId(t, 'state:NY:regulator:after-hhs').status).toBe('verified')
    },
  },
  {
    n: 10,
    facts: {discovered: '2025-04-01', affected: {CO: 2000}, law_enforcement_delay: {kind: 'written', received: '2025-04-20', until: '2025-06-30'}},
    due: {individuals: '2025-06-30', 'media:CO': '2025-06-30', hhs: '2025-06-30', 'state:CO:individuals': '2025-05-01', 'state:CO:regulator': '2025-05-01'},
    extra: (t) => {
      for (const id of ['individuals', 'media:CO', 'hhs']) {
        expect(byId(t, id).original_due).toBe('2025-05-31')
        expect(byId(t, id).due_if_tolled).toBe('2025-08-10')
      }
      expect(byId(t, 'state:CO:individuals').notes.join(' ')).toMatch(/law-enforcement/)
    },
  },
  {
    n: 14,
    facts: {reporter: 'business-associate', discovered: '2025-05-05', affected: {OR: 800}},
    due: {'covered-entity': '2025-07-04', 'state:OR:covered-entity': '2025-05-15'},
  },
  {
    n: 14,
    facts: {affected: {OR: 800}, business_associate: {discovered: '2025-05-05', notified_ce: '2025-06-20', is_agent: true}},
    due: {individuals: '2025-07-04', 'media:OR': '2025-07-04', hhs: '2025-07-04', 'state:OR:individuals': '2025-08-04', 'state:OR:regulator': '2025-08-04'},
  },
  {
    n: 14,
    facts: {affected: {OR: 800}, business_associate: {discovered: '2025-05-05', notified_ce: '2025-06-20', is_agent: 'unknown'}},
    due: {individuals: '2025-07-04', 'media:OR': '2025-07-04', hhs: '2025-07-04', 'state:OR:individuals': '2025-08-04', 'state:OR:regulator': '2025-08-04'},
  },
  {
    n: 14,
    facts: {affected: {OR: 800}, business_associate: {discovered: '2025-05-05', notified_ce: '2025-06-20', is_agent: false}},
    due: {individuals: '2025-08-19', 'media:OR': '2025-08-19', hhs: '2025-08-19', 'state:OR:individuals': '2025-08-04', 'state:OR:regulator': '2025-08-04'},
  },
  {
    n: 18,
    facts: {discovered: '2025-09-08', affected: {VT: 1500}},
    due: {individuals: '2025-11-07', 'media:VT': '2025-11-07', hhs: '2025-11-07', 'state:VT:regulator': '2025-09-26', 'state:VT:individuals': '2025-10-23'},
  },
  {
    n: 20,
    facts: {discovered: '2026-03-02', affected: {CA: 1000}},
    due: {individuals: '2026-05-01', 'media:CA': '2026-05-01', hhs: '2026-05-01', 'state:CA:individuals': '2026-04-01', 'state:CA:regulator': '2026-04-16'},
    extra: (t) => expect(byId(t, 'state:CA:regulator').chained).toMatchObject({after: 'state:CA:individuals', from: '2026-04-01'}),
  },
  {
    n: 21,
    facts: {discovered: '2025-02-03', affected: {NY: 50}},
    due: {individuals: '2025-04-04', 'hhs-annual': '2026-03-01', 'state:NY:individuals': '2025-03-05', 'state:NY:regulator': '2025-03-05', 'state:NY:regulator:after-hhs': '2026-03-06'},
  },
  {
    n: 23,
    facts: {discovered: '2025-05-12', affected: {LA: 120}},
    due: {individuals: '2025-07-11', 'hhs-annual': '2026-03-01', 'state:LA:individuals': '2025-07-11', 'state:LA:regulator': '2025-07-21'},
    extra: (t) => expect(byId(t, 'state:LA:regulator').notes.join(' ')).toContain('names of all affected Louisiana residents'),
  },
  {
    n: 25,
    facts: {discovered: '2025-10-01', affected: {MD: 60}},
    due: {individuals: '2025-11-30', 'hhs-annual': '2026-03-01', 'state:MD:individuals': '2025-11-15', 'state:MD:regulator': '2025-11-15'},
    extra: (t) => {
      expect(byId(t, 'state:MD:individuals').weekday).toBe('Sat')
      expect(byId(t, 'state:MD:regulator').chained?.relation).toBe('before')
    },
  },
  {
    n: 26,
    asOf: '2025-03-01',
    facts: {discovered: '2025-01-12', breach: {start: '2025-01-10'}, affected: {WA: 100}},
    due: {individuals: '2025-03-13', 'hhs-annual': '2026-03-01', 'state:WA:individuals': '2025-02-11'},
    extra: (t) => {
      expect(byId(t, 'individuals').days_left).toBe(12)
      expect(byId(t, 'state:WA:individuals').overdue).toBe(true)
      expect(t.warnings[0]).toMatch(/OVERDUE.*state:WA:individuals/)
    },
  },
  {n: 28, facts: {discovered: '2024-01-01', affected: {MA: 20}}, due: {individuals: '2024-03-01', 'hhs-annual': '2025-03-01', 'state:MA:individuals': null, 'state:MA:regulator': null}},
  {
    n: 30,
    facts: {regime: 'ftc-hbnr', reporter: 'vendor', discovered: '2025-05-12', affected: {CA: 600, TX: 1400}},
    due: {individuals: '2025-07-11', 'media:CA': '2025-07-11', 'media:TX': '2025-07-11', ftc: '2025-07-11', 'state:CA:individuals': null, 'state:CA:regulator': null, 'state:TX:individuals': '2025-07-11', 'state:TX:regulator': '2025-06-11'},
    // 16 CFR 318.5(b), law review F11: "500 or more" (reliclawpllc, SECONDARY; the eCFR text was not read).
    extra: (t) => expect(byId(t, 'media:CA').status).toBe('secondary'),
  },
]

describe('breach-rules.md §5 worked cases', () => {
  it.each(cases.map((c) => [c.n, c] as const))('case %i', (_n, c) => {
    const t = timelineFor(c.facts, c.asOf)
    expect(t.notification_required).toBe(true)
    expect(ids(t)).toEqual(Object.keys(c.due).sort())
    for (const [id, due] of Object.entries(c.due)) expect({id, due: byId(t, id).due}).toEqual({id, due})
    c.extra?.(t)
  })

  it('case 15: secured PHI → no HIPAA notification, documentation listed; Texas items judged by Texas law', () => {
    const t = timelineFor({discovered: '2025-10-10', affected: {TX: 3000}, secured: true})
    expect(t.notification_required).toBe(false)
    expect(ids(t)).toEqual(['state:TX:individuals', 'state:TX:regulator'])
    expect(byId(t, 'state:TX:individuals').condition).toMatch(/encryption clause/)
    expect(t.reasons.join(' ')).toMatch(/[Ss]ecured PHI/)
    expect(t.documentation.join(' ')).toMatch(/NIST SP 800-111/)
    expect(t.documentation.join(' ')).toMatch(/164\.414\(b\)/)
  })

  it('case 6 and 9: media needs more than 500 in one state; HHS-now needs 500 or more in total', () => {
    expect(ids(timelineFor({discovered: '2025-09-02', affected: {FL: 501}}))).toContain('media:FL')
    expect(ids(timelineFor({discovered: '2025-09-02', affected: {FL: 499}}))).toContain('hhs-annual')
  })
})
