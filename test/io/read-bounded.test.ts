import {readFileSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {readRegularFileBounded} from '../../src/io/root-fs.js'
import {makeTempDir} from '../helpers/temp.js'

const MiB = 1024 * 1024
let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-bounded-')
})

// The persistence collector reads a few hundred small unit files under a 16 MiB cap: each read used
// to allocate (and zero, and keep alive) the whole cap.
describe('readRegularFileBounded allocates for the file, not for the cap', () => {
  it('a small file under a 16 MiB cap: its bytes, in a buffer far smaller than the cap', async () => {
    const path = join(work, 'unit.service')
    await writeFile(path, '[Service]\nExecStart=/usr/bin/true\n')
    const bytes = readRegularFileBounded(path, 16 * MiB)
    expect(bytes.toString()).toBe('[Service]\nExecStart=/usr/bin/true\n')
    expect(bytes.buffer.byteLength).toBeLessThan(MiB)
  })

  it('a file larger than the first read, and one exactly at the cap, whole', async () => {
    for (const size of [200_000, MiB]) {
      const path = join(work, `f${size}`)
      const data = Buffer.alloc(size, 'abc')
      await writeFile(path, data)
      expect(readRegularFileBounded(path, MiB).equals(data), String(size)).toBe(true)
    }
  })

  it('a /proc file that reports size 0 is read to its end', () => {
    const bytes = readRegularFileBounded('/proc/self/status', MiB)
    expect(bytes.toString()).toMatch(/^Name:/)
    expect(bytes.length).toBeGreaterThan(100)
    expect(bytes.toString().split('\n')[0]).toBe(readFileSync('/proc/self/status', 'utf8').split('\n')[0])
  })

  it('still refuses a file above the cap (EFBIG), by its size or by what it holds', async () => {
    const path = join(work, 'big')
    await writeFile(path, Buffer.alloc(100_001))
    expect(() => readRegularFileBounded(path, 100_000)).toThrow(expect.objectContaining({code: 'EFBIG'}))
    // /proc/self/status reports 0 bytes but holds more than 16.
    expect(() => readRegularFileBounded('/proc/self/status', 16)).toThrow(expect.objectContaining({code: 'EFBIG'}))
  })
})
