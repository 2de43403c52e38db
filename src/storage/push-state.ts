/**
 * `NAME.push.json` next to the tarball: the proof state of one bundle's push. It stays `pending`
 * until the read-back succeeded, and the bundle is never deleted because of it. Mode 0600.
 */
import {randomBytes} from 'node:crypto'
import {readFile, rename, rm, writeFile} from 'node:fs/promises'

import {errnoCode, errorMessage, PushError} from '../core/errors.js'
import {BUNDLE_SUFFIX} from './object-key.js'

export type ObjectRole = 'custody' | 'pub' | 'sig' | 'tarball'

/** One uploaded and verified object. */
export interface PushedObject {
  key: string
  sha256: string
  size: number
  verifiedAt?: string
  versionId?: string
}

/** An interrupted multipart upload that a later run may resume. */
export interface MultipartState {
  bucket: string
  key: string
  partSize: number
  sha256: string
  size: number
  uploadId: string
}

export interface PushState {
  bucket?: string
  /** True once the signed `retention-verified` custody event for `versionId` was appended. */
  custodyRecorded?: boolean
  key?: string
  legalHold?: boolean
  lastError?: string
  mode?: string
  multipart?: MultipartState
  objects?: Partial<Record<ObjectRole, PushedObject>>
  retainUntil?: string
  sha256?: string
  status: 'pending' | 'pushed'
  updatedAt?: string
  verifiedAt?: string
  versionId?: string
}

export function pushStatePath(tarball: string): string {
  return tarball.replace(BUNDLE_SUFFIX, '') + '.push.json'
}

/** The state, or undefined when the bundle was never pushed. */
export async function readPushState(tarball: string): Promise<PushState | undefined> {
  const path = pushStatePath(tarball)
  let text
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw error
  }
  try {
    return JSON.parse(text) as PushState
  } catch (error) {
    throw new PushError(`the push state ${path} is damaged (${errorMessage(error)})`, {
      code: 'E_PUSH_STATE',
      suggestions: [`move it aside (mv ${path} ${path}.damaged) and push again: every object is uploaded and read back afresh`],
    })
  }
}

/** Writes atomically (temp file + rename), mode 0600. */
export async function writePushState(tarball: string, state: PushState): Promise<void> {
  const path = pushStatePath(tarball)
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`
  try {
    await writeFile(tmp, JSON.stringify({...state, updatedAt: new Date().toISOString()}, null, 2) + '\n', {mode: 0o600})
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}
