import {restFrom, splitLines, toInt, tokenize, type Token} from './text.js'

/** One process holding a socket, from ss's `users:(("sshd",pid=812,fd=3),…)`. */
export interface SsProcess {
  fd: number | null
  name: string
  pid: number | null
}

/**
 * One socket row of `ss -antp`, `ss -uanp`, `ss -ltnup` (fields after ss's columns). `netid` is
 * null when ss printed no Netid column (a single protocol was asked for). Addresses keep ss's
 * spelling: IPv6 without brackets, `*` for any, an interface scope after `%` in `scope`.
 */
export interface SsRow {
  local_address: string
  local_port: string
  local_scope: string | null
  netid: string | null
  peer_address: string
  peer_port: string
  peer_scope: string | null
  /** The Process column as printed ('' when empty). */
  process: string
  processes: SsProcess[]
  recv_q: number | null
  send_q: number | null
  state: string
}

const NETIDS = new Set(['tcp', 'udp', 'raw', 'sctp', 'dccp', 'mptcp', 'u_str', 'u_dgr', 'u_seq', 'nl', 'p_raw', 'p_dgr', 'v_str', 'v_dgr', 'xdp', 'icmp6', 'tipc'])

interface Endpoint {
  address: string
  port: string
  scope: string | null
}

/** Splits `[::1]:22`, `0.0.0.0:*`, `*:*`, `[fe80::1]%eth0:8443`, `10.0.0.5%eth0:68`, `:::22`. */
export function splitEndpoint(text: string): Endpoint {
  const colon = text.lastIndexOf(':')
  let host = colon === -1 ? text : text.slice(0, colon)
  const port = colon === -1 ? '' : text.slice(colon + 1)
  let scope: string | null = null
  const percent = host.lastIndexOf('%')
  if (percent !== -1 && !host.slice(percent).includes(']')) {
    scope = host.slice(percent + 1)
    host = host.slice(0, percent)
  }

  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  return {address: host, port, scope}
}

/**
 * `users:(("sshd",pid=812,fd=3),("sshd",pid=900,fd=3))` to a list. Process names are quoted and
 * may hold any byte except `"`, so the scan walks quote to quote instead of using a regex.
 */
export function parseSsProcesses(text: string): SsProcess[] {
  const processes: SsProcess[] = []
  const start = text.indexOf('users:(')
  if (start === -1) return processes
  let i = start + 'users:('.length
  while (i < text.length && text.startsWith('("', i)) {
    const nameEnd = text.indexOf('"', i + 2)
    if (nameEnd === -1) break
    const name = text.slice(i + 2, nameEnd)
    const close = text.indexOf(')', nameEnd)
    if (close === -1) break
    const attributes: Record<string, string> = {}
    for (const pair of text.slice(nameEnd + 1, close).split(',')) {
      const eq = pair.indexOf('=')
      if (eq > 0) attributes[pair.slice(0, eq)] = pair.slice(eq + 1)
    }

    processes.push({fd: toInt(attributes.fd), name, pid: toInt(attributes.pid)})
    i = close + 1
    if (text[i] === ',') i++
  }

  return processes
}

function isHeader(tokens: readonly Token[]): boolean {
  const first = tokens[0]?.text
  return (first === 'State' || first === 'Netid') && tokens.some((token) => token.text === 'Recv-Q')
}

function parseSsLine(line: string, hasNetid: boolean | null): SsRow | null {
  const tokens = tokenize(line)
  const withNetid = hasNetid ?? NETIDS.has(tokens[0]?.text ?? '')
  const offset = withNetid ? 1 : 0
  if (tokens.length < offset + 5) return null
  const recvQ = toInt(tokens[offset + 1]?.text)
  const sendQ = toInt(tokens[offset + 2]?.text)
  if (recvQ === null || sendQ === null) return null
  const local = splitEndpoint((tokens[offset + 3] as Token).text)
  const peer = splitEndpoint((tokens[offset + 4] as Token).text)
  const process = restFrom(line, tokens, offset + 5)
  return {
    local_address: local.address,
    local_port: local.port,
    local_scope: local.scope,
    netid: withNetid ? (tokens[0] as Token).text : null,
    peer_address: peer.address,
    peer_port: peer.port,
    peer_scope: peer.scope,
    process,
    processes: parseSsProcesses(process),
    recv_q: recvQ,
    send_q: sendQ,
    state: (tokens[offset] as Token).text,
  }
}

/** Parses ss socket tables (with or without the header, with or without the Netid column). */
export function parseSs(text: string): SsRow[] {
  const rows: SsRow[] = []
  let hasNetid: boolean | null = null
  for (const line of splitLines(text)) {
    const tokens = tokenize(line)
    if (tokens.length === 0) continue
    if (isHeader(tokens)) {
      hasNetid = tokens[0]?.text === 'Netid'
      continue
    }

    const row = parseSsLine(line, hasNetid)
    if (row !== null) rows.push(row)
  }

  return rows
}
