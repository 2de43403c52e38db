import {execa} from 'execa'
import fc from 'fast-check'
import {randomBytes} from 'node:crypto'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {gunzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

import {parallelGzip} from '../../src/io/parallel-gzip.js'

async function compress(chunks: Buffer[], options: Parameters<typeof parallelGzip>[0]): Promise<Buffer> {
  const out: Buffer[] = []
  await pipeline(Readable.from(chunks), parallelGzip(options), async function* (source) {
    for await (const chunk of source) out.push(chunk as Buffer)
  })
  return Buffer.concat(out)
}

describe('parallelGzip', () => {
  it('round-trips any input, however it is chunked and whatever the block size and parallelism', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({maxLength: 300}), {maxLength: 20}),
        fc.integer({max: 700, min: 1}),
        fc.integer({max: 5, min: 1}),
        async (parts, blockBytes, parallel) => {
          const chunks = parts.map((p) => Buffer.from(p))
          const gz = await compress(chunks, {blockBytes, parallel})
          expect(gunzipSync(gz).equals(Buffer.concat(chunks))).toBe(true)
        },
      ),
      {numRuns: 200},
    )
  })

  it('writes a valid gzip file for empty input', async () => {
    const gz = await compress([], {})
    expect(gunzipSync(gz).length).toBe(0)
  })

  it('is read back by stock gzip, in order, across many members', async () => {
    const data = Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.from('x'.repeat(5 * 1024 * 1024)), randomBytes(123_457)])
    const chunks: Buffer[] = []
    for (let at = 0; at < data.length; at += 65_536) chunks.push(data.subarray(at, at + 65_536))
    const gz = await compress(chunks, {blockBytes: 1024 * 1024, parallel: 3})
    const {stdout} = await execa('gzip', ['-dc'], {encoding: 'buffer', input: gz})
    expect(Buffer.from(stdout).equals(data)).toBe(true)
    const tested = await execa('gzip', ['-t'], {input: gz, reject: false})
    expect(tested.exitCode).toBe(0)
  })
})
