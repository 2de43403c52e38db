import {closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync} from 'node:fs'
import path from 'node:path'

/** More links than this on one path is a loop (Linux's own limit). */
const MAX_SYMLINK_HOPS = 40

/** A system path resolved below the root as that system would resolve it. */
export interface InRoot {
  /** Where it is on this machine: below the root, with no link among its folders (nor the last part unless `keepLast`). */
  host: string
  /** Every link followed on the way, as `link -> target` in the system's own paths (for the acquisition log). */
  links: string[]
  /** Set when the path cannot be resolved (a link loop): nothing below it may be read. */
  problem?: string
}

/**
 * Resolves `systemPath` (as seen on the system under investigation) to its place below `root`, the
 * way `chroot ROOT` would: every link, absolute (`/var/run -> /run`) or with `..`, is followed below
 * the root, and `..` at the top stays at the top. Nothing resolves onto the examiner's machine. A part
 * that does not exist ends the lookups; the rest is joined lexically, still below the root.
 * `keepLast` leaves the last part unresolved (for lstat and for listing a link as a link).
 * With root `/` (the live system) the path is the system's own and is returned as given.
 */
export function resolveInRoot(root: string, systemPath: string, keepLast = false): InRoot {
  const parts = systemPath.split('/').filter((part) => part !== '' && part !== '.')
  if (root === '/' || root === '') return {host: `/${parts.join('/')}`, links: []}
  const links: string[] = []
  const resolved: string[] = []
  let queue = parts
  let hops = 0
  let missing = false
  while (queue.length > 0) {
    const [part = '', ...rest] = queue
    queue = rest
    if (part === '.') continue
    if (part === '..') {
      resolved.pop()
      continue
    }
    if (missing || (keepLast && queue.length === 0)) {
      resolved.push(part)
      continue
    }
    const candidate = path.join(root, ...resolved, part)
    let link: string | undefined
    try {
      link = lstatSync(candidate).isSymbolicLink() ? readlinkSync(candidate) : undefined
    } catch {
      missing = true
      resolved.push(part)
      continue
    }
    if (link === undefined) {
      resolved.push(part)
      continue
    }
    links.push(`/${[...resolved, part].join('/')} -> ${link}`)
    if (++hops > MAX_SYMLINK_HOPS) return {host: path.join(root, ...resolved, part), links, problem: 'too many levels of symbolic links'}
    if (link.startsWith('/')) resolved.length = 0
    queue = [...link.split('/').filter((item) => item !== ''), ...queue]
  }
  return {host: path.join(root, ...resolved), links}
}

/** A one-line note for the acquisition log: which links were followed, and that they stayed below the root. */
export function linksNote(systemPath: string, found: InRoot): string | undefined {
  if (found.problem) return `${systemPath}: ${found.problem} (${found.links.slice(0, 3).join(', ')}); not read`
  if (found.links.length === 0) return undefined
  return `${systemPath}: link${found.links.length > 1 ? 's' : ''} ${found.links.join(', ')} followed inside the image (never onto this machine)`
}

/** Why a single small file of the system could not be read (not there, not a regular file, too big, a link loop). */
export class SystemFileError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

/**
 * Reads one small file of the system under investigation (`/etc/hostname`, `/etc/timezone`, an sshd
 * config): resolved below the root, opened without following a last link and without blocking (a
 * FIFO never hangs), required to be a regular file, and read to at most `maxBytes` (a link to
 * /dev/zero is refused, never read without end). Throws SystemFileError with the reason.
 */
export function readSystemFile(root: string, systemPath: string, maxBytes: number): {bytes: Buffer; host: string; links: string[]} {
  const found = resolveInRoot(root, systemPath)
  if (found.problem) throw new SystemFileError(`${systemPath}: ${found.problem}`, 'ELOOP')
  // Live, the kernel's own resolution is the system's; below a root the last part was resolved above.
  return {bytes: readRegularFileBounded(found.host, maxBytes, systemPath, root === '/'), host: found.host, links: found.links}
}

/** The first read of a file that reports a smaller size (a /proc file reports 0). */
const FIRST_READ_BYTES = 64 * 1024

/**
 * A regular file's bytes, at most `maxBytes`: opened O_NONBLOCK (and O_NOFOLLOW unless `followLast`),
 * then fstat; anything but a regular file is refused.
 */
export function readRegularFileBounded(hostPath: string | Buffer, maxBytes: number, shownAs = String(hostPath), followLast = false): Buffer {
  let fd: number
  try {
    fd = openSync(hostPath, constants.O_RDONLY | constants.O_NONBLOCK | (followLast ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO'
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ELOOP' ? 'is a symbolic link' : code === 'EACCES' ? 'permission denied' : code
    throw new SystemFileError(`${shownAs} ${why}`, code)
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw new SystemFileError(`${shownAs} is not a regular file`, 'ENOTREG')
    if (stat.size > maxBytes) throw new SystemFileError(`${shownAs} is larger than ${maxBytes} bytes`, 'EFBIG')
    // Sized to the file (plus a byte that finds the end), not to the cap: a 16 MiB buffer for each
    // unit file made the persistence collector allocate gigabytes. Grows, doubling up to the cap, for
    // a file that grew since fstat or reports no size (/proc).
    let buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, FIRST_READ_BYTES)))
    let size = 0
    for (;;) {
      if (size === buffer.length) {
        const larger = Buffer.alloc(Math.min(maxBytes + 1, buffer.length * 2))
        buffer.copy(larger, 0, 0, size)
        buffer = larger
      }
      const read = readSync(fd, buffer, size, buffer.length - size, null)
      if (read === 0) break
      size += read
      if (size > maxBytes) throw new SystemFileError(`${shownAs} is larger than ${maxBytes} bytes`, 'EFBIG')
    }
    return buffer.subarray(0, size)
  } finally {
    closeSync(fd)
  }
}
