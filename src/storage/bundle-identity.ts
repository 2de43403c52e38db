/** CASE and HOST of a bundle: from its name `CASE_HOST_YYYYMMDDTHHMMSSZ`, else from `NAME/manifest.json` inside the tarball. */
import {createReadStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'
import {extract} from 'tar-stream'

import {bundleNameFromPath, isSafeSegment, parseBundleName, type BundleName} from './object-key.js'

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024

export async function bundleIdentity(tarball: string): Promise<BundleName> {
  const name = bundleNameFromPath(tarball)
  const parsed = parseBundleName(name)
  if (parsed !== undefined) return parsed
  const manifest = await readManifest(tarball)
  if (manifest === undefined || !isSafeSegment(manifest.case) || !isSafeSegment(manifest.host) || !isSafeSegment(name)) {
    throw new RangeError(`${name} is not named CASE_HOST_YYYYMMDDTHHMMSSZ and has no readable manifest.json with case and host`)
  }
  return {caseId: manifest.case, host: manifest.host, name, stamp: ''}
}

async function readManifest(tarball: string): Promise<undefined | {case: string; host: string}> {
  const tar = extract()
  let found: undefined | {case: string; host: string}
  tar.on('entry', (header, stream, next) => {
    const depth = header.name.split('/').filter((s) => s.length > 0)
    if (found === undefined && depth.length === 2 && depth[1] === 'manifest.json' && (header.size ?? 0) <= MAX_MANIFEST_BYTES) {
      const chunks: Buffer[] = []
      stream.on('data', (c: unknown) => { chunks.push(c as Buffer) })
      stream.on('end', () => {
        try {
          const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {case?: unknown; host?: unknown}
          if (typeof m.case === 'string' && typeof m.host === 'string') found = {case: m.case, host: m.host}
        } catch {
          // not JSON: treat as absent
        }
        next()
      })
    } else {
      stream.on('end', next)
      stream.resume()
    }
  })
  try {
    await pipeline(createReadStream(tarball), createGunzip(), tar)
  } catch {
    return found
  }
  return found
}
