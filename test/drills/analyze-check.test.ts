import {describe, expect, it} from 'vitest'

import type {Finding} from '../../src/analyze/finding.js'
import {compareAnalyze, perState} from '../../src/drills/analyze-check.js'
import {SCENARIOS} from '../../src/drills/scenarios/index.js'
import type {Scenario} from '../../src/drills/types.js'

const stuffing = SCENARIOS.find((s) => s.id === 'ssh-credential-stuffing') as Scenario
const finding = (rule: string) => ({rule}) as unknown as Finding

describe('compareAnalyze: analyze results against a scenario', () => {
  it('a rule of an expected finding is a match when any one of its rules fired; dates compare by day', () => {
    const matches = compareAnalyze(stuffing, [finding('auth.bruteforce-then-success'), finding('auth.off-hours-login')], {
      by_state: {FL: 230}, end: '2026-03-03T02:45:00.000Z', start: '2026-03-03T02:00:00.000Z',
    })
    expect(matches.find((m) => m.id === 'rule:breakthrough')).toMatchObject({expected: 'auth.bruteforce-then-success', found: 'auth.bruteforce-then-success', match: true})
    expect(matches.find((m) => m.id === 'rule:archived')).toMatchObject({expected: 'phi.exfil-tool', found: null, match: false})
    expect(matches.find((m) => m.id === 'breach.start')).toMatchObject({expected: '2026-03-03', found: '2026-03-03', match: true})
    expect(matches.find((m) => m.id === 'affected')).toMatchObject({expected: 'FL 230', found: 'FL 230', match: true})
  })

  it('no finding and no patient map: the draft says [[DECIDE]], every comparison is a miss with nothing found', () => {
    const matches = compareAnalyze(stuffing, [], {by_state: null, end: null, start: null})
    expect(matches.every((m) => !m.match && m.found === null)).toBe(true)
    expect(matches.map((m) => m.id)).toEqual(['rule:sources', 'rule:breakthrough', 'rule:archived', 'breach.start', 'breach.end', 'affected'])
  })

  it('people per state: states in order, states with no one left out', () => {
    expect(perState({CA: 60, NV: 0, AZ: 3})).toBe('AZ 3, CA 60')
  })
})
