import {join} from 'node:path'

import type {BundleContents} from './bundle-sources.js'
import {type CaseDb, loadFile} from './case-db.js'

/** A bundle ready to load: its unpacked folder, what it holds, and whether it passed verification. */
export interface LoadableBundle {
  name: string
  dir: string
  verified: boolean
  contents: BundleContents
}

/**
 * Loads every JSON-lines file of every bundle into `events`, in one transaction (one commit to disk
 * instead of one per file, and all or nothing). Returns the number of events of each bundle, in order.
 */
export async function loadCase(db: CaseDb, bundles: readonly LoadableBundle[], onBundle?: (name: string, events: number) => void): Promise<number[]> {
  const counts: number[] = []
  await db.connection.run('BEGIN TRANSACTION')
  try {
    for (const bundle of bundles) {
      const {contents} = bundle
      let events = 0
      for (const {file, mapper} of contents.files) {
        events += await loadFile(db, {bundle: bundle.name, file, host: contents.host, mapper, path: join(bundle.dir, file), verified: bundle.verified})
      }
      counts.push(events)
      onBundle?.(bundle.name, events)
    }
    await db.connection.run('COMMIT')
  } catch (error) {
    await db.connection.run('ROLLBACK').catch(() => undefined)
    throw error
  }
  return counts
}
