/** Reads one small file `NAME/<member>` out of a bundle tarball, streaming (the rest is skipped). */
import {createReadStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'
import {extract} from 'tar-stream'

const MAX_MEMBER_BYTES = 16 * 1024 * 1024

/** The member's bytes, or undefined when it is missing, too large, or the tarball cannot be read. */
export async function readTarMember(tarball: string, member: string): Promise<Buffer | undefined> {
  const tar = extract()
  let found: Buffer | undefined
  tar.on('entry', (header, stream, next) => {
    const parts = header.name.split('/').filter((s) => s.length > 0)
    const wanted = found === undefined && parts.length === 2 && parts[1] === member && header.type === 'file'
      && (header.size ?? 0) <= MAX_MEMBER_BYTES
    if (!wanted) {
      stream.on('end', next)
      stream.resume()
      return
    }
    const chunks: Buffer[] = []
    stream.on('data', (c: unknown) => { chunks.push(c as Buffer) })
    stream.on('end', () => {
      found = Buffer.concat(chunks)
      next()
    })
  })
  try {
    await pipeline(createReadStream(tarball), createGunzip(), tar)
  } catch {
    // a damaged or foreign tarball: whatever was found before the damage stands
  }
  return found
}
