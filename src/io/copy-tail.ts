/**
 * Copies a regular file into the bundle, at most `maxBytes` of it: all of it when it fits, else its
 * last `maxBytes` from the start of a line (for a log, the newest lines). The SHA-256 is of the whole
 * file as read, so the examiner can still match the original. Opened without following a last link
 * and without blocking (a FIFO never hangs the collection), and refused unless a regular file.
 */
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'

import {hashHandle, openNewEvidenceFile} from './evidence-fs.js'

export interface CopiedFile {
  /** Size and SHA-256 of the whole file as read. */
  size: number
  sha256: string
  mtime: string
  /** Bytes copied into the bundle, and from which offset (0 unless cut). */
  copiedBytes: number
  offset: number
  truncated: boolean
}

/** `followLast`: on the live system a last link is the system's own resolution; below --root it was resolved already. */
export async function copyFileTail(hostPath: string, target: string, maxBytes: number, followLast = false): Promise<CopiedFile> {
  const handle = await open(hostPath, constants.O_RDONLY | constants.O_NONBLOCK | (followLast ? 0 : constants.O_NOFOLLOW))
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), {code: 'ENOTREG'})
    const mtime = stat.mtime.toISOString()
    if (stat.size <= maxBytes) {
      const copy = await openNewEvidenceFile(target)
      try {
        const {sha256, size} = await hashHandle(handle, stat.size, copy)
        return {copiedBytes: size, mtime, offset: 0, sha256, size, truncated: false}
      } finally {
        await copy.close()
      }
    }
    const {sha256, size} = await hashHandle(handle, stat.size)
    // The tail, from the first line start inside it.
    let offset = Math.max(0, size - maxBytes)
    const head = Buffer.alloc(Math.min(64 * 1024, size - offset))
    const {bytesRead} = await handle.read(head, 0, head.length, offset)
    const newline = head.subarray(0, bytesRead).indexOf(0x0a)
    if (newline !== -1 && newline + 1 < bytesRead) offset += newline + 1
    const copy = await openNewEvidenceFile(target)
    let copied = 0
    try {
      const buffer = Buffer.allocUnsafe(1024 * 1024)
      for (let position = offset; position < size; ) {
        const {bytesRead: n} = await handle.read(buffer, 0, Math.min(buffer.length, size - position), position)
        if (n === 0) break
        await copy.write(buffer, 0, n)
        position += n
        copied += n
      }
    } finally {
      await copy.close()
    }
    return {copiedBytes: copied, mtime, offset, sha256, size, truncated: true}
  } finally {
    await handle.close()
  }
}
