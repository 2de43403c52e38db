import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'

/**
 * Streams the lines of a log file, gunzipping `.gz` files on the fly. Lines are decoded as UTF-8
 * (invalid bytes become U+FFFD) and a line longer than `maxLineChars` is cut, so one hostile line
 * cannot exhaust memory.
 */
export async function* readLines(path: string, maxLineChars = 256 * 1024): AsyncGenerator<string> {
  const file = createReadStream(path, {highWaterMark: 256 * 1024})
  let input: Readable = file
  if (path.endsWith('.gz')) {
    const gunzip = createGunzip()
    file.on('error', (error) => gunzip.destroy(error))
    input = file.pipe(gunzip)
  }
  const lines = createInterface({crlfDelay: Number.POSITIVE_INFINITY, input})
  try {
    for await (const line of lines) yield line.length > maxLineChars ? line.slice(0, maxLineChars) : line
  } finally {
    lines.close()
    input.destroy()
  }
}

/**
 * The lines of a buffer already in memory (a command's captured output), decoded one at a time,
 * so the whole output never exists a second time as one string and an array of lines.
 */
export function* linesOfBuffer(buffer: Uint8Array, maxLineChars = 256 * 1024): Generator<string> {
  const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  let start = 0
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start)
    if (end === -1) end = bytes.length
    const line = bytes.toString('utf8', start, end > start && bytes[end - 1] === 13 ? end - 1 : end)
    yield line.length > maxLineChars ? line.slice(0, maxLineChars) : line
    start = end + 1
  }
}
