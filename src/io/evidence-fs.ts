import {createHash} from 'node:crypto'
import {createWriteStream, type WriteStream} from 'node:fs'
import {access, appendFile, chmod, mkdir, open, type FileHandle, writeFile} from 'node:fs/promises'
import {once} from 'node:events'
import {constants} from 'node:fs'

/** Evidence files are readable by their owner only; folders likewise. */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

export async function ensureEvidenceDir(path: string): Promise<void> {
  await mkdir(path, {mode: DIR_MODE, recursive: true})
  await chmod(path, DIR_MODE)
}

export async function writeEvidenceFile(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, {mode: FILE_MODE})
  await chmod(path, FILE_MODE)
}

export async function appendEvidenceFile(path: string, data: string | Uint8Array): Promise<void> {
  await appendFile(path, data, {mode: FILE_MODE})
}

/** Lines are gathered up to this many characters and written in one call: a write per line costs more than the line. */
const BATCH_CHARS = 64 * 1024

/**
 * A JSON-lines writer that respects back-pressure, so a million rows never sit in memory at once.
 * Lines are batched (at most BATCH_CHARS pending) and written with one call; when the stream's
 * buffer is full, the next write waits for `drain` (events.once rejects on `error`, and removes its
 * listeners either way, so a long run leaks none).
 */
export class JsonlWriter {
  private readonly stream: WriteStream
  private failure: Error | undefined
  private pending = ''
  private blocked: Promise<void> | undefined
  count = 0

  constructor(readonly path: string, flags: 'a' | 'w' = 'w') {
    this.stream = createWriteStream(path, {flags, mode: FILE_MODE})
    this.stream.on('error', (error) => {
      this.failure = error
    })
  }

  async write(row: unknown): Promise<void> {
    await this.writeLine(JSON.stringify(row))
  }

  async writeLine(line: string): Promise<void> {
    this.add(line)
    await this.settle()
  }

  /**
   * Queues a line without waiting (for a loop over a batch of input lines); call `settle()` after
   * the batch, which writes once enough is queued and waits for the disk when it is behind.
   */
  add(line: string): void {
    if (this.failure) throw this.failure
    this.count++
    this.pending += `${line}\n`
  }

  async settle(): Promise<void> {
    if (this.pending.length >= BATCH_CHARS) await this.flush()
  }

  private async flush(): Promise<void> {
    if (this.blocked) await this.blocked
    if (this.failure) throw this.failure
    const chunk = this.pending
    this.pending = ''
    if (chunk.length > 0 && !this.stream.write(chunk)) {
      this.blocked = once(this.stream, 'drain').then(() => undefined, (error: Error) => {
        this.failure ??= error
      })
      // The next batch waits; this one is already queued in the stream.
      this.blocked.finally(() => {
        this.blocked = undefined
      })
    }
  }

  async close(): Promise<void> {
    await this.flush()
    if (this.blocked) await this.blocked
    if (this.failure) throw this.failure
    this.stream.end()
    if (!this.stream.writableFinished) {
      await new Promise<void>((resolve, reject) => {
        const onError = (error: Error) => {
          this.stream.off('finish', onFinish)
          reject(error)
        }
        const onFinish = () => {
          this.stream.off('error', onError)
          resolve()
        }
        this.stream.once('finish', onFinish)
        this.stream.once('error', onError)
      })
    }
    if (this.failure) throw this.failure
  }
}

/** Read buffers, reused: a million small files must not mean a million fresh 1 MiB buffers for the GC. */
const READ_BUFFER_BYTES = 1024 * 1024
const spareBuffers: Buffer[] = []

/** Hashes what `handle` reads, also writing each chunk to `copy` when given (before the buffer is reused). */
async function hashHandle(handle: FileHandle, sizeHint: number, copy?: FileHandle): Promise<{sha256: string; size: number}> {
  const hash = createHash('sha256')
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_BYTES)
  let size = 0
  try {
    // Small files: one read of exactly what is there, plus one that finds the end.
    const want = Math.min(buffer.length, Math.max(sizeHint + 1, 4096))
    for (;;) {
      const {bytesRead} = await handle.read(buffer, 0, size === 0 ? want : buffer.length, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
      if (copy !== undefined) await copy.write(buffer, 0, bytesRead)
      size += bytesRead
    }
  } finally {
    if (spareBuffers.length < 16) spareBuffers.push(buffer)
  }
  return {sha256: hash.digest('hex'), size}
}

/** SHA-256 and size of a file, streamed (never read whole). */
export async function hashFile(path: string): Promise<{sha256: string; size: number}> {
  const handle = await open(path, constants.O_RDONLY)
  try {
    return await hashHandle(handle, READ_BUFFER_BYTES)
  } finally {
    await handle.close()
  }
}

/**
 * Hashes a regular file without ever following a link or blocking on a FIFO that replaced it
 * after it was listed: opened with O_NOFOLLOW | O_NONBLOCK, then checked to be the same regular file.
 * With `copyTo`, the same bytes are written there (created 0600, never overwriting) in the same
 * pass, so the copy is exactly what was hashed.
 */
export async function hashRegularFileSafely(path: string, expected: {dev: number; ino: number}, copyTo?: string): Promise<{sha256: string; size: number}> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const stat = await handle.stat()
    if (!stat.isFile() || stat.ino !== expected.ino || stat.dev !== expected.dev) {
      throw Object.assign(new Error('file was replaced while being collected'), {code: 'ECHANGED'})
    }
    if (copyTo === undefined) return await hashHandle(handle, stat.size)
    const copy = await open(copyTo, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_MODE)
    try {
      return await hashHandle(handle, stat.size, copy)
    } finally {
      await copy.close()
    }
  } finally {
    await handle.close()
  }
}

/** True when something is at `path` (follows links; any error counts as absent). */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
