import {rmSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ExitCode} from '../cli/exit-codes.js'

/**
 * Private temporary folders (mkdtemp: 0700) for extracted or decrypted evidence, removed even when
 * the run is stopped: while any exists, Ctrl-C and SIGTERM end the process (130, 143) through
 * process.exit, and an `exit` hook removes what is left, so plaintext evidence is never left
 * behind in /tmp. (Another handler that calls process.exit, like collect's, triggers the same hook.)
 */
const live = new Set<string>()

function removeAllSync(): void {
  for (const dir of live) rmSync(dir, {force: true, recursive: true})
  live.clear()
}

const onSigint = (): void => process.exit(ExitCode.Interrupted)
const onSigterm = (): void => process.exit(ExitCode.Terminated)

function watch(): void {
  process.on('exit', removeAllSync)
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigterm)
}

function unwatch(): void {
  process.off('exit', removeAllSync)
  process.off('SIGINT', onSigint)
  process.off('SIGTERM', onSigterm)
}

export async function makePrivateTempDir(prefix: string, parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, prefix))
  if (live.size === 0) watch()
  live.add(dir)
  return dir
}

export async function removePrivateTempDir(dir: string): Promise<void> {
  await rm(dir, {force: true, recursive: true})
  if (live.delete(dir) && live.size === 0) unwatch()
}
