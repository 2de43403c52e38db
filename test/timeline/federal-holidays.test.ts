import {describe, expect, it} from 'vitest'

import {describeHoliday, federalHolidaysBetween} from '../../src/timeline/federal-holidays.js'
import {byId, timelineFor} from './helpers.js'

const dates = (from: string, to: string) => federalHolidaysBetween(from, to).map((h) => h.date)

describe('federal holidays (5 U.S.C. 6103, observed dates as OPM publishes them)', () => {
  it('2025: every holiday on its day', () => {
    expect(dates('2024-12-31', '2025-12-31')).toEqual([
      '2025-01-01', '2025-01-20', '2025-02-17', '2025-05-26', '2025-06-19', '2025-07-04', '2025-09-01', '2025-10-13', '2025-11-11', '2025-11-27', '2025-12-25',
    ])
  })

  it('2026: Independence Day on a Saturday is observed on Friday July 3', () => {
    expect(dates('2025-12-31', '2026-12-31')).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ])
  })

  it('moves Sunday holidays to Monday and a Saturday New Year to the Friday before, in the old year', () => {
    expect(dates('2022-12-20', '2023-01-05')).toEqual(['2022-12-26', '2023-01-02'])
    expect(dates('2021-12-20', '2022-01-05')).toEqual(['2021-12-24', '2021-12-31'])
    expect(dates('2027-12-28', '2028-01-04')).toEqual(['2027-12-31'])
  })

  it('has no Juneteenth before 2021, and counts from the day after the start', () => {
    expect(dates('2020-06-01', '2020-06-30')).toEqual([])
    expect(dates('2025-09-01', '2025-09-30')).toEqual([])
    expect(dates('2025-08-31', '2025-09-01')).toEqual(['2025-09-01'])
    expect(describeHoliday(federalHolidaysBetween('2025-08-31', '2025-09-01')[0] as never)).toBe('Labor Day (Mon 2025-09-01)')
  })
})

describe('business-day deadlines and federal holidays', () => {
  it('names Labor Day inside the Vermont preliminary count but never moves the date', () => {
    const timeline = timelineFor({affected: {VT: 1500}, discovered: '2025-08-25'})
    const vt = byId(timeline, 'state:VT:regulator')
    // 14 business days from Mon 2025-08-25, weekends skipped only: Labor Day does not move it.
    expect(vt.due).toBe('2025-09-12')
    expect(vt.notes.join(' ')).toContain("Federal holidays inside this count: Labor Day (Mon 2025-09-01). If VT's offices close on them")
  })

  it('says when no federal holiday falls inside the count (worked case 18)', () => {
    const vt = byId(timelineFor({affected: {VT: 1500}, discovered: '2025-09-08'}), 'state:VT:regulator')
    expect(vt.due).toBe('2025-09-26')
    expect(vt.notes.join(' ')).toContain('No federal holiday falls inside this count')
  })
})
