import {statSync} from 'node:fs'

import {resolveInRoot} from '../../io/root-fs.js'
import {parsePasswd, type PasswdEntry} from '../parsers/accounts.js'
import type {SystemFiles} from './system-files.js'

/** A home folder of the system and the account it belongs to. */
export interface Home {
  /** The path as that system names it (`/home/alice`). */
  home: string
  /** The account that owns it: the passwd account whose home it is (the folder owner's, when several share it), else the owner's uid as `#1001`. */
  user: string
}

/**
 * Every home folder worth looking into: each passwd account's home that exists, plus folders below
 * /home that no account names any more (an account deleted after use leaves its keys and history
 * there), and /root even where passwd is missing. Homes are checked inside the image; a missing one (`/nonexistent`) is simply left out.
 */
export function findHomes(files: SystemFiles, passwd: readonly PasswdEntry[]): Home[] {
  const byHome = new Map<string, PasswdEntry[]>()
  for (const entry of passwd) {
    const home = normalise(entry.home)
    if (home === undefined) continue
    byHome.set(home, [...(byHome.get(home) ?? []), entry])
  }
  for (const home of ['/root', ...files.list('/home').map((name) => `/home/${name}`)]) {
    if (!byHome.has(home) && files.isDir(home)) byHome.set(home, [])
  }
  const homes: Home[] = []
  for (const [home, owners] of byHome) {
    if (!files.isDir(home)) continue
    const uid = ownerUid(files, home)
    const owner = owners.find((o) => o.uid === uid) ?? owners[0] ?? passwd.find((p) => p.uid === uid)
    // Without a passwd entry, /root is still root's (an image that lacks /etc/passwd).
    homes.push({home, user: owner?.user ?? (home === '/root' ? 'root' : uid === undefined ? '?' : `#${uid}`)})
  }
  return homes
}

/** passwd read for its accounts (the accounts collector reads it itself, and copies it redacted). */
export function readAccounts(files: SystemFiles): PasswdEntry[] {
  const passwd = files.read('/etc/passwd')
  return passwd === undefined ? [] : parsePasswd(passwd.text)
}

function normalise(home: string): string | undefined {
  if (!home.startsWith('/')) return undefined
  const parts = home.split('/').filter((p) => p !== '' && p !== '.')
  if (parts.includes('..')) return undefined
  return `/${parts.join('/')}`
}

function ownerUid(files: SystemFiles, home: string): number | undefined {
  const found = resolveInRoot(files.root, home)
  if (found.problem) return undefined
  try {
    return statSync(found.host).uid
  } catch {
    return undefined
  }
}
