import {lstat, readdir, stat} from 'node:fs/promises'

import {linksNote, resolveInRoot} from '../../io/root-fs.js'

/** A log file and its rotations, oldest first: `secure.4.gz`, …, `secure.1`, `secure`. */
export interface LogFile {
  /** Where it is read on this machine (below --root, links resolved inside the image). */
  path: string
  /** The path as the system under investigation names it (`/var/log/secure.1`), for evidence. */
  seen: string
  name: string
  mtime: Date
  size: number
}

export interface RotatedLogs {
  files: LogFile[]
  /** Links met on the way (followed inside the image, never onto this machine), and what was left out and why. */
  notes: string[]
}

/**
 * Finds `BASE`, `BASE.1`, `BASE.N` and `BASE.N.gz` (also the dated `BASE-YYYYMMDD[.gz]` of RHEL's
 * logrotate) in a folder of the system under `root`, ordered oldest first so events come out in time
 * order. The folder and every file are resolved inside the image (resolveInRoot): an absolute link
 * such as `/var/log/auth.log -> /…/auth.log` is followed below the root, never to the examiner's file.
 * Only regular files are kept: a FIFO or device is noted and never opened.
 */
export async function findRotatedLogs(root: string, systemDir: string, base: string): Promise<RotatedLogs> {
  const notes: string[] = []
  const dir = resolveInRoot(root, systemDir)
  const dirNote = linksNote(systemDir, dir)
  if (dirNote) notes.push(dirNote)
  if (dir.problem) return {files: [], notes}
  let names: string[]
  try {
    names = await readdir(dir.host)
  } catch {
    return {files: [], notes}
  }
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`^${escaped}(?:\\.(\\d{1,4})|-(\\d{8}))?(?:\\.gz)?$`)
  const found: {file: LogFile; rank: number}[] = []
  for (const name of names) {
    const match = pattern.exec(name)
    if (!match) continue
    const seen = `${systemDir.replace(/\/+$/, '')}/${name}`
    const file = resolveInRoot(root, seen)
    const note = linksNote(seen, file)
    if (note) notes.push(note)
    if (file.problem) continue
    // Live (root /) the kernel resolves links as the system does; below a root nothing is left to follow.
    const info = await (root === '/' ? stat(file.host) : lstat(file.host)).catch(() => undefined)
    if (info === undefined) {
      if (file.links.length > 0) notes.push(`${seen}: the link leads nowhere inside the image; not read`)
      continue
    }
    if (!info.isFile()) {
      notes.push(`${seen}: not a regular file; not read`)
      continue
    }
    // Numbered rotations: higher is older. Dated rotations: earlier date is older. The live file is newest.
    const rank = match[1] !== undefined ? -Number(match[1]) : match[2] !== undefined ? Number(match[2]) - 1e9 : Number.POSITIVE_INFINITY
    found.push({file: {mtime: info.mtime, name, path: file.host, seen, size: info.size}, rank})
  }
  return {files: found.sort((a, b) => a.rank - b.rank || a.file.mtime.getTime() - b.file.mtime.getTime()).map((f) => f.file), notes}
}
