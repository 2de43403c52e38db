import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {beforeInstant, isoFromMs} from '../../src/core/iso-time.js'

describe('isoFromMs', () => {
  it('matches Date#toISOString for any instant in years 0000-9999', () => {
    fc.assert(
      fc.property(fc.integer({max: 253_402_300_799_999, min: -62_167_219_200_000}), (ms) => {
        expect(isoFromMs(ms)).toBe(new Date(ms).toISOString())
      }),
      {numRuns: 20_000},
    )
  })

  it('matches at the edges: leap days, century years, the epoch, the ends of the range', () => {
    for (const text of ['1970-01-01T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '2100-03-01T00:00:00.000Z', '1900-02-28T12:00:00.001Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z']) {
      expect(isoFromMs(Date.parse(text))).toBe(text)
    }
  })

  it('defers to Date outside those years and for fractions, and throws as Date does for NaN', () => {
    expect(isoFromMs(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z')
    expect(isoFromMs(-62_167_219_200_001)).toBe('-000001-12-31T23:59:59.999Z')
    expect(isoFromMs(1.5)).toBe(new Date(1.5).toISOString())
    expect(() => isoFromMs(Number.NaN)).toThrow(RangeError)
  })
})

describe('beforeInstant', () => {
  it('agrees with comparing parsed instants, for ISO times of either shape', () => {
    fc.assert(
      fc.property(fc.integer({max: 300_000_000_000_000, min: -70_000_000_000_000}), fc.integer({max: 300_000_000_000_000, min: -70_000_000_000_000}), (since, at) => {
        const before = beforeInstant(new Date(since))
        expect(before(isoFromMs(at))).toBe(at < since)
        expect(before(new Date(at).toISOString())).toBe(at < since)
      }),
      {numRuns: 5000},
    )
  })
})
