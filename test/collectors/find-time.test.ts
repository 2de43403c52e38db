import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {findTimeMs} from '../../src/collectors/runners/phi-walk.js'

/** The earlier, split-based parse of find's `%T@`: the reference the faster one must equal. */
function reference(text: string): number {
  const [seconds = '0', fraction = ''] = text.split('.')
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3))
  return Number(seconds) * 1000 + (text.startsWith('-') ? -ms : ms)
}

describe("findTimeMs (find's %T@ as whole milliseconds, truncated)", () => {
  it('reads what GNU find prints, before and after 1970, with any number of fraction digits', () => {
    expect(findTimeMs('1767225600.1239999990')).toBe(1_767_225_600_123)
    expect(findTimeMs('1767225600.5')).toBe(1_767_225_600_500)
    expect(findTimeMs('1767225600')).toBe(1_767_225_600_000)
    expect(findTimeMs('-5.25')).toBe(-5250)
    expect(findTimeMs('-0.5')).toBe(-500)
  })

  it('equals the reference parse on any seconds and fraction', () => {
    fc.assert(
      fc.property(fc.integer({max: 253_402_300_799, min: -62_167_219_200}), fc.option(fc.stringMatching(/^[0-9]{0,12}$/)), (seconds, fraction) => {
        const text = fraction === null ? String(seconds) : `${seconds}.${fraction}`
        expect(findTimeMs(text)).toBe(reference(text))
      }),
      {numRuns: 5000},
    )
  })
})
