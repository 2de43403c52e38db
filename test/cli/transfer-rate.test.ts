/** The push progress bar's rate and time left. */
import {describe, expect, it} from 'vitest'

import {formatClock, transferStats} from '../../src/cli/transfer-rate.js'

const MiB = 1024 * 1024

describe('transferStats', () => {
  it('gives the average rate and the time left at that rate', () => {
    expect(transferStats(20 * MiB, 100 * MiB, 2000)).toEqual({eta: '0:08', rate: '10.0 MiB/s'})
    expect(transferStats(1 * MiB, 1024 * MiB, 1000)).toEqual({eta: '17:03', rate: '1.0 MiB/s'})
    expect(transferStats(100 * MiB, 100 * MiB, 4000)).toEqual({eta: '0:00', rate: '25.0 MiB/s'})
  })

  it('says unknown before a second has passed or a byte was sent', () => {
    expect(transferStats(5 * MiB, 10 * MiB, 200)).toEqual({eta: '--:--', rate: '-- MiB/s'})
    expect(transferStats(0, 10 * MiB, 5000)).toEqual({eta: '--:--', rate: '-- MiB/s'})
  })

  it('formats hours as h:mm:ss', () => {
    expect(formatClock(3725)).toBe('1:02:05')
    expect(formatClock(59.6)).toBe('1:00')
  })
})
