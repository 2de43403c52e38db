import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {JsonlWriter} from '../../io/evidence-fs.js'
import type {ProcNetSocket} from '../parsers/proc-net.js'
import {clockTicksFromAuxv, parseBootTime, processStart} from '../parsers/proc.js'
import type {CommandRecord} from '../record.js'
import type {CollectorEngine} from './context.js'
import {hashExecutables, type ExeHash} from './exe-hash.js'
import {HASH_CONCURRENCY} from './phi-walk.js'
import {DENIED_REASON, readProcess, VANISHED, type Missing, type ProcessFacts} from './proc-read.js'
import {socketsByInode} from './proc-sockets.js'
import {userNames} from './user-names.js'

/** One process's socket: which fd holds it and what the kernel's table says of it. */
export type ProcessSocket = {fd: number} & Omit<ProcNetSocket, 'uid'>

/** One line of `processes/processes.jsonl`: the contract's fields first, then this collector's own. */
export interface ProcessRow {
  pid: number
  ppid: number
  uid: number | null
  user: string | null
  start: string | null
  exe: string | null
  exe_deleted: boolean
  exe_sha256: string | null
  /** Runs from memory (memfd_create then exec), never from a file on disk: the kernel names it `/memfd:NAME`. */
  exe_fileless: boolean
  cwd: string | null
  cmdline: string[] | null
  comm: string
  state: string
  kernel_thread: boolean
  /** TCP and UDP sockets the process holds (listening and connected), by fd. */
  sockets: ProcessSocket[]
  /** Other sockets it holds (Unix, netlink, raw, packet): counted, not described. */
  other_sockets: number
  exe_encoding?: 'escaped'
  cwd_encoding?: 'escaped'
  /** What could not be read, by field, and why. */
  missing?: Missing
}

const OUT = 'processes.jsonl'

/**
 * Walks /proc (live only): every process with its parent, owner, start time, executable (deleted or
 * not, and its SHA-256, each distinct executable hashed once through /proc/PID/exe), working folder,
 * argv and its TCP/UDP sockets from the kernel's tables. A process that exits during the walk is
 * counted and left out; one that cannot be read in full says what and why.
 */
export const runProcesses: CollectorEngine = async (context) => {
  if (!context.live) {
    return {commands: [], files: [], reason: 'live-only: it shows the running system, not the one under --root', status: 'skipped', warnings: []}
  }
  const warnings: string[] = []
  const clock = startClock(warnings)
  const facts: ProcessFacts[] = []
  let vanished = 0
  for (const pid of listPids()) {
    const read = readProcess(pid)
    if (read === VANISHED) vanished++
    else facts.push(read)
  }
  const hashes = await hashExecutables(groupPids(facts, (f) => f.exeKey), HASH_CONCURRENCY)
  const sockets = socketsByInode(groupPids(facts, (f) => (f.socketFds === null ? null : f.netns)))
  const commands: CommandRecord[] = []
  const users = await userNames(new Set(facts.flatMap((f) => (f.uid === null ? [] : [f.uid]))), context, commands)
  const out = new JsonlWriter(join(context.outDir, OUT))
  const tally = {denied: {cwd: 0, exe: 0, sockets: 0}, deletedExe: 0, kernelThreads: 0, partly: 0, sockets: 0}
  try {
    for (const one of facts) {
      const row = processRow(one, clock, users, hashes, sockets.byInode, context.isRoot)
      if (row.kernel_thread) tally.kernelThreads++
      if (row.exe_deleted) tally.deletedExe++
      tally.sockets += row.sockets.length
      if (one.denied.length > 0) tally.partly++
      for (const field of ['cwd', 'exe', 'sockets'] as const) if (one.denied.includes(field)) tally.denied[field]++
      await out.write(row)
    }
  } finally {
    await out.close()
  }
  const failedHashes = [...hashes.values()].filter((h) => 'error' in h && !h.vanished)
  const hashedBytes = [...hashes.values()].reduce((sum, h) => sum + ('size' in h ? h.size : 0), 0)
  const problems: string[] = []
  if (tally.partly > 0) {
    const what = Object.entries(tally.denied).filter(([, n]) => n > 0).map(([field, n]) => `${field === 'sockets' ? 'open files' : field} of ${n}`)
    // Root too may be denied: a process of another user namespace, or one an LSM protects.
    const advice = context.isRoot ? 'denied even to root (another user namespace, or a process a security module protects)' : 'rerun as root'
    problems.push(`${tally.partly} of ${facts.length} processes could not be read in full: permission denied (${what.join(', ')}); ${advice}`)
  }
  if (failedHashes.length > 0) problems.push(`${failedHashes.length} of ${hashes.size} executables could not be hashed (${[...new Set(failedHashes.map((h) => ('error' in h ? h.error : '')))].join('; ')})`)
  if (sockets.unread > 0) problems.push(`the socket tables of ${sockets.unread} network namespaces could not be read`)
  warnings.push(...problems)
  // Denied even to root (a process of an outer namespace, one a security module guards): nothing a
  // rerun could fix and nothing the tool failed at. The rows say what is missing; the collector is
  // degraded, not partial. Denied to a user who is not root: partial, and rerun as root.
  const onlyRootDenied = context.isRoot && failedHashes.length === 0 && sockets.unread === 0
  const counts = {
    deleted_executables: tally.deletedExe, executables: hashes.size, hash_failed: failedHashes.length, hashed_bytes: hashedBytes, kernel_threads: tally.kernelThreads,
    partly_read: tally.partly, processes: facts.length, sockets: tally.sockets, vanished,
  }
  context.log.record({collector: context.planned.id, note: `${facts.length} processes read (${vanished} exited during the walk), ${hashes.size} distinct executables`, step: 'walk'})
  return {
    commands,
    counts,
    files: [`${context.planned.spec.outputDir}/${OUT}`],
    status: problems.length > 0 && !onlyRootDenied ? 'partial' : 'ok',
    warnings,
    ...(problems.length > 0 ? {reason: problems.join('; ')} : {}),
    ...(problems.length > 0 && onlyRootDenied ? {degraded: true} : {}),
  }
}

function listPids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b)
}

/** Pids by a key of theirs (null keys left out), in pid order. */
function groupPids(facts: readonly ProcessFacts[], keyOf: (f: ProcessFacts) => string | null): Map<string, number[]> {
  const groups = new Map<string, number[]>()
  for (const f of facts) {
    const key = keyOf(f)
    if (key === null) continue
    const pids = groups.get(key)
    if (pids) pids.push(f.stat.pid)
    else groups.set(key, [f.stat.pid])
  }
  return groups
}

interface Clock {
  bootSeconds: number | null
  ticksPerSecond: number
}

/** Boot time and USER_HZ, which turn a process's start in ticks after boot into a time. */
function startClock(warnings: string[]): Clock {
  let bootSeconds: number | null = null
  try {
    bootSeconds = parseBootTime(readFileSync('/proc/stat', 'latin1'))
  } catch {
    // said below
  }
  if (bootSeconds === null) warnings.push('/proc/stat holds no boot time: process start times are left out')
  let ticks: number | null = null
  try {
    ticks = clockTicksFromAuxv(readFileSync('/proc/self/auxv'), WORD_BYTES_32.has(process.arch) ? 4 : 8, BIG_ENDIAN.has(process.arch) ? 'BE' : 'LE')
  } catch {
    // said below
  }
  if (ticks === null) warnings.push('clock ticks per second not found in /proc/self/auxv: start times assume 100 (USER_HZ of every common kernel)')
  return {bootSeconds, ticksPerSecond: ticks ?? 100}
}

const WORD_BYTES_32 = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc'])
const BIG_ENDIAN = new Set(['mips', 'ppc', 'ppc64', 's390', 's390x'])

function processRow(f: ProcessFacts, clock: Clock, users: ReadonlyMap<number, string>, hashes: ReadonlyMap<string, ExeHash>, byInode: ReadonlyMap<number, ProcNetSocket>, isRoot: boolean): ProcessRow {
  const missing: Missing = {...f.missing}
  const hash = f.exeKey === null ? undefined : hashes.get(f.exeKey)
  if (hash && 'error' in hash) missing.exe_sha256 = hash.error
  if (!isRoot) for (const [field, why] of Object.entries(missing) as [keyof Missing, string][]) if (why === DENIED_REASON) missing[field] = `${why} (rerun as root)`
  const sockets: ProcessSocket[] = []
  let other = 0
  for (const {fd, inode} of f.socketFds ?? []) {
    const socket = byInode.get(inode)
    if (socket === undefined) {
      other++
      continue
    }
    const {uid: _uid, ...fields} = socket
    sockets.push({fd, ...fields})
  }
  return {
    pid: f.stat.pid,
    ppid: f.stat.ppid,
    uid: f.uid,
    user: f.uid === null ? null : (users.get(f.uid) ?? null),
    start: clock.bootSeconds === null ? null : processStart(clock.bootSeconds, f.stat.startTicks, clock.ticksPerSecond),
    exe: f.exe,
    exe_deleted: f.exeDeleted,
    exe_sha256: hash && 'sha256' in hash ? hash.sha256 : null,
    exe_fileless: f.exe?.startsWith('/memfd:') ?? false,
    cwd: f.cwd,
    cmdline: f.cmdline,
    comm: f.stat.comm,
    state: f.stat.state,
    kernel_thread: f.kernelThread,
    sockets,
    other_sockets: other,
    ...(f.exeEncoding ? {exe_encoding: f.exeEncoding} : {}),
    ...(f.cwdEncoding ? {cwd_encoding: f.cwdEncoding} : {}),
    ...(Object.keys(missing).length > 0 ? {missing} : {}),
  }
}
