import {readFile} from 'node:fs/promises'

import {errnoCode} from '../core/errors.js'

/** A file's bytes, or undefined when it does not exist (any other error is thrown). */
export async function readOptionalFile(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw error
  }
}
