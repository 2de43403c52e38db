import {describe, expect, it} from 'vitest'

import {annualLogDate, isIsoDate, plusBusinessDays, plusDays, weekdayOf} from '../../src/timeline/calendar.js'

describe('calendar conventions (breach-rules.md §0)', () => {
  it.each([
    ['2025-01-01', '2025-03-02'],
    ['2024-01-01', '2024-03-01'],
    ['2023-12-31', '2024-02-29'],
    ['2025-03-10', '2025-05-09'],
  ])('%s + 60 calendar days = %s (no roll-forward)', (from, to) => expect(plusDays(from, 60)).toBe(to))

  it.each([
    [2019, '2020-02-29'],
    [2023, '2024-02-29'],
    [2024, '2025-03-01'],
    [2025, '2026-03-01'],
    [2027, '2028-02-29'],
  ])('annual log for breaches discovered in %i: %s', (year, due) => expect(annualLogDate(year)).toBe(due))

  it('business days skip weekends from the day after', () => {
    expect(plusBusinessDays('2025-09-08', 14)).toBe('2025-09-26')
    expect(plusBusinessDays('2020-02-29', 5)).toBe('2020-03-06')
    expect(plusBusinessDays('2026-03-01', 5)).toBe('2026-03-06')
  })

  it('weekday names and real dates', () => {
    expect(weekdayOf('2026-03-01')).toBe('Sun')
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2025-02-29')).toBe(false)
    expect(isIsoDate('2025-2-1')).toBe(false)
  })
})
