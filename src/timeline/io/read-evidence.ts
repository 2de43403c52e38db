import {createReadStream} from 'node:fs'
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {pipeline} from 'node:stream/promises'
import {createGunzip} from 'node:zlib'
import {extract} from 'tar-stream'

import {errnoCode, errorMessage} from '../../core/errors.js'

const POSTURE_IN_TAR = /^(?:\.\/)?[^/]+\/posture\/posture\.json$/
const MAX_POSTURE_BYTES = 8 * 1024 * 1024

export interface EvidenceRead {
  /** The posture.json text, when the bundle has one. */
  posture?: string
  /** Why nothing could be read (missing path, unreadable tarball), as a warning. */
  problem?: string
}

/** Reads NAME/posture/posture.json from a .tar.gz in memory (nothing is extracted to disk). */
async function fromTarball(path: string): Promise<EvidenceRead> {
  const tar = extract()
  let posture: string | undefined
  tar.on('entry', (header, stream, next) => {
    if (header.type === 'file' && POSTURE_IN_TAR.test(header.name) && (header.size ?? 0) <= MAX_POSTURE_BYTES) {
      const chunks: Buffer[] = []
      stream.on('data', (c: unknown) => {
        chunks.push(c as Buffer)
      })
      stream.on('end', () => {
        posture = Buffer.concat(chunks).toString('utf8')
        next()
      })
    } else {
      stream.on('end', () => next())
      stream.resume()
    }
  })
  await pipeline(createReadStream(path), createGunzip(), tar)
  return posture === undefined ? {} : {posture}
}

/** An extracted bundle: either the NAME/ folder itself or a folder holding one NAME/ folder. */
async function fromDirectory(path: string): Promise<EvidenceRead> {
  const direct = join(path, 'posture', 'posture.json')
  try {
    return {posture: await readFile(direct, 'utf8')}
  } catch {
    for (const entry of await readdir(path, {withFileTypes: true})) {
      if (!entry.isDirectory()) continue
      try {
        return {posture: await readFile(join(path, entry.name, 'posture', 'posture.json'), 'utf8')}
      } catch {
        // keep looking
      }
    }
  }
  return {}
}

/** Reads the posture snapshot from a bundle (folder or .tar.gz). Never throws: problems come back as text. */
export async function readEvidencePosture(path: string): Promise<EvidenceRead> {
  try {
    const info = await stat(path)
    return info.isDirectory() ? await fromDirectory(path) : await fromTarball(path)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return {problem: `evidence bundle ${path} does not exist; the posture snapshot was not consulted.`}
    return {problem: `evidence bundle ${path} could not be read (${errorMessage(error)}); the posture snapshot was not consulted.`}
  }
}
