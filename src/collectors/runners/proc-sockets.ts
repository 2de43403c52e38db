import {readFileSync, readlinkSync} from 'node:fs'
import {endianness} from 'node:os'

import {errnoCode} from '../../core/errors.js'
import {parseProcNet, type ProcNetProtocol, type ProcNetSocket} from '../parsers/proc-net.js'

const PROTOCOLS: readonly ProcNetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6']

/**
 * The TCP and UDP sockets of every network namespace the processes live in, by inode (socket inodes
 * are unique across namespaces), read from /proc/PID/net/… of one process of each namespace: a
 * container's sockets are in its own tables, not in ours. Works without `ss`. `unread` names the
 * namespaces none of whose processes could be read.
 */
export function socketsByInode(pidsByNetns: ReadonlyMap<string, readonly number[]>): {byInode: Map<number, ProcNetSocket>; unread: number} {
  const byInode = new Map<number, ProcNetSocket>()
  const order = endianness()
  const own = ownNetns()
  let unread = 0
  const namespaces: [string, readonly (number | 'self')[]][] = [...pidsByNetns].map(([ns, pids]) => [ns, ns === own ? ['self', ...pids] : pids])
  for (const [, pids] of namespaces) {
    const read = pids.some((pid) => readTables(pid, order, byInode))
    if (!read) unread++
  }
  if (own === null || !pidsByNetns.has(own)) readTables('self', order, byInode)
  return {byInode, unread}
}

function ownNetns(): string | null {
  try {
    return readlinkSync('/proc/self/ns/net')
  } catch {
    return null
  }
}

/** All four tables of one process's namespace; false when that process could not be read (exited, denied). */
function readTables(pid: number | 'self', order: 'BE' | 'LE', into: Map<number, ProcNetSocket>): boolean {
  let any = false
  for (const protocol of PROTOCOLS) {
    let text: string
    try {
      text = readFileSync(`/proc/${pid}/net/${protocol}`, 'latin1')
    } catch (error) {
      // No tcp6/udp6 table where IPv6 is off: nothing to map, not a failure.
      if (errnoCode(error) === 'ENOENT' && protocol.endsWith('6')) continue
      return any
    }
    any = true
    for (const socket of parseProcNet(text, protocol, order)) if (socket.inode !== 0) into.set(socket.inode, socket)
  }
  return any
}
