import {constants} from 'node:fs'
import {open} from 'node:fs/promises'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {hashHandle} from '../../io/evidence-fs.js'
import {DENIED_REASON} from './proc-read.js'

/** A hash; or why there is none: `vanished` when every process running it exited first (normal, not a failure). */
export type ExeHash = {sha256: string; size: number} | {error: string; denied: boolean; vanished: boolean}

/**
 * SHA-256 of each distinct executable (`dev:ino` → the pids running it), each read once, at most
 * `concurrency` at a time. Read through /proc/PID/exe, not by its path: a deleted or replaced binary
 * is still the file the process runs. The open follows that link by design (it is the kernel's, not
 * a path on disk); the opened file must be the same regular file (dev and inode) that was listed,
 * else the pid was reused and the next pid of that executable is tried.
 */
export async function hashExecutables(pidsByExe: ReadonlyMap<string, readonly number[]>, concurrency: number): Promise<Map<string, ExeHash>> {
  const results = new Map<string, ExeHash>()
  const keys = [...pidsByExe.keys()]
  let next = 0
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++] as string
      results.set(key, await hashOne(key, pidsByExe.get(key) ?? []))
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(concurrency, keys.length))}, worker))
  return results
}

async function hashOne(key: string, pids: readonly number[]): Promise<ExeHash> {
  let last: ExeHash = {denied: false, error: 'every process running it exited before it could be hashed', vanished: true}
  for (const pid of pids) {
    try {
      const handle = await open(`/proc/${pid}/exe`, constants.O_RDONLY | constants.O_NONBLOCK)
      try {
        const stat = await handle.stat()
        if (!stat.isFile() || `${stat.dev}:${stat.ino}` !== key) continue
        return await hashHandle(handle, stat.size)
      } finally {
        await handle.close()
      }
    } catch (error) {
      const code = errnoCode(error)
      if (code === 'ENOENT' || code === 'ESRCH') continue
      const denied = code === 'EACCES' || code === 'EPERM'
      last = {denied, error: denied ? DENIED_REASON : errorMessage(error), vanished: false}
    }
  }
  return last
}
