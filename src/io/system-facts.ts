import {readFile, readlink} from 'node:fs/promises'
import {hostname} from 'node:os'

import {isValidTimeZone} from '../collectors/parsers/zoned-time.js'
import {onDisk} from '../core/system-path.js'

/** The host name of the system under investigation (its /etc/hostname below --root). */
export async function systemHostname(root: string): Promise<string> {
  if (root === '/') return hostname()
  try {
    const name = (await readFile(onDisk(root, '/etc/hostname'), 'utf8')).trim().split(/\s/)[0]
    if (name) return name
  } catch {
    // fall through
  }
  return 'unknown-host'
}

/**
 * The IANA time zone the system's classic syslog stamps are written in: /etc/timezone (Debian),
 * else the /etc/localtime link target, else UTC. Says where the answer came from.
 */
export async function systemTimeZone(root: string): Promise<{timeZone: string; from: string}> {
  if (root === '/' && process.env.TZ === undefined) {
    return {from: 'the running system', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'}
  }
  try {
    const zone = (await readFile(onDisk(root, '/etc/timezone'), 'utf8')).trim()
    if (zone && isValidTimeZone(zone)) return {from: '/etc/timezone', timeZone: zone}
  } catch {
    // next
  }
  try {
    const target = await readlink(onDisk(root, '/etc/localtime'))
    const zone = target.split('zoneinfo/')[1]
    if (zone && isValidTimeZone(zone)) return {from: '/etc/localtime', timeZone: zone}
  } catch {
    // next
  }
  return {from: 'default (no /etc/timezone or /etc/localtime link)', timeZone: 'UTC'}
}
