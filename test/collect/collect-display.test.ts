import {describe, expect, it} from 'vitest'

import {statusLine, stepLine} from '../../src/cli/collect-display.js'

describe('collect terminal lines (newcomer M1, m12)', () => {
  it('names a step, not find\'s -printf formats', () => {
    const line = stepLine({argv: ['find', '/var/data/phi', '-mindepth', '1', '(', '-newermt', '@1795142224.000', ')', '-printf', 'R%y\\0%s\\0', '-o', '-printf', '.%T@\\0'], collector: 'phi-files', duration_ms: 12, status: 'ok', step: 'command'})
    expect(line).toBe('PHI walk of /var/data/phi (find): ok (12 ms)')
  })

  it('a posture probe that fails is "not available", other collectors keep "failed"', () => {
    expect(stepLine({argv: ['dmsetup', 'status'], collector: 'posture', duration_ms: 3, status: 'failed', step: 'command'})).toBe('dmsetup status: not available (3 ms)')
    expect(stepLine({argv: ['ss', '-antp'], collector: 'network', duration_ms: 3, status: 'failed', step: 'command'})).toBe('ss -antp: failed (3 ms)')
  })

  it('the status line names every skipped collector with its short reason', () => {
    const skipped = [{brief: 'no audit log', id: 'audit', reason: 'x'}, {brief: 'no PHI folder', id: 'phi-files', reason: 'y'}]
    expect(statusLine({applicable: 6, skipped, status: 'incomplete'})).toBe('status   incomplete: 2 of 6 collectors skipped (audit: no audit log; phi-files: no PHI folder)')
    expect(statusLine({applicable: 6, skipped: [], status: 'complete'})).toBe('status   complete')
    expect(statusLine({applicable: 6, skipped: skipped.slice(0, 1), status: 'partial'})).toMatch(/^status   partial \(exit 4.*\); 1 of 6 collectors skipped \(audit: no audit log\)$/)
  })
})
