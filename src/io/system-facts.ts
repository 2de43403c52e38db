import {readlinkSync} from 'node:fs'
import {hostname, networkInterfaces} from 'node:os'

import {isValidTimeZone} from '../collectors/parsers/zoned-time.js'
import {errorMessage} from '../core/errors.js'
import {readSystemFile, resolveInRoot} from './root-fs.js'

/** /etc/hostname and /etc/timezone are a line: anything longer is not what it claims to be. */
const SMALL_FILE_BYTES = 4096

export interface SystemHostname {
  name: string
  /** Why the name is `unknown-host`, or which links were followed inside the image, for the acquisition log. */
  note?: string
}

/**
 * The host name of the system under investigation: its /etc/hostname below --root, resolved inside
 * the image (a link never reaches this machine's file), read without blocking and bounded (a FIFO or
 * /dev/zero gives `unknown-host` with the reason, never a hang).
 */
export function readSystemHostname(root: string): SystemHostname {
  if (root === '/') return {name: hostname()}
  try {
    const {bytes, links} = readSystemFile(root, '/etc/hostname', SMALL_FILE_BYTES)
    const name = bytes.toString('utf8').trim().split(/\s/)[0]
    const followed = links.length > 0 ? `/etc/hostname: followed ${links.join(', ')} inside the image` : undefined
    if (name) return {name, ...(followed ? {note: followed} : {})}
    return {name: 'unknown-host', note: '/etc/hostname is empty'}
  } catch (error) {
    return {name: 'unknown-host', note: `host name unknown: ${errorMessage(error)}`}
  }
}

/** The host name of the system under investigation (its /etc/hostname below --root). */
export async function systemHostname(root: string): Promise<string> {
  return readSystemHostname(root).name
}

/**
 * The IANA time zone the system's classic syslog stamps are written in: /etc/timezone (Debian),
 * else the /etc/localtime link target, else UTC. Says where the answer came from. Both are read
 * inside the image (links resolved below --root; bounded, non-blocking reads).
 */
export async function systemTimeZone(root: string): Promise<{timeZone: string; from: string}> {
  if (root === '/' && process.env.TZ === undefined) {
    return {from: 'the running system', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'}
  }
  try {
    const zone = readSystemFile(root, '/etc/timezone', SMALL_FILE_BYTES).bytes.toString('utf8').trim()
    if (zone && isValidTimeZone(zone)) return {from: '/etc/timezone', timeZone: zone}
  } catch {
    // next
  }
  try {
    const localtime = resolveInRoot(root, '/etc/localtime', true)
    const target = localtime.problem ? '' : readlinkSync(localtime.host)
    const zone = target.split('zoneinfo/')[1]
    if (zone && isValidTimeZone(zone)) return {from: '/etc/localtime', timeZone: zone}
  } catch {
    // next
  }
  return {from: 'default (no /etc/timezone or /etc/localtime link)', timeZone: 'UTC'}
}

/** An address of the system under investigation, and where it was read. */
export interface HostAddress {
  address: string
  from: string
}

/** Loopback, link-local and wildcard addresses say nothing about which host is which. */
function meaningful(address: string): boolean {
  const a = address.toLowerCase().replace(/^::ffff:/, '')
  return !(a.startsWith('127.') || a === '::1' || a.startsWith('fe80:') || a.startsWith('169.254.') || a === '0.0.0.0' || a === '::')
}

/**
 * The system's own addresses, so that analyze can tell a login from one host of the case on another
 * (lateral movement): live, its interfaces; below --root, the addresses its /etc/hosts gives its own
 * name (a copy has no interfaces). Loopback and link-local addresses are left out.
 */
export function systemAddresses(root: string, hostName: string): HostAddress[] {
  if (root === '/') {
    return Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((i) => !i.internal && meaningful(i.address)).map((i) => ({address: i.address, from: `interface ${name}`})))
  }
  let text: string
  try {
    text = readSystemFile(root, '/etc/hosts', 1024 * 1024).bytes.toString('utf8')
  } catch {
    return []
  }
  const short = hostName.split('.')[0]
  const out: HostAddress[] = []
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/)
    if (address === undefined || address === '' || !meaningful(address) || !/^[0-9a-f.:]+$/i.test(address)) continue
    if (names.some((n) => n === hostName || n.split('.')[0] === short)) out.push({address, from: '/etc/hosts'})
  }
  return out
}
