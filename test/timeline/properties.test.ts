import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {plusDays, toIso} from '../../src/timeline/calendar.js'
import {STATE_CODES} from '../../src/timeline/facts/state-codes.js'
import {byId, timelineFor} from './helpers.js'

const date = fc.date({min: new Date(2000, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true}).map((d) => toIso(d))
const affected = fc.dictionary(fc.constantFrom(...STATE_CODES), fc.integer({min: 0, max: 5000}), {minKeys: 1, maxKeys: 6})
  .filter((a) => Object.values(a).some((n) => n > 0))

describe('timeline properties', () => {
  it('without a delay, the individual deadline is never later than discovery + 60 days', () => {
    fc.assert(
      fc.property(date, affected, fc.integer({min: 0, max: 40}), (discovered, counts, insufficient) => {
        const total = Object.values(counts).reduce((a, b) => a + b, 0)
        // insufficient_contact counts people among those affected (more is refused: law review F9).
        const t = timelineFor({discovered, affected: counts, insufficient_contact: Math.min(insufficient, total)})
        expect(byId(t, 'individuals').due! <= plusDays(discovered, 60)).toBe(true)
        for (const d of t.deadlines.filter((x) => x.regime === 'federal')) expect(d.due! <= plusDays(`${discovered.slice(0, 4)}-12-31`, 60)).toBe(true)
      }),
    )
  })

  it('hhs-annual always falls on February 29 or March 1', () => {
    fc.assert(
      fc.property(date, fc.constantFrom(...STATE_CODES), fc.integer({min: 1, max: 499}), (discovered, state, n) => {
        const due = byId(timelineFor({discovered, affected: {[state]: n}}), 'hhs-annual').due ?? ''
        expect(['02-29', '03-01']).toContain(due.slice(5))
        expect(Number(due.slice(0, 4))).toBe(Number(discovered.slice(0, 4)) + 1)
      }),
    )
  })

  it('media items appear only for states above 500, one per state', () => {
    fc.assert(
      fc.property(date, affected, (discovered, counts) => {
        const t = timelineFor({discovered, affected: counts})
        const media = t.deadlines.filter((d) => d.id.startsWith('media:')).map((d) => d.id.slice(6)).sort()
        const expected = Object.entries(counts).filter(([, n]) => n > 500).map(([s]) => s).sort()
        expect(media).toEqual(expected)
      }),
    )
  })

  it('every deadline has a status, a citation, and days_left consistent with as-of', () => {
    fc.assert(
      fc.property(date, affected, date, (discovered, counts, asOf) => {
        const t = timelineFor({discovered, affected: counts}, asOf)
        for (const d of t.deadlines) {
          expect(['verified', 'secondary', 'unverified']).toContain(d.status)
          expect(d.citation.length).toBeGreaterThan(0)
          if (d.due !== null) expect(plusDays(asOf, d.days_left ?? Number.NaN)).toBe(d.due)
        }
        const sorted = t.deadlines.filter((d) => d.due !== null).map((d) => d.due as string)
        expect([...sorted].sort()).toEqual(sorted)
      }),
      {numRuns: 60},
    )
  })

  it('a written delay never makes a deadline earlier, and tolling is never earlier than the conservative date', () => {
    fc.assert(
      fc.property(date, fc.integer({min: 0, max: 90}), fc.integer({min: 0, max: 200}), (discovered, startAfter, length) => {
        const received = plusDays(discovered, startAfter)
        const t = timelineFor({discovered, affected: {OH: 700}, law_enforcement_delay: {kind: 'written', received, until: plusDays(received, length)}})
        const d = byId(t, 'individuals')
        expect(d.due! >= plusDays(discovered, 60)).toBe(true)
        // A statement received after day 60 excuses nothing: the date stays and the hold is shown (law review F3).
        if (received > plusDays(discovered, 60)) expect(d).toMatchObject({due: plusDays(discovered, 60), held_until: plusDays(received, length)})
        else expect(d.due_if_tolled! >= d.due!).toBe(true)
      }),
    )
  })
})
