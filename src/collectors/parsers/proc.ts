/**
 * The /proc files the processes collector reads, parsed: /proc/PID/stat, /proc/PID/status,
 * /proc/PID/cmdline, /proc/stat's boot time and the `readlink /proc/PID/exe` target. Pure.
 */

export interface ProcStat {
  comm: string
  /** The kernel's PF_* flags (field 9): PF_KTHREAD marks a kernel thread. */
  flags: number
  pid: number
  ppid: number
  /** Start time in clock ticks after boot (field 22). */
  startTicks: number
  state: string
}

/**
 * `/proc/PID/stat`. The command name sits in parentheses and may itself hold spaces and `)`: the
 * fields resume after the LAST `)`.
 */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 1 || close < open) return null
  const pid = Number(text.slice(0, open).trim())
  const rest = text.slice(close + 1).trim().split(/\s+/)
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const ppid = Number(rest[1])
  const flags = Number(rest[6])
  const startTicks = Number(rest[19])
  if (![pid, ppid, flags, startTicks].every(Number.isSafeInteger)) return null
  return {comm: text.slice(open + 1, close), flags, pid, ppid, startTicks, state: rest[0] ?? '?'}
}

/** PF_KTHREAD (include/linux/sched.h): a kernel thread, which has no executable, cmdline or user memory. */
const PF_KTHREAD = 0x0020_0000

export function isKernelThread(stat: ProcStat): boolean {
  return (stat.flags & PF_KTHREAD) !== 0
}

/** The real uid from `/proc/PID/status` (`Uid:\treal\teffective\tsaved\tfs`). */
export function parseStatusUid(text: string): number | null {
  const match = /^Uid:\s+(\d+)/m.exec(text)
  return match === null ? null : Number(match[1])
}

/** `/proc/stat`'s `btime` (boot time, seconds since the epoch). */
export function parseBootTime(text: string): number | null {
  const match = /^btime\s+(\d+)$/m.exec(text)
  return match === null ? null : Number(match[1])
}

/** argv from `/proc/PID/cmdline` (NUL-separated, usually NUL-terminated); empty for kernel threads. */
export function parseCmdline(bytes: Buffer): string[] {
  const text = bytes.toString('utf8')
  const parts = text.split('\0')
  if (parts.at(-1) === '') parts.pop()
  return parts
}

/** The start time in ISO 8601 UTC from the boot time and the ticks after boot. */
export function processStart(bootSeconds: number, startTicks: number, ticksPerSecond: number): string {
  return new Date(bootSeconds * 1000 + Math.round((startTicks * 1000) / ticksPerSecond)).toISOString()
}

/** `readlink /proc/PID/exe` ends with ` (deleted)` when the binary was removed after the process started. */
export function exeTarget(link: string): {deleted: boolean; path: string} {
  const deleted = link.endsWith(' (deleted)')
  return {deleted, path: deleted ? link.slice(0, -' (deleted)'.length) : link}
}

/** The inode of a `/proc/PID/fd/N` link to a socket (`socket:[123456]`); null for anything else. */
export function socketInode(link: string): number | null {
  const match = /^socket:\[(\d{1,15})\]$/.exec(link)
  return match === null ? null : Number(match[1])
}

/** AT_CLKTCK, the auxiliary vector's entry for the kernel's clock ticks per second (USER_HZ). */
const AT_CLKTCK = 17

/**
 * USER_HZ, the unit of /proc/PID/stat's start time, from `/proc/self/auxv` (pairs of native words:
 * type, value; 64-bit little-endian unless told). Null when the vector does not hold it.
 */
export function clockTicksFromAuxv(bytes: Buffer, wordBytes: 4 | 8 = 8, byteOrder: 'BE' | 'LE' = 'LE'): number | null {
  const word = (at: number): number => {
    if (wordBytes === 4) return byteOrder === 'LE' ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at)
    return Number(byteOrder === 'LE' ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))
  }
  for (let at = 0; at + 2 * wordBytes <= bytes.length; at += 2 * wordBytes) {
    const type = word(at)
    if (type === 0) break
    if (type === AT_CLKTCK) {
      const ticks = word(at + wordBytes)
      return ticks > 0 && ticks <= 100_000 ? ticks : null
    }
  }
  return null
}
