import {lstatSync, readdirSync, readFileSync, readlinkSync, statSync} from 'node:fs'

import {errnoCode} from '../../core/errors.js'
import {encodeName, type NameEncoding} from '../../io/byte-names.js'
import {exeTarget, isKernelThread, parseCmdline, parseProcStat, parseStatusUid, socketInode, type ProcStat} from '../parsers/proc.js'

/** What could not be read of one process, by field, and why (a kernel thread's missing exe is said here too). */
export type Missing = Partial<Record<'cmdline' | 'cwd' | 'exe' | 'exe_sha256' | 'sockets' | 'uid', string>>

/** One process as /proc showed it. The reads are synchronous: a few system calls each, nothing else runs meanwhile. */
export interface ProcessFacts {
  stat: ProcStat
  uid: number | null
  kernelThread: boolean
  cmdline: string[] | null
  exe: string | null
  exeEncoding?: NameEncoding
  exeDeleted: boolean
  /** `dev:ino` of the executable (through /proc/PID/exe, so a deleted one too): the hash cache key. */
  exeKey: string | null
  cwd: string | null
  cwdEncoding?: NameEncoding
  /** Sockets among the open files, by fd; null when the fd folder could not be read. */
  socketFds: {fd: number; inode: number}[] | null
  /** `net:[INODE]`, the network namespace whose socket tables hold this process's sockets. */
  netns: string | null
  missing: Missing
  /** Fields denied to us (EACCES/EPERM): what a run as root would have shown. */
  denied: (keyof Missing)[]
}

/** Thrown (as a value) when the process exited while it was being read: normal, counted, not recorded. */
export const VANISHED = Symbol('vanished')

/** The reason of a denied read; the engine adds what to do about it (rerun as root, when not root). */
export const DENIED_REASON = 'permission denied'

const GONE = new Set(['ENOENT', 'ESRCH'])
const DENIED = new Set(['EACCES', 'EPERM'])

/** Reads /proc/PID; VANISHED when the process is gone before its stat could be read. */
export function readProcess(pid: number): ProcessFacts | typeof VANISHED {
  const base = `/proc/${pid}`
  let stat: ProcStat | null
  try {
    stat = parseProcStat(readFileSync(`${base}/stat`, 'latin1'))
  } catch (error) {
    if (GONE.has(errnoCode(error) ?? '')) return VANISHED
    throw error
  }
  if (stat === null) return VANISHED
  const facts: ProcessFacts = {
    cmdline: null, cwd: null, denied: [], exe: null, exeDeleted: false, exeKey: null,
    kernelThread: isKernelThread(stat), missing: {}, netns: null, socketFds: null, stat, uid: null,
  }
  let gone = false
  const attempt = <T>(field: keyof Missing, read: () => T): T | null => {
    try {
      return read()
    } catch (error) {
      const code = errnoCode(error) ?? 'EIO'
      if (DENIED.has(code)) facts.denied.push(field)
      if (GONE.has(code)) gone = true
      facts.missing[field] = reasonOf(code, stat)
      return null
    }
  }
  facts.uid = attempt('uid', () => parseStatusUid(readFileSync(`${base}/status`, 'latin1')))
  facts.cmdline = attempt('cmdline', () => parseCmdline(readFileSync(`${base}/cmdline`)))
  if (facts.kernelThread) {
    facts.missing.exe = 'kernel thread: it has no executable'
  } else {
    readExe(base, facts, attempt)
  }
  const cwd = attempt('cwd', () => readlinkSync(`${base}/cwd`, {encoding: 'buffer'}))
  if (cwd !== null) {
    const {text, encoding} = encodeName(cwd)
    facts.cwd = text
    if (encoding) facts.cwdEncoding = encoding
  }
  facts.socketFds = attempt('sockets', () => socketFds(base))
  facts.netns = attempt('sockets', () => readlinkSync(`${base}/ns/net`))
  // A read that found nothing because the process exited meanwhile: it is gone, not half-recorded.
  if (gone && stat.state !== 'Z' && !stillThere(base)) return VANISHED
  return facts
}

type Attempt = <T>(field: keyof Missing, read: () => T) => T | null

function readExe(base: string, facts: ProcessFacts, attempt: Attempt): void {
  const link = attempt('exe', () => readlinkSync(`${base}/exe`, {encoding: 'buffer'}))
  if (link === null) return
  // The inode behind the link (a deleted binary's too): the key that lets each executable be hashed once.
  const info = attempt('exe_sha256', () => statSync(`${base}/exe`))
  const {text, encoding} = encodeName(link)
  const target = exeTarget(text)
  facts.exeDeleted = target.deleted && !namedSo(text, info)
  facts.exe = facts.exeDeleted ? target.path : text
  if (encoding) facts.exeEncoding = encoding
  if (info !== null) facts.exeKey = `${info.dev}:${info.ino}`
}

/**
 * The kernel appends ` (deleted)` to the link of an unlinked binary, but a file may also be named
 * `x (deleted)`: when a file of that full name is there and is the same inode, nothing was deleted.
 */
function namedSo(link: string, info: {dev: number; ino: number} | null): boolean {
  if (info === null) return false
  try {
    const named = lstatSync(link)
    return named.dev === info.dev && named.ino === info.ino
  } catch {
    return false
  }
}

function stillThere(base: string): boolean {
  try {
    readFileSync(`${base}/stat`)
    return true
  } catch {
    return false
  }
}

function socketFds(base: string): {fd: number; inode: number}[] {
  const sockets: {fd: number; inode: number}[] = []
  for (const name of readdirSync(`${base}/fd`)) {
    let link: string
    try {
      link = readlinkSync(`${base}/fd/${name}`)
    } catch {
      continue // closed between the listing and the read
    }
    const inode = socketInode(link)
    if (inode !== null) sockets.push({fd: Number(name), inode})
  }
  return sockets
}

function reasonOf(code: string, stat: ProcStat): string {
  if (DENIED.has(code)) return DENIED_REASON
  if (GONE.has(code)) return stat.state === 'Z' ? 'zombie: the process has exited and not yet been reaped' : 'the process exited while it was read'
  return code
}
