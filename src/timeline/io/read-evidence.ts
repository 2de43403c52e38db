import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {readOptionalFile} from '../../integrity/read-optional.js'
import {readBundleMember} from '../../integrity/safe-extract.js'
import {cleanText} from '../render/escape.js'

const MAX_POSTURE_BYTES = 8 * 1024 * 1024

export interface EvidenceRead {
  /** The posture.json text, when the bundle has one. */
  posture?: string
  /** Why nothing could be read (missing path, unreadable tarball), as a warning. */
  problem?: string
}

/** Reads NAME/posture/posture.json from a .tar.gz in memory (nothing is extracted to disk). */
async function fromTarball(path: string): Promise<EvidenceRead> {
  const posture = await readBundleMember(path, 'posture/posture.json', MAX_POSTURE_BYTES)
  return posture === undefined ? {} : {posture: cleanText(posture.toString('utf8'))}
}

/** posture.json of a bundle folder, read like every bundle file: no link, FIFO or device, at most MAX_POSTURE_BYTES. */
async function readPosture(folder: string): Promise<string | undefined> {
  const bytes = await readOptionalFile(join(folder, 'posture', 'posture.json'), MAX_POSTURE_BYTES)
  return bytes === undefined ? undefined : cleanText(bytes.toString('utf8'))
}

/** An extracted bundle: either the NAME/ folder itself or a folder holding one NAME/ folder. */
async function fromDirectory(path: string): Promise<EvidenceRead> {
  const direct = await readPosture(path)
  if (direct !== undefined) return {posture: direct}
  for (const entry of await readdir(path, {withFileTypes: true})) {
    if (!entry.isDirectory()) continue
    const posture = await readPosture(join(path, entry.name))
    if (posture !== undefined) return {posture}
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
