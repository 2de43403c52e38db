import {lstatSync, readdirSync, type Stats} from 'node:fs'

import {errnoCode} from '../../core/errors.js'
import {readRegularFileBounded, resolveInRoot} from '../../io/root-fs.js'
import type {FileView, PathStat, TextFile} from '../types.js'

const MAX_FILE_BYTES = 4 * 1024 * 1024

function statType(stats: Stats): PathStat['type'] {
  if (stats.isFile()) return 'file'
  if (stats.isDirectory()) return 'dir'
  if (stats.isSymbolicLink()) return 'symlink'
  if (stats.isFIFO()) return 'fifo'
  if (stats.isSocket()) return 'socket'
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'device'
  return 'other'
}

/** A file the snapshot read, for the evidence copy: the system path and the bytes as read. */
export interface ReadRecord {
  bytes: Buffer
  hostPath: string
  path: string
  text: string
}

/**
 * FileView over a root directory. Paths are the inspected system's (`/etc/ssh/sshd_config`); they are
 * resolved below the root, and so are symbolic links, absolute ones included (a mounted image's
 * `/etc/foo -> /usr/share/foo` stays inside the image). Every file read is remembered for the evidence copy.
 */
export class RootView implements FileView {
  readonly problems: string[] = []
  readonly reads = new Map<string, ReadRecord>()
  private readonly misses = new Set<string>()

  constructor(readonly root: string) {}

  /** Host path for a system path, following symlinks below the root (resolveInRoot); `keepLast` leaves the final component unresolved (lstat). */
  hostPath(systemPath: string, keepLast = false): string | undefined {
    const found = resolveInRoot(this.root, systemPath, keepLast)
    return found.problem ? undefined : found.host
  }

  list(dir: string): string[] | undefined {
    const host = this.hostPath(dir)
    if (host === undefined) return undefined
    try {
      return readdirSync(host)
    } catch (error) {
      this.noteProblem(dir, error)
      return undefined
    }
  }

  lstat(systemPath: string): PathStat | undefined {
    const host = this.hostPath(systemPath, true)
    if (host === undefined) return undefined
    try {
      const stats = lstatSync(host)
      return {gid: stats.gid, mode: stats.mode, size: stats.size, type: statType(stats), uid: stats.uid}
    } catch (error) {
      this.noteProblem(systemPath, error)
      return undefined
    }
  }

  read(systemPath: string): TextFile | undefined {
    const cached = this.reads.get(systemPath)
    if (cached !== undefined) return {path: systemPath, text: cached.text}
    if (this.misses.has(systemPath)) return undefined
    const host = this.hostPath(systemPath)
    try {
      if (host === undefined) throw Object.assign(new Error('too many symbolic links'), {code: 'ELOOP'})
      // Non-blocking, no last link, regular files only, bounded: a FIFO or /dev/zero in the image never hangs the read.
      const bytes = readRegularFileBounded(host, MAX_FILE_BYTES, systemPath, this.root === '/')
      const text = bytes.toString('utf8')
      this.reads.set(systemPath, {bytes, hostPath: host, path: systemPath, text})
      return {path: systemPath, text}
    } catch (error) {
      this.misses.add(systemPath)
      this.noteProblem(systemPath, error)
      return undefined
    }
  }

  private noteProblem(systemPath: string, error: unknown): void {
    const code = errnoCode(error)
    if (code === 'ENOENT' || code === 'ENOTDIR') return
    this.problems.push(`${systemPath}: ${code ?? (error instanceof Error ? error.message : String(error))}`)
  }
}

