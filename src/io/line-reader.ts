import {createReadStream} from 'node:fs'
import {StringDecoder} from 'node:string_decoder'
import {createGunzip} from 'node:zlib'
import type {Readable} from 'node:stream'

const CHUNK_BYTES = 256 * 1024

/**
 * Streams the lines of a log file in batches (one batch per chunk read), gunzipping `.gz` files on
 * the fly. Lines end at LF; a CR before the LF (CRLF files) is dropped, and a lone CR stays inside
 * its line (so text smuggled after a CR cannot pose as a separate log line). Lines are decoded as
 * UTF-8 (invalid bytes become U+FFFD), and a line longer than `maxLineChars` is cut there, so one
 * hostile line cannot exhaust memory. Batches cost one await per chunk instead of one per line,
 * which is what a five-million-line auth.log needs.
 */
export async function* readLineBatches(path: string, maxLineChars = 256 * 1024, start = 0): AsyncGenerator<string[]> {
  const file = createReadStream(path, {highWaterMark: CHUNK_BYTES, start})
  let input: Readable = file
  if (path.endsWith('.gz')) {
    const gunzip = createGunzip({chunkSize: CHUNK_BYTES})
    file.on('error', (error) => gunzip.destroy(error))
    input = file.pipe(gunzip)
  }
  const decoder = new StringDecoder('utf8')
  // The start of the line that the last chunk left unfinished, already cut to maxLineChars.
  let carry = ''
  let carried = false

  const finish = (piece: string, batch: string[]): void => {
    let line = carried ? carry + piece : piece
    if (line.length > maxLineChars) line = line.slice(0, maxLineChars)
    else if (line.endsWith('\r')) line = line.slice(0, -1)
    batch.push(line)
    carry = ''
    carried = false
  }

  const keep = (piece: string): void => {
    if (piece === '') return
    if (carry.length < maxLineChars) carry = (carry + piece).slice(0, maxLineChars + 1)
    carried = true
  }

  const split = (text: string): string[] => {
    const batch: string[] = []
    let from = 0
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', from)) {
      // Only the part of an overlong line that is kept is sliced out.
      const room = carried ? Math.max(0, maxLineChars + 1 - carry.length) : maxLineChars + 1
      finish(text.slice(from, Math.min(newline, from + room)), batch)
      from = newline + 1
    }
    keep(text.slice(from, from + maxLineChars + 1))
    return batch
  }

  try {
    for await (const chunk of input) {
      const batch = split(decoder.write(chunk as Buffer))
      if (batch.length > 0) yield batch
    }
    const batch = split(decoder.end())
    if (carried) finish('', batch)
    if (batch.length > 0) yield batch
  } finally {
    input.destroy()
    file.destroy()
  }
}

/** The lines of a log file one by one (see readLineBatches, which is faster for long files). */
export async function* readLines(path: string, maxLineChars = 256 * 1024, start = 0): AsyncGenerator<string> {
  for await (const batch of readLineBatches(path, maxLineChars, start)) yield* batch
}
