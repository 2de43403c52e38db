import {createReadStream} from 'node:fs'
import {createInterface} from 'node:readline'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'

/**
 * Streams the lines of a log file, gunzipping `.gz` files on the fly. Lines are decoded as UTF-8
 * (invalid bytes become U+FFFD) and a line longer than `maxLineChars` is cut, so one hostile line
 * cannot exhaust memory.
 */
export async function* readLines(path: string, maxLineChars = 256 * 1024, start = 0): AsyncGenerator<string> {
  const file = createReadStream(path, {highWaterMark: 256 * 1024, start})
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
