import fc from 'fast-check'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {beforeAll, describe, expect, it} from 'vitest'

import {readLineBatches, readLines} from '../../src/io/line-reader.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-lines-')
})

async function collect(path: string, max?: number, start?: number): Promise<string[]> {
  const lines: string[] = []
  for await (const batch of readLineBatches(path, max, start)) lines.push(...batch)
  return lines
}

/** What the reader must return: LF-separated lines, the CR of a CRLF dropped, each cut to max. */
function expected(text: string, max: number): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line).slice(0, max))
}

describe('readLineBatches', () => {
  it('returns exactly the lines of any text, plain or gzipped, whatever the line-length limit', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({unit: 'grapheme'}), fc.constantFrom('\n', '\r\n', '\r', '\n\n', 'é', '😀')), {maxLength: 60}),
        fc.integer({max: 40, min: 1}),
        fc.boolean(),
        async (pieces, max, gz) => {
          const text = pieces.join('')
          const path = join(dir, `p${n++}${gz ? '.gz' : ''}`)
          await writeFile(path, gz ? gzipSync(text) : text)
          expect(await collect(path, max)).toEqual(expected(text, max))
        },
      ),
      {numRuns: 300},
    )
  })

  it('splits lines that straddle chunk boundaries, multi-byte characters included, and cuts long ones', async () => {
    // 256 KiB chunks: lines of 1..3000 characters with a 4-byte character in each cross many boundaries.
    const lines = Array.from({length: 2000}, (_, i) => `${'x'.repeat(i % 3000)}😀${i}`)
    const long = 'y'.repeat(600_000)
    const text = `${lines.join('\r\n')}\n${long}\nlast`
    const path = join(dir, 'big.log')
    await writeFile(path, text)
    const read = await collect(path)
    expect(read.length).toBe(2002)
    expect(read.slice(0, 2000)).toEqual(lines)
    expect(read[2000]).toBe('y'.repeat(256 * 1024))
    expect(read[2001]).toBe('last')
    expect(await collect(path, 100)).toEqual(expected(text, 100))
    expect(await collect(path, 2999)).toEqual(expected(text, 2999))
    let batches = 0
    for await (const batch of readLineBatches(path)) batches += batch.length > 0 ? 1 : 0
    expect(batches).toBeGreaterThan(1)
  })

  it('keeps a lone CR inside its line, so text after it cannot pose as a log line of its own', async () => {
    const path = join(dir, 'cr.log')
    await writeFile(path, 'Mar  3 14:22:01 web01 sshd[1]: Invalid user x\rMar  3 14:22:02 web01 sshd[1]: Accepted password for root\n')
    expect(await collect(path)).toEqual(['Mar  3 14:22:01 web01 sshd[1]: Invalid user x\rMar  3 14:22:02 web01 sshd[1]: Accepted password for root'])
  })

  it('turns invalid UTF-8 into U+FFFD and reads from a byte offset', async () => {
    const path = join(dir, 'bad.log')
    await writeFile(path, Buffer.concat([Buffer.from('first\nab'), Buffer.from([0xff, 0xfe]), Buffer.from('cd\nthird\n')]))
    expect(await collect(path)).toEqual(['first', 'ab\uFFFD\uFFFDcd', 'third'])
    expect(await collect(path, undefined, 6)).toEqual(['ab\uFFFD\uFFFDcd', 'third'])
  })

  it('readLines yields the same lines one at a time', async () => {
    const path = join(dir, 'same.log')
    await writeFile(path, 'a\r\nb\n\nc')
    const lines: string[] = []
    for await (const line of readLines(path)) lines.push(line)
    expect(lines).toEqual(['a', 'b', '', 'c'])
  })

  it('names a missing file with ENOENT', async () => {
    await expect(collect(join(dir, 'missing.log'))).rejects.toMatchObject({code: 'ENOENT'})
  })
})
