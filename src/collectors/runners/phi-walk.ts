import {lstat, readlink} from 'node:fs/promises'
import {lstatSync, opendirSync, type Dir, type Stats} from 'node:fs'
import {dirname, join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {isoFromMs} from '../../core/iso-time.js'
import {ensureEvidenceDir, hashRegularFileSafely, hashSmallRegularFileSync, JsonlWriter, SYNC_HASH_MAX_BYTES} from '../../io/evidence-fs.js'
import {linksNote, resolveInRoot} from '../../io/root-fs.js'
import {encodeName, type NameEncoding} from '../../io/byte-names.js'
import {execStream} from '../../io/exec.js'
import type {CommandRecord} from '../record.js'
import type {CollectorContext, CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'
import {outsideWindowWarning, WindowTally} from '../outside-window.js'

export type EntryType = 'device' | 'dir' | 'fifo' | 'file' | 'socket' | 'symlink'

export interface PhiFileEntry {
  /** The path as the system names it; with `path_encoding: "escaped"` its bytes were not UTF-8 (see encodeName). */
  path: string
  path_encoding?: NameEncoding
  type: EntryType
  size: number
  mode: string
  uid: number
  gid: number
  mtime: string
  ctime: string
  sha256: string | null
  target?: string
  target_encoding?: NameEncoding
  error?: string
}

/** A recent entry found by either walk: where it is on this machine and as the system names it, both as exact bytes. */
interface Found {
  host: Buffer
  seen: Buffer
}

/** How many larger files (above SYNC_HASH_MAX_BYTES) are hashed at once: enough to keep a disk busy, few enough to bound memory. */
export const HASH_CONCURRENCY = 4

type Counts = {denied: number; listed: number; scanned: number; vanished: number}
/** Queues an entry's JSON line (synchronously; the writer is settled once per batch of entries). */
type Emit = (entry: PhiFileEntry) => void

/**
 * Walks each PHI folder without following links, streaming, and lists every entry whose mtime (or,
 * with --ctime, ctime) is newer than --since. The walk is GNU find's (the stock tool, several times
 * faster than any walk in JavaScript): it prints the recent entries' lstat fields NUL-separated and
 * one byte per other entry, which hipaa-ir parses as it streams. Where find is missing, the walk is
 * hipaa-ir's own (one open directory handle per depth level). Either way a small file is hashed at
 * once, synchronously, as its record is parsed (hashSmallRegularFileSync: when every file changed,
 * the per-file cost is what matters); larger files (and --include-contents copies) are streamed at
 * most HASH_CONCURRENCY at a time, so memory does not grow with the tree. FIFOs, sockets and
 * devices are listed from lstat alone and never opened.
 */
export const runPhiWalk: CollectorEngine = async (context) => {
  const out = new JsonlWriter(join(context.outDir, 'recently-modified.jsonl'))
  const counts: Counts = {denied: 0, listed: 0, scanned: 0, vanished: 0}
  const warnings: string[] = []
  const missingDirs: string[] = []
  const commands: CommandRecord[] = []
  const hashing = new HashQueue()
  const older = new WindowTally()
  const hashed = {bytes: 0, files: 0}
  const emit: Emit = (entry) => {
    counts.listed++
    if (entry.type === 'file' && entry.sha256 !== null) {
      hashed.files++
      hashed.bytes += entry.size
    }
    out.add(JSON.stringify(entry))
  }
  // Progress for a terminal: read from the counters on a timer, so the walk itself pays nothing per entry.
  const ticker = context.onProgress ? setInterval(() => context.onProgress?.({...hashed, entries: counts.scanned}), 200) : undefined
  try {
    for (const dir of context.phiDirs) {
      const top = await phiTop(context, dir)
      if (typeof top !== 'string') {
        missingDirs.push(top.reason === undefined ? dir : `${dir} (${top.reason})`)
        continue
      }
      const topBytes = Buffer.from(top)
      const dirBytes = Buffer.from(dir.replace(/\/+$/, ''))
      // Where the folder is on this machine is usually how the system names it (no --root, no link on the way).
      const seenOf = dirBytes.equals(topBytes) ? (host: Buffer): Buffer => host : (host: Buffer): Buffer => Buffer.concat([dirBytes, host.subarray(topBytes.length)])
      const found = await findWalk(top, context, counts, out, emit, hashing, warnings, older, seenOf)
      if (found) {
        commands.push(found)
        continue
      }
      for (const item of walk(topBytes, counts)) {
        counts.scanned++
        if (!isRecent(item.stat, context)) {
          older.add(item.stat.mtimeMs)
          continue
        }
        const at: Found = {host: item.path, seen: seenOf(item.path)}
        const entry = describe(at, item.stat)
        if (entry.type === 'symlink') {
          setTarget(entry, await readlink(item.path, {encoding: 'buffer'}).catch(() => Buffer.alloc(0)))
        }
        if (entry.type !== 'file' || hashSmall(entry, at, item.stat, context, counts)) emit(entry)
        else await hashing.add(hashInto(entry, at, item.stat, context, counts).then(emit))
        await out.settle()
      }
    }
    await hashing.drain()
  } finally {
    clearInterval(ticker)
    await out.close()
  }
  if (missingDirs.length > 0) warnings.push(`PHI folder not found: ${missingDirs.join(', ')} (name yours with --phi-dir)`)
  if (counts.denied > 0) warnings.push(`${counts.denied} entries could not be read: permission denied (rerun as root)`)
  const nothing = missingDirs.length === context.phiDirs.length
  // Nothing changed inside the window: say when the tree last did (newcomer M2).
  const outside = counts.listed === 0 ? older.result() : undefined
  if (outside) warnings.push(outsideWindowWarning('the PHI folders hold', outside, 'latest'))
  return {
    ...(outside ? {outside_window: outside} : {}),
    commands,
    counts: {...counts, hashed: hashed.files, hashed_bytes: hashed.bytes},
    files: ['phi-files/recently-modified.jsonl'],
    status: nothing ? 'skipped' : counts.denied > 0 ? 'partial' : 'ok',
    warnings,
    ...(nothing ? {reason: `no PHI folder found (${missingDirs.join(', ')}); name yours with --phi-dir`} : {}),
    ...(!nothing && counts.denied > 0 ? {reason: `${counts.denied} entries could not be read (permission denied)`} : {}),
  }
}

/**
 * A PHI folder's place on this machine, resolved inside the image (every part: `/var/data -> /srv`
 * leads to the image's /srv, never to this machine's), or why it is not walked. The folder itself
 * must not be a link: the walk never follows links.
 */
async function phiTop(context: CollectorContext, dir: string): Promise<string | {reason?: string}> {
  const found = resolveInRoot(context.root, dir, true)
  const note = linksNote(dir, found)
  if (note) context.log.record({collector: 'phi-files', note, path: dir, step: 'resolve'})
  if (found.problem) return {reason: found.problem}
  const info = await lstat(found.host).catch(() => undefined)
  if (info?.isSymbolicLink()) {
    const target = await readlink(found.host).catch(() => '?')
    const reason = `a symbolic link to ${target}; the PHI walk never follows links`
    context.log.record({collector: 'phi-files', note: reason, path: dir, status: 'skipped', step: 'resolve'})
    return {reason}
  }
  return info?.isDirectory() ? found.host : {}
}

/** At most HASH_CONCURRENCY hashing tasks in flight; `add` waits for room, `drain` for all. */
class HashQueue {
  private readonly inflight = new Set<Promise<void>>()

  async add(task: Promise<void>): Promise<void> {
    this.inflight.add(task)
    // The task's own failure surfaces through Promise.race/all; this only keeps the set current.
    task.finally(() => this.inflight.delete(task)).catch(() => undefined)
    if (this.inflight.size >= HASH_CONCURRENCY) await Promise.race(this.inflight)
  }

  async drain(): Promise<void> {
    await Promise.all(this.inflight)
  }
}

/** find's fields for a recent entry, each ended by NUL: type size mode uid gid mtime ctime inode device link-target path. */
const FIND_FIELDS = 11
const FIND_RECORD = 'R%y\\0%s\\0%m\\0%U\\0%G\\0%T@\\0%C@\\0%i\\0%D\\0%l\\0%p\\0'
/** An entry older than the window: `.` and its mtime, so an empty window can say when the tree last changed. */
const FIND_OLDER = '.%T@\\0'
const FIND_TYPES: Record<string, EntryType> = {b: 'device', c: 'device', d: 'dir', f: 'file', l: 'symlink', p: 'fifo', s: 'socket'}

/** The PHI walk's find command for one folder (on disk); `collectors list` shows the same argv. */
export function findArgv(top: string, since: Date, ctime: boolean): string[] {
  const at = `@${(since.getTime() / 1000).toFixed(3)}`
  return ['find', top, '-mindepth', '1', '(', '-newermt', at, ...(ctime ? ['-o', '-newerct', at] : []), ')', '-printf', FIND_RECORD, '-o', '-printf', FIND_OLDER]
}

/**
 * `find TOP -mindepth 1 ( -newermt @SINCE [-o -newerct @SINCE] ) -printf RECORD -o -printf .`,
 * streamed. Returns its command record, or undefined when find is not installed.
 */
async function findWalk(
  top: string,
  context: CollectorContext,
  counts: Counts,
  out: JsonlWriter,
  emit: Emit,
  hashing: HashQueue,
  warnings: string[],
  older: WindowTally,
  seenOf: (host: Buffer) => Buffer,
): Promise<CommandRecord | undefined> {
  const argv = findArgv(top, context.since, context.ctime)
  let carry = Buffer.alloc(0)
  const parse = async (chunk: Buffer) => {
    const buffer = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk
    let pos = 0
    while (pos < buffer.length) {
      if (buffer[pos] === 0x2e) {
        const end = buffer.indexOf(0, pos + 1)
        if (end === -1) break
        older.add(findTimeMs(buffer.toString('latin1', pos + 1, end)))
        counts.scanned++
        pos = end + 1
        continue
      }
      // The nine lstat fields are ASCII, decoded in one piece; the link target and the path stay
      // bytes: a name that is not UTF-8 is opened, hashed and recorded exactly as find printed it.
      const ends: number[] = []
      let at = pos + 1
      while (ends.length < FIND_FIELDS) {
        const end = buffer.indexOf(0, at)
        if (end === -1) break
        ends.push(end)
        at = end + 1
      }
      if (ends.length < FIND_FIELDS) break
      const [type, size, mode, uid, gid, mtime, ctime, ino, dev] = buffer.toString('latin1', pos + 1, ends[8]).split('\0') as [string, string, string, string, string, string, string, string, string]
      const linkTarget = buffer.subarray((ends[8] as number) + 1, ends[9])
      const host = Buffer.from(buffer.subarray((ends[9] as number) + 1, ends[10]))
      pos = at
      counts.scanned++
      const found: Found = {host, seen: seenOf(host)}
      const entry: PhiFileEntry = {
        ctime: isoMs(findTimeMs(ctime)),
        gid: Number(gid),
        mode: mode.padStart(4, '0'),
        mtime: isoMs(findTimeMs(mtime)),
        ...pathFields(found.seen),
        sha256: null,
        size: Number(size),
        type: FIND_TYPES[type] ?? 'device',
        uid: Number(uid),
      }
      if (entry.type === 'symlink') setTarget(entry, linkTarget)
      if (entry.type !== 'file') {
        emit(entry)
        continue
      }
      const ids = {dev: Number(dev), ino: Number(ino)}
      if (hashSmall(entry, found, ids, context, counts)) emit(entry)
      else await hashing.add(hashInto(entry, found, ids, context, counts).then(emit))
    }
    carry = pos < buffer.length ? Buffer.from(buffer.subarray(pos)) : Buffer.alloc(0)
    await out.settle()
  }
  const result = await execStream({
    argv,
    onStderrLine: (line) => {
      if (line.includes('Permission denied')) counts.denied++
      else if (line.includes('No such file or directory')) counts.vanished++
      else if (warnings.length < 20 && line.trim() !== '') warnings.push(line)
    },
    onStdout: parse,
    timeoutMs: context.planned.spec.timeoutMs,
  })
  if (result.notFound) return undefined
  const code = result.exitCode
  const signal = result.signal
  const durationMs = result.durationMs
  const bytes = result.bytes
  const stderr = result.stderr
  const explained = code === 0 || (code === 1 && (counts.denied > 0 || counts.vanished > 0))
  const record: CommandRecord = {
    argv, bytes, duration_ms: durationMs, exit_code: code, name: 'find', output: 'phi-files/recently-modified.jsonl',
    signal, status: result.timedOut ? 'timed-out' : explained ? 'ok' : 'failed', stderr, timed_out: result.timedOut,
    ...(explained ? {} : {reason: `find exited ${code ?? signal}`}),
  }
  logCommand(context.log, 'phi-files', record)
  if (!explained) warnings.push(`find exited ${code ?? signal}: the listing may be incomplete`)
  return record
}

/**
 * A file time as ISO 8601 with its fraction truncated to whole milliseconds (never rounded up to a
 * moment after the change). Both walks use it, so find's listing and the fallback's agree exactly.
 */
function isoMs(ms: number): string {
  return isoFromMs(Math.floor(ms))
}

/** find's `%T@` (seconds with a fraction) as whole milliseconds, truncated like isoMs. */
export function findTimeMs(text: string): number {
  const dot = text.indexOf('.')
  if (dot === -1) return Number(text) * 1000
  let ms = 0
  for (let i = dot + 1; i < dot + 4; i++) ms = ms * 10 + (i < text.length ? text.charCodeAt(i) - 48 : 0)
  const seconds = Number(text.slice(0, dot)) * 1000
  return text.charCodeAt(0) === 0x2d ? seconds - ms : seconds + ms
}

/**
 * Depth-first walk with one open directory handle per level. The directory reads and lstat calls
 * are synchronous on purpose: a million promise round-trips through the thread pool cost ten
 * times more than the system calls themselves, and nothing else runs while collect walks.
 */
function* walk(dir: Buffer, counts: {denied: number}): Generator<{path: Buffer; stat: Stats}> {
  let handle: Dir
  try {
    handle = opendirSync(dir, {bufferSize: 128, encoding: 'buffer' as BufferEncoding})
  } catch (error) {
    if (errnoCode(error) === 'EACCES') counts.denied++
    return
  }
  try {
    for (let dirent = handle.readSync(); dirent !== null; dirent = handle.readSync()) {
      // Names as bytes (encoding 'buffer'): never decoded, so never confused with another name.
      const path = Buffer.concat([dir, SLASH, dirent.name as unknown as Buffer])
      let stat: Stats
      try {
        stat = lstatSync(path)
      } catch {
        continue // vanished between readdir and lstat: nothing to describe
      }
      yield {path, stat}
      if (stat.isDirectory()) yield* walk(path, counts)
    }
  } finally {
    handle.closeSync()
  }
}

function isRecent(stat: Stats, context: CollectorContext): boolean {
  const since = context.since.getTime()
  return stat.mtimeMs > since || (context.ctime && stat.ctimeMs > since)
}

export function entryType(stat: Stats): EntryType {
  if (stat.isFile()) return 'file'
  if (stat.isDirectory()) return 'dir'
  if (stat.isSymbolicLink()) return 'symlink'
  if (stat.isFIFO()) return 'fifo'
  if (stat.isSocket()) return 'socket'
  return 'device'
}

const SLASH = Buffer.from('/')

/** `path` (and `path_encoding` when the bytes are not UTF-8): lossless, so two names never share a record. */
function pathFields(seen: Buffer): Pick<PhiFileEntry, 'path' | 'path_encoding'> {
  const {text, encoding} = encodeName(seen)
  return {path: text, ...(encoding ? {path_encoding: encoding} : {})}
}

function setTarget(entry: PhiFileEntry, target: Buffer): void {
  const {text, encoding} = encodeName(target)
  entry.target = text
  if (encoding) entry.target_encoding = encoding
}

function describe(at: Found, stat: Stats): PhiFileEntry {
  return {
    ctime: isoMs(stat.ctimeMs),
    gid: stat.gid,
    mode: (stat.mode & 0o7777).toString(8).padStart(4, '0'),
    mtime: isoMs(stat.mtimeMs),
    ...pathFields(at.seen),
    sha256: null,
    size: stat.size,
    type: entryType(stat),
    uid: stat.uid,
  }
}

/**
 * Hashes a listed regular file into `entry` at once when it is small (hashSmallRegularFileSync: no
 * promise, no thread-pool round-trip). False, with nothing read, when it must go through hashInto
 * instead: larger than SYNC_HASH_MAX_BYTES (listed so, or grown since), or copied (--include-contents).
 */
function hashSmall(entry: PhiFileEntry, at: Found, stat: {dev: number; ino: number}, context: CollectorContext, counts: {denied: number; vanished: number}): boolean {
  if (context.includeContents || entry.size > SYNC_HASH_MAX_BYTES) return false
  try {
    const result = hashSmallRegularFileSync(at.host, stat)
    if (result === undefined) return false
    entry.sha256 = result.sha256
  } catch (error) {
    recordHashError(entry, error, counts)
  }
  return true
}

async function hashInto(entry: PhiFileEntry, at: Found, stat: {dev: number; ino: number}, context: CollectorContext, counts: {denied: number; vanished: number}): Promise<PhiFileEntry> {
  try {
    // With --include-contents the copy is written from the same checked handle, in the same pass as the hash.
    // A name that is not UTF-8 is copied below contents-escaped/ under its escaped path: every bundle member
    // name stays UTF-8 (listed and verified alike everywhere), and the two trees never share a name.
    const escaped = entry.path_encoding === 'escaped'
    const copy = context.includeContents ? contentsTarget(join(context.outDir, escaped ? 'contents-escaped' : 'contents'), escaped ? Buffer.from(entry.path) : at.seen) : undefined
    if (copy !== undefined) await ensureEvidenceDir(dirname(copy))
    entry.sha256 = (await hashRegularFileSafely(at.host, {dev: stat.dev, ino: stat.ino}, copy)).sha256
  } catch (error) {
    recordHashError(entry, error, counts)
  }
  return entry
}

function recordHashError(entry: PhiFileEntry, error: unknown, counts: {denied: number; vanished: number}): void {
  const code = errnoCode(error)
  if (code === 'EACCES') counts.denied++
  if (code === 'ENOENT') counts.vanished++
  entry.error = code === 'ENOENT' ? 'vanished before it could be hashed' : code === 'EACCES' ? 'permission denied' : errorMessage(error)
}

/**
 * Where an --include-contents copy goes: `contents/` + the system path (UTF-8: a name that is not is
 * given here escaped). Every part is checked: no empty, `.` or `..` part, so the copy can only land
 * below `contents/`.
 */
export function contentsTarget(contentsDir: string, seen: Buffer): string {
  if (seen[0] !== 0x2f) throw Object.assign(new Error('not an absolute system path; not copied'), {code: 'EPATH'})
  let start = 1
  while (start <= seen.length) {
    const end = seen.indexOf(0x2f, start) === -1 ? seen.length : seen.indexOf(0x2f, start)
    const part = seen.subarray(start, end).toString('latin1')
    if (part === '' || part === '.' || part === '..') throw Object.assign(new Error('path has an empty, . or .. part; not copied'), {code: 'EPATH'})
    start = end + 1
  }
  return `${contentsDir.replace(/\/+$/, '')}${seen.toString('utf8')}`
}
