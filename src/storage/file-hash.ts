/** Streaming MD5 + SHA-256 of a file or a byte range of it (bounded memory). */
import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import type {Readable} from 'node:stream'

export interface Digests {
  /** '' when not computed (see hashFile). */
  md5Base64: string
  sha256Base64: string
  sha256Hex: string
  size: number
}

/**
 * Hashes `[start, start + length)` of the file, or the whole file when no range is given. A whole
 * file's MD5 is only sent by a single PUT, so it is left out ('') unless `md5` is asked for: on a
 * 1 GiB bundle it costs two seconds of CPU that a multipart upload never uses (uploadFile computes
 * it itself when it sends the file in one piece). Parts always carry their MD5 (Content-MD5).
 */
export async function hashFile(path: string, range?: {length: number; start: number}, options: {md5?: boolean} = {}): Promise<Digests> {
  const stream = range === undefined
    ? createReadStream(path, {highWaterMark: 1024 * 1024})
    : createReadStream(path, {end: range.start + range.length - 1, highWaterMark: 1024 * 1024, start: range.start})
  return hashStream(stream, {md5: options.md5 ?? range !== undefined})
}

/** SHA-256 alone (a read-back needs no MD5: MD5 costs more CPU than SHA-256 on SHA-NI hardware). */
export async function sha256Stream(stream: AsyncIterable<Buffer | Uint8Array | string> | Readable): Promise<{sha256Hex: string; size: number}> {
  const sha256 = createHash('sha256')
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha256.update(chunk)
    size += chunk.length
  }
  return {sha256Hex: sha256.digest('hex'), size}
}

export async function hashStream(stream: AsyncIterable<Buffer | Uint8Array | string> | Readable, options: {md5?: boolean} = {}): Promise<Digests> {
  const md5 = options.md5 === false ? undefined : createHash('md5')
  const sha256 = createHash('sha256')
  let size = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    md5?.update(chunk)
    sha256.update(chunk)
    size += chunk.length
  }
  const sha = sha256.digest()
  return {md5Base64: md5?.digest('base64') ?? '', sha256Base64: sha.toString('base64'), sha256Hex: sha.toString('hex'), size}
}
