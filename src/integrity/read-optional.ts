import {open} from 'node:fs/promises'

import {errnoCode} from '../core/errors.js'

/** A file larger than a genuine one of its kind can be: it is not read (a hostile bundle must not exhaust memory). */
export class OversizeFileError extends Error {
  constructor(readonly path: string, readonly size: number, readonly maxBytes: number) {
    super(`${size} bytes, more than the ${maxBytes} a genuine one can hold; not read`)
  }
}

/**
 * A file's bytes, or undefined when it does not exist (any other error is thrown). A file larger
 * than `maxBytes` throws OversizeFileError without being read.
 */
export async function readOptionalFile(path: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw error
  }
  try {
    const {size} = await handle.stat()
    if (size > maxBytes) throw new OversizeFileError(path, size, maxBytes)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}
