import {createHash, randomBytes} from 'node:crypto'
import {closeSync, constants, createWriteStream, fstatSync, fchmodSync, lstatSync, openSync, readlinkSync, readSync, type Stats, type WriteStream, writeSync} from 'node:fs'
import {access, lstat, mkdir, open, realpath, rename, stat, unlink, type FileHandle} from 'node:fs/promises'
import {once} from 'node:events'
import {basename, dirname, join, resolve, sep} from 'node:path'

import {errnoCode, OutputError, UsageError} from '../core/errors.js'
import {shellQuote} from '../core/shell-quote.js'

/** Evidence files are readable by their owner only; folders likewise. */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/*
 * Every file hipaa-ir writes goes through this module, so that nobody who can write an output
 * folder can make it write somewhere else (security H1): new files are created with
 * O_CREAT|O_EXCL|O_NOFOLLOW (never through a link, never over anything), replaced files are written
 * to a fresh temporary name and renamed over, appends open with O_APPEND|O_NOFOLLOW and accept only
 * a regular file of the caller's with one link. Modes are set on the open handle (fchmod), never by
 * path, so a umask cannot leave a file looser or stricter than 0600 / a folder than 0700 (L6).
 */

const {O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY} = constants
const CREATE_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW
/** O_NONBLOCK: a FIFO put in a file's place fails (ENXIO) or is refused after fstat instead of blocking. */
const APPEND_FLAGS = O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK

const callerUid = (): number | undefined => process.geteuid?.()
const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0')

function kindOf(info: Stats): string {
  if (info.isSymbolicLink()) return 'symbolic link'
  if (info.isDirectory()) return 'folder'
  if (info.isFIFO()) return 'FIFO'
  if (info.isSocket()) return 'socket'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device'
  return 'regular file'
}

const KEEP_AND_MOVE = 'Leave it in place as evidence (someone who can write that folder may have planted it) and write into a folder only you can write, e.g. `mkdir -m 700 /root/hipaa-ir-evidence`.'

/** A link planted where an output goes: hipaa-ir never writes through one (exit 1). */
function linkError(path: string): OutputError {
  let target = '?'
  try {
    target = readlinkSync(path)
  } catch {
    // gone again: still refused
  }
  return new OutputError(`${path} is a symbolic link (to ${target}): hipaa-ir never writes through a link`, {code: 'E_OUTPUT_LINK', suggestions: [KEEP_AND_MOVE]})
}

/** Why a file cannot be written at `path` as asked, from what is there now; undefined when nothing is. */
function refusalFor(path: string, info: Stats | undefined, want: 'append' | 'new' | 'replace'): OutputError | undefined {
  if (info === undefined) return undefined
  if (info.isSymbolicLink()) return linkError(path)
  if (!info.isFile()) {
    return new OutputError(`${path} is a ${kindOf(info)}, not a regular file: hipaa-ir writes only regular files`, {code: 'E_OUTPUT_NOT_FILE', suggestions: [KEEP_AND_MOVE]})
  }
  if (want === 'new') {
    return new OutputError(`${path} already exists: hipaa-ir never overwrites an output file`, {code: 'E_OUTPUT_EXISTS', suggestions: ['Move the old file away yourself, or write somewhere else.']})
  }
  if (want === 'append') {
    const uid = callerUid()
    if (uid !== undefined && info.uid !== uid) {
      return new OutputError(`${path} belongs to uid ${info.uid}, not to you (uid ${uid}): hipaa-ir adds only to its own files`, {
        code: 'E_OUTPUT_OWNER',
        suggestions: [`Check who wrote it (ls -l ${shellQuote(path)}); if it is genuine, add to it as that user, or take it over (chown ${uid} ${shellQuote(path)}) after checking its contents.`],
      })
    }
    if (info.nlink > 1) {
      return new OutputError(`${path} has ${info.nlink} hard links: adding to it would change another file too`, {code: 'E_OUTPUT_LINK', suggestions: [KEEP_AND_MOVE]})
    }
  }
  return undefined
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined
    throw error
  }
}

/** An open that failed because of what is at `path` becomes the refusal that names it; anything else is rethrown as is. */
function explainOpenFailure(path: string, error: unknown, want: 'append' | 'new'): unknown {
  const code = errnoCode(error)
  if (code !== 'EEXIST' && code !== 'ELOOP' && code !== 'ENXIO' && code !== 'EISDIR') return error
  return refusalFor(path, lstatOrUndefined(path), want) ?? error
}

/**
 * Refuses (OutputError, exit 1, naming the path and what to do) when `path` is a link or anything but
 * a regular file; with `append`, also when it belongs to another user or has other hard links.
 * Nothing there is fine. For a check before reading a file that will then be written.
 */
export function refuseUnsafeOutput(path: string, want: 'append' | 'replace' = 'replace'): void {
  const problem = refusalFor(path, lstatOrUndefined(path), want)
  if (problem) throw problem
}

/** A new file, open for writing: O_CREAT|O_EXCL|O_NOFOLLOW, mode set on the handle. Refuses anything already there. */
export async function openNewEvidenceFile(path: string, mode: number = FILE_MODE): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, CREATE_FLAGS, mode)
  } catch (error) {
    throw explainOpenFailure(path, error, 'new')
  }
  try {
    await handle.chmod(mode)
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}

/** Writes a new file (never overwriting, never through a link), mode 0600 unless told. */
export async function createEvidenceFile(path: string, data: string | Uint8Array, mode: number = FILE_MODE): Promise<void> {
  const handle = await openNewEvidenceFile(path, mode)
  try {
    await handle.writeFile(data)
  } finally {
    await handle.close()
  }
}

/**
 * Writes a file that may already exist: the bytes go to a fresh temporary name in the same folder
 * (O_EXCL) and are renamed over `path`, so a reader sees the old file or the new one, and a link or
 * a hard link at `path` is replaced, never written through. A link or non-file at `path` is refused.
 */
export async function replaceEvidenceFile(path: string, data: string | Uint8Array, mode: number = FILE_MODE): Promise<void> {
  refuseUnsafeOutput(path)
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await openNewEvidenceFile(temporary, mode)
  try {
    await handle.writeFile(data)
    await handle.datasync()
    await handle.close()
    await rename(temporary, path)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await unlink(temporary).catch(() => undefined)
    throw error
  }
}

/** Opens for appending (created 0600 when missing): a link, a non-file, another user's file or one with other hard links is refused. */
export async function openAppendEvidenceFile(path: string): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, APPEND_FLAGS, FILE_MODE)
  } catch (error) {
    throw explainOpenFailure(path, error, 'append')
  }
  try {
    const info = await handle.stat()
    const problem = refusalFor(path, info, 'append')
    if (problem) throw problem
    if ((info.mode & 0o7777) !== FILE_MODE) await handle.chmod(FILE_MODE)
  } catch (error) {
    await handle.close()
    throw error
  }
  return handle
}

export async function appendEvidenceFile(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await openAppendEvidenceFile(path)
  try {
    await handle.appendFile(data)
  } finally {
    await handle.close()
  }
}

/** The synchronous twin of openNewEvidenceFile / openAppendEvidenceFile (a file descriptor). */
export function openEvidenceFdSync(path: string, want: 'append' | 'new'): number {
  let fd: number
  try {
    fd = openSync(path, want === 'new' ? CREATE_FLAGS : APPEND_FLAGS, FILE_MODE)
  } catch (error) {
    throw explainOpenFailure(path, error, want)
  }
  try {
    const info = fstatSync(fd)
    const problem = want === 'append' ? refusalFor(path, info, 'append') : undefined
    if (problem) throw problem
    if ((info.mode & 0o7777) !== FILE_MODE) fchmodSync(fd, FILE_MODE)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return fd
}

/** appendEvidenceFile, synchronously (the acquisition log is written as each step happens). */
export function appendEvidenceFileSync(path: string, data: string): void {
  const fd = openEvidenceFdSync(path, 'append')
  try {
    const bytes = Buffer.from(data)
    let done = 0
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done)
  } finally {
    closeSync(fd)
  }
}

/** A write stream on a new file (created as createEvidenceFile creates one). */
export function createEvidenceStream(path: string, want: 'append' | 'new' = 'new'): WriteStream {
  return createWriteStream(path, {fd: openEvidenceFdSync(path, want)})
}

/**
 * Checks a folder through a handle that cannot follow a link (O_DIRECTORY|O_NOFOLLOW): a real folder
 * of the caller's, then 0700 (fchmod). Without `setMode` only that it is a folder (a link to one is
 * fine: nothing is changed through it).
 */
async function secureDir(path: string, setMode: boolean): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(path, O_RDONLY | O_DIRECTORY | (setMode ? O_NOFOLLOW : 0))
  } catch (error) {
    const code = errnoCode(error)
    if (code !== 'ELOOP' && code !== 'ENOTDIR') throw error
    const info = lstatOrUndefined(path)
    if (info?.isSymbolicLink()) throw linkError(path)
    throw new OutputError(`${path} is a ${info ? kindOf(info) : 'missing entry'}, not a folder`, {code: 'E_OUTPUT_NOT_DIR', suggestions: [KEEP_AND_MOVE]})
  }
  try {
    const info = await handle.stat()
    const uid = callerUid()
    if (setMode && uid !== undefined && info.uid !== uid) {
      throw new OutputError(`the folder ${path} belongs to uid ${info.uid}, not to you (uid ${uid}): its owner could plant links in it`, {code: 'E_OUTPUT_OWNER', suggestions: [KEEP_AND_MOVE]})
    }
    if (setMode && (info.mode & 0o7777) !== DIR_MODE) await handle.chmod(DIR_MODE)
  } finally {
    await handle.close()
  }
}

/**
 * Creates `path` and any missing parents, each checked to be a real folder of the caller's and set
 * 0700 on its handle. An existing `path` is checked and set 0700 too, unless `existing: 'keep'` (a
 * folder the user chose, such as a keys folder, keeps its mode).
 */
export async function ensureEvidenceDir(path: string, options: {existing?: 'chmod' | 'keep'} = {}): Promise<void> {
  const missing: string[] = []
  for (let at = resolve(path); lstatOrUndefined(at) === undefined; at = dirname(at)) {
    missing.unshift(at)
    if (dirname(at) === at) break
  }
  if (missing.length === 0) {
    await secureDir(resolve(path), options.existing !== 'keep')
    return
  }
  for (const dir of missing) {
    await mkdir(dir, {mode: DIR_MODE}).catch((error: unknown) => {
      if (errnoCode(error) !== 'EEXIST') throw error
    })
    await secureDir(dir, true)
  }
}

/** Creates a folder that must not exist yet (mkdir without -p), checked and set 0700 on its handle. */
export async function createEvidenceDir(path: string): Promise<void> {
  try {
    await mkdir(path, {mode: DIR_MODE})
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error
    const info = lstatOrUndefined(path)
    throw info?.isSymbolicLink()
      ? linkError(path)
      : new OutputError(`${path} already exists`, {code: 'E_OUTPUT_EXISTS', suggestions: ['Wait a second and try again, or use another output folder.']})
  }
  await secureDir(path, true)
}

export interface OutputFolderLabel {
  /** How the message names the folder, e.g. `--out-dir`. */
  label: string
  /** What to do instead; default: a folder only you can write. */
  suggestion?: string
}

/** Why others could swap a folder on the way to an output for one of theirs: an owner other than root or you, or group/other write without the sticky bit. */
function replaceableBy(info: Stats, uid: number): string | undefined {
  if (info.uid !== 0 && info.uid !== uid) return `it belongs to uid ${info.uid}`
  if ((info.mode & 0o022) !== 0 && (info.mode & 0o1000) === 0) return `group or others can write it (mode ${octal(info.mode)})`
  return undefined
}

/** Why others could plant files in the output folder itself: not yours, or group/other-writable (sticky or not). */
function plantableBy(info: Stats, uid: number): string | undefined {
  if (info.uid !== uid) return `it belongs to uid ${info.uid}, not to you (uid ${uid})`
  if ((info.mode & 0o022) !== 0) return `group or others can write it (mode ${octal(info.mode)})`
  return undefined
}

/**
 * Refuses (UsageError, exit 2) an output folder another user could write: one not owned by the caller
 * or writable by group/others (a sticky shared folder such as /tmp included), or one inside a folder
 * another user could rename it out of (sticky folders such as /tmp are fine there: a fresh private
 * folder may be made inside). Checks the path as given and as resolved. Missing parts are fine: they
 * will be created private.
 */
export async function checkOutputFolder(dir: string, what: OutputFolderLabel): Promise<void> {
  const uid = callerUid()
  if (uid === undefined) return
  const target = resolve(dir)
  const refuse = (at: string, why: string) => {
    const where = at === target ? `${what.label} ${dir} can be written by other users: ${why}` : `${what.label} ${dir} is inside ${at}, which other users could change: ${why}`
    return new UsageError(`${where}; they could plant links with the names hipaa-ir is about to write`, {
      code: 'E_OUTPUT_DIR_SHARED',
      suggestions: [what.suggestion ?? `Choose a folder only you can write, e.g. \`mkdir -m 700 /root/hipaa-ir-evidence\` and pass ${what.label} /root/hipaa-ir-evidence${at === target && (at === '/tmp' || at === '/var/tmp') ? ` (or a new folder inside ${at}, which hipaa-ir creates 0700)` : ''}.`],
    })
  }
  const check = async (paths: string[]): Promise<string | undefined> => {
    let deepest: string | undefined
    for (const at of paths) {
      const link = await lstat(at).catch(() => undefined)
      if (link === undefined) break
      if (link.isSymbolicLink() && link.uid !== 0 && link.uid !== uid) throw refuse(at, `it is a link owned by uid ${link.uid}`)
      const info = await stat(at).catch(() => undefined)
      if (info === undefined || !info.isDirectory()) break
      const why = at === target ? plantableBy(info, uid) : replaceableBy(info, uid)
      if (why) throw refuse(at, why)
      deepest = at
    }
    return deepest
  }
  const deepest = await check(prefixes(target))
  if (deepest === undefined) return
  const real = await realpath(deepest)
  // Ancestors of the folder links lead to (the folder itself was checked above).
  for (const at of prefixes(real).slice(0, -1)) {
    const info = await stat(at)
    const why = replaceableBy(info, uid)
    if (why) throw refuse(at, why)
  }
}

/** `/`, `/a`, `/a/b` for `/a/b`. */
function prefixes(absolute: string): string[] {
  const parts = absolute.split(sep).filter((part) => part !== '')
  return ['/', ...parts.map((_, index) => `/${parts.slice(0, index + 1).join('/')}`)]
}

/** checkOutputFolder, then ensureEvidenceDir: the folder an output command writes into. */
export async function prepareOutputFolder(dir: string, what: OutputFolderLabel, options: {existing?: 'chmod' | 'keep'} = {}): Promise<void> {
  await checkOutputFolder(dir, what)
  await ensureEvidenceDir(dir, options)
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

  /** 'w': a new file (refused when anything is there); 'a': appended to, as appendEvidenceFile. */
  constructor(readonly path: string, flags: 'a' | 'w' = 'w') {
    this.stream = createEvidenceStream(path, flags === 'a' ? 'append' : 'new')
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
export async function hashHandle(handle: FileHandle, sizeHint: number, copy?: FileHandle): Promise<{sha256: string; size: number}> {
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
export async function hashRegularFileSafely(path: string | Buffer, expected: {dev: number; ino: number}, copyTo?: string): Promise<{sha256: string; size: number}> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  try {
    const stat = await handle.stat()
    if (!stat.isFile() || stat.ino !== expected.ino || stat.dev !== expected.dev) {
      throw Object.assign(new Error('file was replaced while being collected'), {code: 'ECHANGED'})
    }
    if (copyTo === undefined) return await hashHandle(handle, stat.size)
    const copy = await openNewEvidenceFile(copyTo)
    try {
      return await hashHandle(handle, stat.size, copy)
    } finally {
      await copy.close()
    }
  } finally {
    await handle.close()
  }
}

/** Files up to this size are hashed by hashSmallRegularFileSync: a millisecond or two of blocking at most. */
export const SYNC_HASH_MAX_BYTES = 1024 * 1024

/**
 * hashRegularFileSafely for a small file, synchronously: the same O_NOFOLLOW | O_NONBLOCK open and
 * the same check that it is still the regular file listed (dev and inode), then one read of what is
 * there and one that finds the end. Four system calls and no promise: for a tree of small files
 * (the ransomware case, every file changed) the thread-pool round-trips of the asynchronous version
 * cost ten times the reading and hashing. Returns undefined, having read nothing, when the file is
 * larger than `maxBytes` (hash it with hashRegularFileSafely, which does not block the event loop).
 */
export function hashSmallRegularFileSync(path: string | Buffer, expected: {dev: number; ino: number}, maxBytes: number = SYNC_HASH_MAX_BYTES): {sha256: string; size: number} | undefined {
  const fd = openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.ino !== expected.ino || stat.dev !== expected.dev) {
      throw Object.assign(new Error('file was replaced while being collected'), {code: 'ECHANGED'})
    }
    if (stat.size > maxBytes) return undefined
    const hash = createHash('sha256')
    const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_BUFFER_BYTES)
    let size = 0
    try {
      let want = Math.min(buffer.length, Math.max(stat.size + 1, 4096))
      for (let bytesRead = readSync(fd, buffer, 0, want, null); bytesRead > 0; bytesRead = readSync(fd, buffer, 0, want, null)) {
        hash.update(buffer.subarray(0, bytesRead))
        size += bytesRead
        want = buffer.length
      }
    } finally {
      if (spareBuffers.length < 16) spareBuffers.push(buffer)
    }
    return {sha256: hash.digest('hex'), size}
  } finally {
    closeSync(fd)
  }
}

/** True when something is at `path` (follows links; any error counts as absent). */
export async function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}
