import {createHash} from 'node:crypto'
import {lstatSync, readdirSync, readlinkSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {createEvidenceFile, ensureEvidenceDir} from '../../io/evidence-fs.js'
import {linksNote, readSystemFile, resolveInRoot, SystemFileError} from '../../io/root-fs.js'
import type {CollectorContext} from './context.js'

/** A small file of the system, read below --root: its bytes and what the bundle records of it. */
export interface SystemFile {
  /** The path as that system names it (`/etc/crontab`). */
  seen: string
  bytes: Buffer
  text: string
  /** ISO 8601 UTC. */
  mtime: string
  sha256: string
  uid: number
  /** `dev:ino` of the file read: the same file reached by two paths (a link, merged /usr) is one file. */
  id: string
}

/** What a path is, without following its last link: a masked unit is a link to /dev/null, a dangling link leads nowhere. */
export interface SystemEntry {
  type: 'dir' | 'file' | 'link' | 'missing' | 'other'
  /** The link's target as written, for `link`. */
  target?: string
}

/** Names a bundle copy may carry: printable ASCII, no `..` part (anything else is read but not copied). */
const COPYABLE = /^(?:\/[\x21-\x7e][\x20-\x7e]*)+$/

/**
 * Reads the system's configuration files for one collector: every path resolved inside --root
 * (resolveInRoot, so `/etc/x -> /etc/y` in an image never reaches the examiner's own /etc), regular
 * files only, bounded in size. What cannot be read is kept with the reason (permission denied, not a
 * regular file, too large, a link loop), for the manifest and the acquisition log: never silent.
 * A file that is not there is not an error; most systems lack most of these paths.
 */
export class SystemFiles {
  /** `path: reason` for every file or folder that exists but could not be read. */
  readonly unread: string[] = []
  /** Bundle-relative paths of the copies written (`persistence/raw/etc/crontab`). */
  readonly copies: string[] = []

  constructor(
    private readonly context: CollectorContext,
    private readonly collector: string,
    private readonly maxBytes: number,
  ) {}

  /** The --root of the collection (`/` live). */
  get root(): string {
    return this.context.root
  }

  /** The file, or undefined (absent, or unreadable and then noted). */
  read(seen: string): SystemFile | undefined {
    try {
      const {bytes, host, links} = readSystemFile(this.context.root, seen, this.maxBytes)
      if (links.length > 0) this.note(seen, linksNote(seen, {host, links}) ?? '')
      const info = statSync(host)
      return {bytes, mtime: info.mtime.toISOString(), seen, sha256: createHash('sha256').update(bytes).digest('hex'), text: bytes.toString('utf8'), uid: info.uid, id: `${info.dev}:${info.ino}`}
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return undefined
      this.cannotRead(seen, error)
      return undefined
    }
  }

  /** The names in a folder, sorted; [] when it is not there. */
  list(seenDir: string): string[] {
    const found = resolveInRoot(this.context.root, seenDir)
    if (found.problem) {
      this.cannotRead(seenDir, new SystemFileError(found.problem, 'ELOOP'))
      return []
    }
    try {
      return readdirSync(found.host).sort()
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT' && errnoCode(error) !== 'ENOTDIR') this.cannotRead(seenDir, error)
      return []
    }
  }

  /** What is at the path, its last part not followed. */
  entry(seen: string): SystemEntry {
    const found = resolveInRoot(this.context.root, seen, true)
    if (found.problem) return {type: 'other'}
    try {
      const info = lstatSync(found.host)
      if (info.isSymbolicLink()) return {target: readlinkSync(found.host), type: 'link'}
      return {type: info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other'}
    } catch {
      return {type: 'missing'}
    }
  }

  /** True when the path resolves (inside the image) to a folder. */
  isDir(seen: string): boolean {
    const found = resolveInRoot(this.context.root, seen)
    if (found.problem) return false
    try {
      return statSync(found.host).isDirectory()
    } catch {
      return false
    }
  }

  /** Keeps a copy below `raw/` in the collector's folder, under the path as seen (`raw/etc/crontab`). */
  async copy(file: SystemFile, bytes: Buffer = file.bytes): Promise<void> {
    if (!COPYABLE.test(file.seen) || file.seen.split('/').includes('..')) {
      this.note(file.seen, 'name not printable ASCII: read, not copied')
      return
    }
    const target = join(this.context.outDir, 'raw', file.seen)
    await ensureEvidenceDir(dirname(target))
    await createEvidenceFile(target, bytes)
    this.copies.push(`${this.context.planned.spec.outputDir}/raw${file.seen}`)
  }

  /** Records a path that could not be read, with its reason. */
  cannotRead(seen: string, error: unknown): void {
    const code = errnoCode(error)
    const reason =
      error instanceof SystemFileError
        ? error.message.startsWith(seen) ? error.message.slice(seen.length).trim() : error.message
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(error)
    const why = code === 'EACCES' && !this.context.isRoot ? `${reason} (rerun as root)` : reason
    this.unread.push(`${seen}: ${why}`)
    this.context.log.record({collector: this.collector, error: why, path: seen, status: 'failed', step: 'read-file'})
  }

  note(seen: string, note: string): void {
    this.context.log.record({collector: this.collector, note, path: seen, step: 'read-file'})
  }

  /** The engine's status and reason from what could not be read. */
  outcome(): {reason?: string; status: 'ok' | 'partial'} {
    if (this.unread.length === 0) return {status: 'ok'}
    const shown = this.unread.slice(0, 20).join('; ')
    return {reason: `could not read ${shown}${this.unread.length > 20 ? `; and ${this.unread.length - 20} more (see acquisition.jsonl)` : ''}`, status: 'partial'}
  }
}
