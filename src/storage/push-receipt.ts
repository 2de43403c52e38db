/**
 * The push receipt `NAME.push.json` as `verify s3://` reads it: which bucket, key and VersionId of
 * every object the push proved. Given with --receipt (the file, or the folder holding it), or found
 * as ./NAME.push.json.
 */
import {stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'

import {UsageError, errnoCode, errorMessage} from '../core/errors.js'
import {readOptionalFile} from '../integrity/read-optional.js'
import type {PushState} from './push-state.js'

export interface PushReceipt {
  path: string
  state: PushState
}

/** A receipt is a few hundred bytes; anything much larger is not one. */
const MAX_RECEIPT_BYTES = 1024 * 1024

async function receiptFile(path: string, bundleName: string): Promise<string> {
  const full = resolve(path)
  try {
    if ((await stat(full)).isDirectory()) return join(full, `${bundleName}.push.json`)
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error
  }
  return full
}

function parseReceipt(path: string, bytes: Buffer): PushReceipt {
  let state: unknown
  try {
    state = JSON.parse(bytes.toString('utf8'))
  } catch (error) {
    throw new UsageError(`the push receipt ${path} is not JSON (${errorMessage(error)})`, {code: 'E_RECEIPT'})
  }
  const s = state as Partial<PushState> | null
  if (typeof s !== 'object' || s === null || typeof s.bucket !== 'string' || typeof s.key !== 'string') {
    throw new UsageError(`${path} is not a push receipt (NAME.push.json with bucket and key)`, {code: 'E_RECEIPT'})
  }
  return {path, state: s as PushState}
}

/** The receipt named by --receipt (a file, or the folder holding NAME.push.json); exit 2 when absent or not a receipt. */
export async function readPushReceipt(path: string, bundleName: string): Promise<PushReceipt> {
  const file = await receiptFile(path, bundleName)
  let bytes: Buffer | undefined
  try {
    bytes = await readOptionalFile(file, MAX_RECEIPT_BYTES)
  } catch (error) {
    throw new UsageError(`cannot read the push receipt ${file}: ${errorMessage(error)}`, {code: 'E_RECEIPT'})
  }
  if (bytes === undefined) {
    throw new UsageError(`no push receipt at ${file}`, {
      code: 'E_RECEIPT', suggestions: [`give the ${bundleName}.push.json that push wrote next to the bundle, or the folder holding it`],
    })
  }
  return parseReceipt(file, bytes)
}

/** ./NAME.push.json when it exists and is a receipt; undefined otherwise (a damaged one is not guessed at). */
export async function findPushReceipt(dir: string, bundleName: string): Promise<PushReceipt | undefined> {
  const file = join(resolve(dir), `${bundleName}.push.json`)
  const bytes = await readOptionalFile(file, MAX_RECEIPT_BYTES).catch(() => undefined)
  if (bytes === undefined) return undefined
  try {
    return parseReceipt(file, bytes)
  } catch {
    return undefined
  }
}
