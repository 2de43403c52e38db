/**
 * The kernel's socket tables `/proc/net/tcp`, `tcp6`, `udp` and `udp6` (also `/proc/PID/net/…`, the
 * tables of that process's network namespace). Pure: text in, rows out; never throws.
 *
 * Each row is `sl: LOCAL REMOTE st tx:rx tr:when retrnsmt uid timeout inode …`, addresses in hex as
 * the kernel's memory holds them: an IPv4 address is one 32-bit word and an IPv6 address four, each
 * word in the host's byte order (little-endian on x86-64 and arm64: `0100007F` is 127.0.0.1); the
 * port is a plain big hex number (`1F56` is 8022).
 */
import {splitLines, tokenize} from './text.js'

export type ProcNetProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6'

export interface ProcNetSocket {
  protocol: ProcNetProtocol
  /** ss's name for the state (`LISTEN`, `ESTAB`, `UNCONN`, `TIME-WAIT`, …). */
  state: string
  /** A TCP listener, or a bound UDP socket with no peer (what `ss -l` lists). */
  listening: boolean
  local_address: string
  local_port: number
  remote_address: string
  remote_port: number
  /** The owner's uid as the kernel records it. */
  uid: number
  /** The socket's inode: `/proc/PID/fd/N -> socket:[INODE]` names it. 0 for sockets no process holds (TIME-WAIT). */
  inode: number
}

/** The kernel's TCP states (include/net/tcp_states.h) by their hex code, named as ss names them. */
const STATES: Record<string, string> = {
  '01': 'ESTAB', '02': 'SYN-SENT', '03': 'SYN-RECV', '04': 'FIN-WAIT-1', '05': 'FIN-WAIT-2', '06': 'TIME-WAIT',
  '07': 'UNCONN', '08': 'CLOSE-WAIT', '09': 'LAST-ACK', '0A': 'LISTEN', '0B': 'CLOSING', '0C': 'NEW-SYN-RECV',
}

export type ByteOrder = 'BE' | 'LE'

/** One table's rows; `byteOrder` is the host's (os.endianness()), little-endian unless told. Lines that do not parse are left out. */
export function parseProcNet(text: string, protocol: ProcNetProtocol, byteOrder: ByteOrder = 'LE'): ProcNetSocket[] {
  const rows: ProcNetSocket[] = []
  for (const line of splitLines(text)) {
    const tokens = tokenize(line, 10)
    if (tokens.length < 10 || !tokens[0]?.text.endsWith(':')) continue
    const local = endpoint(tokens[1]?.text ?? '', byteOrder)
    const remote = endpoint(tokens[2]?.text ?? '', byteOrder)
    const code = (tokens[3]?.text ?? '').toUpperCase()
    const uid = decimal(tokens[7]?.text)
    const inode = decimal(tokens[9]?.text)
    if (!local || !remote || uid === null || inode === null) continue
    const state = STATES[code] ?? `UNKNOWN-${code}`
    const udp = protocol === 'udp' || protocol === 'udp6'
    rows.push({
      inode,
      listening: udp ? state === 'UNCONN' && remote.port === 0 : state === 'LISTEN',
      local_address: local.address,
      local_port: local.port,
      protocol,
      remote_address: remote.address,
      remote_port: remote.port,
      state,
      uid,
    })
  }
  return rows
}

function decimal(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null
  return Number(text)
}

/** `0100007F:1F56` or 32 hex digits and a port; null when it is neither. */
function endpoint(text: string, byteOrder: ByteOrder): {address: string; port: number} | null {
  const match = /^([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})$/.exec(text)
  if (match === null) return null
  const bytes = wordBytes(match[1] as string, byteOrder)
  return {address: bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes), port: Number.parseInt(match[2] as string, 16)}
}

/** The address's bytes in network order, from 32-bit words printed in the host's order. */
function wordBytes(hex: string, byteOrder: ByteOrder): number[] {
  const bytes: number[] = []
  for (let word = 0; word < hex.length; word += 8) {
    const wordBytes = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(word + i, word + i + 2), 16))
    bytes.push(...(byteOrder === 'LE' ? wordBytes.reverse() : wordBytes))
  }
  return bytes
}

/**
 * An IPv6 address as inet_ntop (and so ss) prints it: lower-case groups without leading zeros, the
 * longest run of two or more zero groups (the first of equals) as `::`, and an IPv4-mapped or
 * IPv4-compatible address with its last 32 bits dotted (`::ffff:127.0.0.1`).
 */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0))
  const dotted = `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`
  if (groups.slice(0, 5).every((g) => g === 0)) {
    if (groups[5] === 0xffff) return `::ffff:${dotted}`
    // inet_ntop's IPv4-compatible form (::a.b.c.d), but never for :: and ::1.
    if (groups[5] === 0 && (groups[6] ?? 0) !== 0) return `::${dotted}`
  }
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i]
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestStart === -1) return hex.join(':')
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`
}
