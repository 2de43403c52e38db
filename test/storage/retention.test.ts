import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {resolveLockSettings, retentionProblems} from '../../src/storage/retention.js'
import {backoffDelay, isRetryable, withRetry} from '../../src/storage/retry.js'

const now = new Date('2026-03-03T10:15:30.456Z')

describe('lock settings', () => {
  it('defaults to COMPLIANCE for 6 years (164.530(j)), whole seconds', () => {
    expect(resolveLockSettings({}, now)).toEqual({legalHold: false, mode: 'COMPLIANCE', retainUntil: new Date('2032-03-03T10:15:30Z')})
  })

  it('takes --retain-days, --retain-until (a bare date keeps the whole day), --mode and --legal-hold', () => {
    expect(resolveLockSettings({legalHold: true, mode: 'governance', retainDays: 1}, now))
      .toEqual({legalHold: true, mode: 'GOVERNANCE', retainUntil: new Date('2026-03-04T10:15:30Z')})
    expect(resolveLockSettings({retainUntil: '2033-01-01'}, now).retainUntil).toEqual(new Date('2033-01-01T23:59:59Z'))
  })

  it('refuses unusable values with a message naming the flag', () => {
    expect(() => resolveLockSettings({retainDays: 0}, now)).toThrow(/--retain-days/)
    expect(() => resolveLockSettings({retainUntil: '2020-01-01'}, now)).toThrow(/not in the future/)
    expect(() => resolveLockSettings({retainUntil: 'tomorrow'}, now)).toThrow(/ISO 8601/)
    expect(() => resolveLockSettings({retainDays: 3, retainUntil: '2033-01-01'}, now)).toThrow(/together/)
    expect(() => resolveLockSettings({mode: 'worm'}, now)).toThrow(/--mode/)
  })

  it('finds weak retention in a read-back', () => {
    const wanted = {mode: 'COMPLIANCE' as const, retainUntil: new Date('2030-01-01T00:00:00Z')}
    expect(retentionProblems({legalHold: false, mode: 'COMPLIANCE', retainUntil: new Date('2030-01-01T00:00:00Z')}, wanted, now)).toEqual([])
    expect(retentionProblems({legalHold: false}, wanted, now)).toEqual(['the object has no Object Lock retention'])
    expect(retentionProblems({legalHold: false, mode: 'GOVERNANCE', retainUntil: new Date('2031-01-01Z')}, wanted, now)[0]).toMatch(/expected COMPLIANCE/)
    expect(retentionProblems({legalHold: false, mode: 'COMPLIANCE', retainUntil: new Date('2029-01-01Z')}, wanted, now)[0]).toMatch(/earlier than/)
    expect(retentionProblems({legalHold: false, mode: 'COMPLIANCE', retainUntil: new Date('2026-01-01Z')}, {mode: 'COMPLIANCE'}, now)[0]).toMatch(/expired/)
    expect(retentionProblems({legalHold: false, mode: 'COMPLIANCE', retainUntil: new Date('2030-01-01Z')}, {...wanted, legalHold: true}, now)).toEqual(['legal hold was requested but is not ON'])
  })
})

describe('retry', () => {
  it('retries throttling and network faults, not client errors', () => {
    expect(isRetryable({$metadata: {httpStatusCode: 503}, name: 'SlowDown'})).toBe(true)
    expect(isRetryable(Object.assign(new Error('socket hang up'), {code: 'ECONNRESET'}))).toBe(true)
    expect(isRetryable({$metadata: {httpStatusCode: 403}, name: 'AccessDenied'})).toBe(false)
    expect(isRetryable({$metadata: {httpStatusCode: 400}, name: 'BadDigest'})).toBe(false)
    expect(isRetryable(new Error('x', {cause: {code: 'EPIPE'}}))).toBe(true)
  })

  it('backs off within [ceiling/2, ceiling], the ceiling doubling up to the maximum', () => {
    fc.assert(fc.property(fc.integer({max: 30, min: 1}), fc.double({max: 0.999, min: 0, noNaN: true}), (attempt, r) => {
      const ceiling = Math.min(5000, 200 * 2 ** (attempt - 1))
      const delay = backoffDelay(attempt, 200, 5000, () => r)
      expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2))
      expect(delay).toBeLessThanOrEqual(ceiling)
    }))
  })

  it('stops after the budget and rethrows the last error', async () => {
    let calls = 0
    const slow = {$metadata: {httpStatusCode: 503}, name: 'SlowDown'}
    await expect(withRetry(async () => { calls++; throw slow }, {attempts: 3, sleep: async () => undefined})).rejects.toBe(slow)
    expect(calls).toBe(3)
    calls = 0
    await expect(withRetry(async () => { calls++; if (calls < 3) throw slow; return 'ok' }, {sleep: async () => undefined})).resolves.toBe('ok')
  })
})
