import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'

/** SHA-256 (hex) of a file, streaming, with its size. */
export async function sha256File(path: string): Promise<{sha256: string; size: number}> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    size += chunk.length
  }
  return {sha256: hash.digest('hex'), size}
}
