import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import type {DuckDBConnection} from '@duckdb/node-api'

import type {BundleContents} from './bundle-sources.js'
import {type CaseDb, type LoadFile, loadFile} from './case-db.js'

/** A bundle ready to load: its unpacked folder, what it holds, and whether it passed verification. */
export interface LoadableBundle {
  name: string
  dir: string
  verified: boolean
  contents: BundleContents
}

interface LoadJob {
  /** Index of the bundle in the caller's list. */
  bundle: number
  load: LoadFile
  bytes: number
}

/**
 * Loads every JSON-lines file of every bundle into `events`. A file's numbered read is one ordered
 * scan, which DuckDB runs on one thread, so the files are shared out, largest first, among as many
 * connections as DuckDB has threads, each inside its own transaction. Meanwhile DuckDB's own pool
 * is cut to one thread: each connection then does all of its INSERT's work itself, where with the
 * whole pool every INSERT also handed work to the other threads, which competed with the other
 * connection for the same cores. On the 5,000,000-event benchmark that took the load from 18-27 s
 * of wall time (36-51 s of CPU) to 12-15 s (25-30 s of CPU) (docs/benchmarks.md). The pool is
 * restored for the rules and exports, whatever happens. Every transaction commits only once all
 * have loaded, and if any file fails they all roll back: all or nothing, as one transaction would
 * be. Returns the number of events of each bundle, in order; `onBundle` is called as each bundle's
 * last file is in.
 */
export async function loadCase(db: CaseDb, bundles: readonly LoadableBundle[], onBundle?: (name: string, events: number) => void): Promise<number[]> {
  const jobs = await loadJobs(bundles)
  const counts = bundles.map(() => 0)
  const left = bundles.map((b) => b.contents.files.length)
  for (const [index, bundle] of bundles.entries()) if (left[index] === 0) onBundle?.(bundle.name, 0)
  const threads = Number((await db.connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]?.[0] ?? 1)
  const connections: DuckDBConnection[] = []
  for (let i = 0; i < Math.max(1, Math.min(threads, jobs.length)); i++) connections.push(i === 0 ? db.connection : await db.instance.connect())
  let next = 0
  let failure: unknown
  const work = async (connection: DuckDBConnection): Promise<void> => {
    await connection.run(`SET TimeZone = 'UTC'`)
    await connection.run('BEGIN TRANSACTION')
    while (failure === undefined && next < jobs.length) {
      const job = jobs[next++] as LoadJob
      let rows: number
      try {
        rows = await loadFile(connection, job.load)
      } catch (error) {
        failure ??= error
        return
      }
      counts[job.bundle] = (counts[job.bundle] as number) + rows
      left[job.bundle] = (left[job.bundle] as number) - 1
      if (left[job.bundle] === 0) onBundle?.((bundles[job.bundle] as LoadableBundle).name, counts[job.bundle] as number)
    }
  }
  await db.connection.run('SET threads = 1')
  try {
    await Promise.all(connections.map((c) => work(c)))
    if (failure !== undefined) throw failure
    for (const connection of connections) await connection.run('COMMIT')
  } catch (error) {
    for (const connection of connections) await connection.run('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    for (const connection of connections.slice(1)) connection.closeSync()
    await db.connection.run(`SET threads = ${threads}`)
  }
  return counts
}

/** Every file of every bundle, largest first (so that no connection is left with a big file at the end). */
async function loadJobs(bundles: readonly LoadableBundle[]): Promise<LoadJob[]> {
  const jobs: LoadJob[] = []
  for (const [index, bundle] of bundles.entries()) {
    const {contents} = bundle
    for (const {file, mapper} of contents.files) {
      const path = join(bundle.dir, file)
      const bytes = (await stat(path).catch(() => undefined))?.size ?? 0
      jobs.push({bundle: index, bytes, load: {bundle: bundle.name, file, host: contents.host, mapper, path, verified: bundle.verified}})
    }
  }
  return jobs.sort((a, b) => b.bytes - a.bytes)
}
