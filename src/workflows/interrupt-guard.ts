import {existsSync, renameSync, rmSync} from 'node:fs'

import type {AcquisitionLog} from '../bundle/acquisition-log.js'
import {STOP_SIGNALS, type StopSignal} from '../cli/exit-codes.js'

export interface Interrupted {
  signal: StopSignal
  exitCode: number
  /** Where the unsealed evidence was kept (NAME.incomplete), if the folder still existed. */
  keptAt: string | null
  message: string
}

/**
 * Until `release()`, Ctrl-C (SIGINT), SIGTERM, SIGHUP (a closed terminal or dropped SSH session) or
 * SIGQUIT (Ctrl-\) during a collection or while sealing stops it at once and leaves nothing that
 * looks finished: the acquisition log records the signal, the bundle folder becomes
 * NAME.incomplete, a half-written tarball is removed, and a tarball without its signature is renamed
 * NAME.tar.gz.incomplete. `report` lets the command say so (under --json as its one document)
 * before the process exits with 128 + the signal's number (130, 143, 129, 131). Child processes
 * are ended by execa when the process exits. Everything here is synchronous: nothing else runs after the signal.
 */
export function guardCollection(paths: {bundleDir: string; tarballs: string[]}, log: AcquisitionLog, report: (event: Interrupted) => void): {release: () => void} {
  const onSignal = (signal: StopSignal): void => {
    log.record({note: `${signal} received: collection stopped before the bundle was sealed`, status: 'interrupted', step: 'interrupted'})
    let keptAt: string | null = null
    if (existsSync(paths.bundleDir)) {
      try {
        renameSync(paths.bundleDir, `${paths.bundleDir}.incomplete`)
        keptAt = `${paths.bundleDir}.incomplete`
      } catch {
        keptAt = paths.bundleDir
      }
    }
    for (const tarball of paths.tarballs) {
      rmSync(`${tarball}.partial`, {force: true})
      if (existsSync(tarball) && !existsSync(`${tarball}.sig`)) renameSync(tarball, `${tarball}.incomplete`)
    }
    const where = keptAt === null ? '' : `; the unsealed, unsigned evidence is kept in ${keptAt}`
    const exitCode = STOP_SIGNALS[signal]
    report({exitCode, keptAt, message: `${signal}: collection stopped before the bundle was sealed${where}`, signal})
    process.exit(exitCode)
  }
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[]
  for (const signal of signals) process.once(signal, onSignal)
  return {
    release: () => {
      for (const signal of signals) process.off(signal, onSignal)
    },
  }
}
