/**
 * `NAME.push.json` next to the tarball: the proof state of one bundle's push. It stays `pending`
 * until every object was proven stored, and the bundle is never deleted because of it. Mode 0600.
 */
import {readFile} from 'node:fs/promises'
import {dirname} from 'node:path'

import {errnoCode, errorMessage, PushError} from '../core/errors.js'
import {checkOutputFolder, refuseUnsafeOutput, replaceEvidenceFile} from '../io/evidence-fs.js'
import {BUNDLE_SUFFIX} from './object-key.js'

export type ObjectRole = 'custody' | 'pub' | 'sig' | 'tarball'

/** How an object was proven stored: the server's ETag against the MD5s sent, its SHA-256 checksum, or a full read-back (proof.ts). */
export type ProofKind = 'checksum-sha256' | 'etag-md5' | 'read-back'

/** One uploaded and verified object. */
export interface PushedObject {
  key: string
  /** How its stored bytes were proven (absent in receipts written before proofs were named: a read-back then). */
  proof?: ProofKind
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
  /** Written by older versions; a resume now compares every part's MD5 with the server's ETag instead. */
  sha256?: string
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
  /** How the tarball's stored bytes were proven. */
  proof?: ProofKind
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
  // A link in its place is named, not read: the state it points at is not this bundle's.
  refuseUnsafeOutput(path)
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

/**
 * Writes atomically (a fresh temp file renamed over it), mode 0600. Refuses (exit 2) when other users
 * can write the bundle's folder, and (exit 1) a link in the state file's place.
 */
export async function writePushState(tarball: string, state: PushState): Promise<void> {
  const path = pushStatePath(tarball)
  await checkOutputFolder(dirname(path), {
    label: 'the bundle folder',
    suggestion: 'Move the bundle with its .sig, .pub and .custody.jsonl into a folder only you can write (mkdir -m 700 DIR) and push from there.',
  })
  await replaceEvidenceFile(path, JSON.stringify({...state, updatedAt: new Date().toISOString()}, null, 2) + '\n')
}
