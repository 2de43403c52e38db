/** The digests of an upload, and a streaming SHA-256 (bounded memory) for bytes read back. */
import {createHash} from 'node:crypto'
import type {Readable} from 'node:stream'

export interface Digests {
  /** The whole file's MD5 ('' for a multipart upload: its parts carry their own). */
  md5Base64: string
  sha256Base64: string
  sha256Hex: string
  size: number
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
