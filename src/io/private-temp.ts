import {mkdtempSync, rmSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {STOP_SIGNALS, type StopSignal} from '../cli/exit-codes.js'

/**
 * Private temporary folders (mkdtemp: 0700) for extracted or decrypted evidence, removed even when
 * the run is stopped: while any exists, Ctrl-C, SIGTERM, SIGHUP (closed terminal, dropped SSH
 * session) and SIGQUIT (Ctrl-\) end the process (130, 143, 129, 131) through process.exit, and an
 * `exit` hook removes what is left, so plaintext evidence is never left behind in /tmp. (Another
 * handler that calls process.exit, like collect's, triggers the same hook.)
 */
const live = new Set<string>()

function removeAllSync(): void {
  for (const dir of live) rmSync(dir, {force: true, recursive: true})
  live.clear()
}

const handlers = Object.fromEntries(
  Object.entries(STOP_SIGNALS).map(([signal, code]) => [signal, (): void => process.exit(code)]),
) as Record<StopSignal, () => void>

function watch(): void {
  process.on('exit', removeAllSync)
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler)
}

function unwatch(): void {
  process.off('exit', removeAllSync)
  for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler)
}

export async function makePrivateTempDir(prefix: string, parent: string = tmpdir()): Promise<string> {
  // Synchronous on purpose: the folder is created and recorded in one step, and the signal handlers
  // are in place BEFORE it exists, so no signal can arrive in between and leave it behind (a signal
  // right after mkdtemp, before the handlers, would end the process with the folder still there).
  if (live.size === 0) watch()
  let dir: string
  try {
    dir = mkdtempSync(join(parent, prefix))
  } catch (error) {
    if (live.size === 0) unwatch()
    throw error
  }
  live.add(dir)
  return dir
}

export async function removePrivateTempDir(dir: string): Promise<void> {
  await rm(dir, {force: true, recursive: true})
  if (live.delete(dir) && live.size === 0) unwatch()
}
