import {constants, type Stats} from 'node:fs'
import {type FileHandle, open} from 'node:fs/promises'

import {errnoCode, VerificationError} from '../core/errors.js'

/** A file larger than a genuine one of its kind can be: it is not read (a hostile bundle must not exhaust memory). */
export class OversizeFileError extends Error {
  constructor(readonly path: string, readonly size: number, readonly maxBytes: number) {
    super(`${size} bytes, more than the ${maxBytes} a genuine one can hold; not read`)
  }
}

/**
 * Something that is not a regular file (a symbolic link where none may be, a FIFO, a device, a
 * socket, a folder): it is not read, so a planted `/dev/zero` or FIFO can neither exhaust memory
 * nor make the reader wait forever.
 */
export class NotRegularFileError extends Error {
  constructor(readonly path: string, readonly what: string) {
    super(`${what}, not a regular file; not read`)
  }
}

export interface ReadSafelyOptions {
  /** Upper bound on the bytes actually read (not only the size fstat reports). */
  maxBytes?: number
  /** Follow a symbolic link (then the file it points to must be a regular file). Default: refuse links. */
  followLinks?: boolean
}

export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024

function describe(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)'
  if (info.isCharacterDevice()) return 'a character device'
  if (info.isBlockDevice()) return 'a block device'
  if (info.isSocket()) return 'a socket'
  if (info.isDirectory()) return 'a folder'
  return 'a special file'
}

/**
 * Opens a file for reading only if it is a regular file: O_NONBLOCK (a FIFO without a writer does not
 * block the open), O_NOFOLLOW unless links are allowed, then fstat on the open descriptor (no race
 * between the check and the read). Undefined when it does not exist; NotRegularFileError otherwise.
 */
export async function openRegularFile(path: string, followLinks = false): Promise<{handle: FileHandle; info: Stats} | undefined> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (followLinks ? 0 : constants.O_NOFOLLOW)
  let handle
  try {
    handle = await open(path, flags)
  } catch (error) {
    const code = errnoCode(error)
    if (code === 'ENOENT') return undefined
    if (code === 'ELOOP') throw new NotRegularFileError(path, followLinks ? 'a loop of symbolic links' : 'a symbolic link (not followed)')
    if (code === 'ENXIO') throw new NotRegularFileError(path, 'a socket or device without a reader')
    throw error
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new NotRegularFileError(path, describe(info))
    return {handle, info}
  } catch (error) {
    await handle.close()
    throw error
  }
}

/**
 * A regular file's bytes and its stat, or undefined when it does not exist (any other error is
 * thrown). Refuses non-regular files (NotRegularFileError) and files over `maxBytes`
 * (OversizeFileError), counting the bytes read as well as the size fstat reports.
 */
export async function readRegularFile(path: string, options: ReadSafelyOptions = {}): Promise<{bytes: Buffer; info: Stats} | undefined> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_READ_BYTES
  const opened = await openRegularFile(path, options.followLinks)
  if (opened === undefined) return undefined
  const {handle, info} = opened
  try {
    if (info.size > maxBytes) throw new OversizeFileError(path, info.size, maxBytes)
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total) || 1)
      const {bytesRead} = await handle.read(chunk, 0, chunk.length, null)
      if (bytesRead === 0) break
      total += bytesRead
      if (total > maxBytes) throw new OversizeFileError(path, total, maxBytes)
      chunks.push(chunk.subarray(0, bytesRead))
    }
    return {bytes: Buffer.concat(chunks, total), info}
  } finally {
    await handle.close()
  }
}

/**
 * A file's bytes, or undefined when it does not exist. See readRegularFile: links are refused unless
 * `followLinks`, FIFOs/devices/sockets are never read, and at most `maxBytes` are read.
 */
export async function readOptionalFile(path: string, maxBytes = DEFAULT_MAX_READ_BYTES, options: {followLinks?: boolean} = {}): Promise<Buffer | undefined> {
  return (await readRegularFile(path, {followLinks: options.followLinks, maxBytes}))?.bytes
}

/**
 * The text of a file kept next to a bundle (a custody sidecar), or undefined when there is none.
 * A link is followed, but what it reaches must be a regular file of at most `maxBytes`; anything
 * else is a VerificationError (exit 3) naming the file, never a hang or an unbounded read.
 */
export async function readSideFileText(path: string, maxBytes = DEFAULT_MAX_READ_BYTES): Promise<string | undefined> {
  try {
    return (await readOptionalFile(path, maxBytes, {followLinks: true}))?.toString('utf8')
  } catch (error) {
    if (error instanceof OversizeFileError || error instanceof NotRegularFileError) throw new VerificationError(`${path}: ${error.message}`, {code: 'E_NOT_REGULAR'})
    throw error
  }
}
