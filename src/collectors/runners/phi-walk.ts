import {chmod, copyFile, lstat, readlink} from 'node:fs/promises'
import {lstatSync, opendirSync, type Dir, type Stats} from 'node:fs'
import {dirname, join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {asSeen, onDisk} from '../../core/system-path.js'
import {ensureEvidenceDir, FILE_MODE, hashRegularFileSafely, JsonlWriter} from '../../io/evidence-fs.js'
import type {CollectorContext, CollectorEngine} from './context.js'

export type EntryType = 'device' | 'dir' | 'fifo' | 'file' | 'socket' | 'symlink'

export interface PhiFileEntry {
  path: string
  type: EntryType
  size: number
  mode: string
  uid: number
  gid: number
  mtime: string
  ctime: string
  sha256: string | null
  target?: string
  error?: string
}

/** How many files are hashed at once: enough to keep a disk busy, few enough to bound memory. */
export const HASH_CONCURRENCY = 4

/**
 * Walks each PHI folder without following links, streaming: one open directory handle per depth
 * level and at most HASH_CONCURRENCY files hashed at a time, so memory does not grow with the tree.
 * Lists every entry whose mtime (or, with --ctime, ctime) is newer than --since. FIFOs, sockets and
 * devices are listed from lstat alone and never opened.
 */
export const runPhiWalk: CollectorEngine = async (context) => {
  const out = new JsonlWriter(join(context.outDir, 'recently-modified.jsonl'))
  const counts = {denied: 0, listed: 0, scanned: 0, vanished: 0}
  const warnings: string[] = []
  const missingDirs: string[] = []
  const inflight = new Set<Promise<void>>()
  const emit = async (entry: PhiFileEntry) => {
    counts.listed++
    await out.write(entry)
  }
  try {
    for (const dir of context.phiDirs) {
      const top = onDisk(context.root, dir)
      const info = await lstat(top).catch(() => undefined)
      if (!info?.isDirectory()) {
        missingDirs.push(dir)
        continue
      }
      for (const item of walk(top, counts)) {
        counts.scanned++
        if (!isRecent(item.stat, context)) continue
        const entry = describe(context.root, item.path, item.stat)
        if (entry.type === 'symlink') {
          entry.target = await readlink(item.path).catch(() => '')
        }
        if (entry.type !== 'file') {
          await emit(entry)
          continue
        }
        const task = hashInto(entry, item.path, item.stat, context, counts).then(emit)
        inflight.add(task)
        // The task's own failure surfaces through Promise.race/all below; this only keeps the set current.
        task.finally(() => inflight.delete(task)).catch(() => undefined)
        if (inflight.size >= HASH_CONCURRENCY) await Promise.race(inflight)
      }
    }
    await Promise.all(inflight)
  } finally {
    await out.close()
  }
  if (missingDirs.length > 0) warnings.push(`PHI folder not found: ${missingDirs.join(', ')} (name yours with --phi-dir)`)
  if (counts.denied > 0) warnings.push(`${counts.denied} entries could not be read: permission denied (rerun as root)`)
  const nothing = missingDirs.length === context.phiDirs.length
  return {
    commands: [],
    counts,
    files: ['phi-files/recently-modified.jsonl'],
    status: nothing ? 'skipped' : counts.denied > 0 ? 'partial' : 'ok',
    warnings,
    ...(nothing ? {reason: `no PHI folder found (${missingDirs.join(', ')}); name yours with --phi-dir`} : {}),
    ...(!nothing && counts.denied > 0 ? {reason: `${counts.denied} entries could not be read (permission denied)`} : {}),
  }
}

/**
 * Depth-first walk with one open directory handle per level. The directory reads and lstat calls
 * are synchronous on purpose: a million promise round-trips through the thread pool cost ten
 * times more than the system calls themselves, and nothing else runs while collect walks.
 */
function* walk(dir: string, counts: {denied: number}): Generator<{path: string; stat: Stats}> {
  let handle: Dir
  try {
    handle = opendirSync(dir, {bufferSize: 128})
  } catch (error) {
    if (errnoCode(error) === 'EACCES') counts.denied++
    return
  }
  try {
    for (let dirent = handle.readSync(); dirent !== null; dirent = handle.readSync()) {
      const path = join(dir, dirent.name)
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

function describe(root: string, path: string, stat: Stats): PhiFileEntry {
  return {
    ctime: stat.ctime.toISOString(),
    gid: stat.gid,
    mode: (stat.mode & 0o7777).toString(8).padStart(4, '0'),
    mtime: stat.mtime.toISOString(),
    path: asSeen(root, path),
    sha256: null,
    size: stat.size,
    type: entryType(stat),
    uid: stat.uid,
  }
}

async function hashInto(entry: PhiFileEntry, path: string, stat: Stats, context: CollectorContext, counts: {denied: number; vanished: number}): Promise<PhiFileEntry> {
  try {
    const {sha256} = await hashRegularFileSafely(path, {dev: stat.dev, ino: stat.ino})
    entry.sha256 = sha256
    if (context.includeContents) {
      const copy = join(context.outDir, 'contents', entry.path)
      await ensureEvidenceDir(dirname(copy))
      await copyFile(path, copy)
      await chmod(copy, FILE_MODE)
    }
  } catch (error) {
    const code = errnoCode(error)
    if (code === 'EACCES') counts.denied++
    if (code === 'ENOENT') counts.vanished++
    entry.error = code === 'ENOENT' ? 'vanished before it could be hashed' : code === 'EACCES' ? 'permission denied' : errorMessage(error)
  }
  return entry
}
