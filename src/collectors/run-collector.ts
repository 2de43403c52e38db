import {join} from 'node:path'

import {errorMessage} from '../core/errors.js'
import {ensureEvidenceDir} from '../io/evidence-fs.js'
import type {PlannedCollector} from './plan.js'
import type {CollectorRecord} from './record.js'
import type {CollectorContext} from './runners/context.js'
import {engines} from './runners/index.js'

/**
 * Runs one planned collector and always returns a record: a skipped collector says why, an engine
 * that throws becomes `failed` with the reason, so one collector never stops the others.
 */
export async function runCollector(planned: PlannedCollector, base: Omit<CollectorContext, 'outDir' | 'planned'>): Promise<CollectorRecord> {
  const started = new Date()
  const head = {id: planned.id, started_at: started.toISOString(), version: planned.version}
  if (planned.skip) {
    base.log.record({collector: planned.id, note: planned.skip, status: 'skipped', step: 'collector'})
    return {...head, commands: [], duration_ms: 0, files: [], reason: planned.skip, status: 'skipped', warnings: []}
  }
  const outDir = join(base.bundleDir, planned.spec.outputDir)
  const t0 = performance.now()
  try {
    await ensureEvidenceDir(outDir)
    const result = await engines[planned.engine]({...base, outDir, planned})
    const warnings = planned.warning ? [planned.warning, ...result.warnings] : result.warnings
    const record: CollectorRecord = {...head, ...result, duration_ms: Math.round(performance.now() - t0), warnings}
    base.log.record({collector: planned.id, duration_ms: record.duration_ms, status: record.status, step: 'collector', ...(record.reason ? {note: record.reason} : {})})
    return record
  } catch (error) {
    const reason = `collector crashed: ${errorMessage(error)}`
    try {
      base.log.record({collector: planned.id, error: reason, status: 'failed', step: 'collector'})
    } catch {
      // The log itself cannot be written (a full disk): the failure still reaches the manifest, or sealing says why it cannot.
    }
    return {...head, commands: [], duration_ms: Math.round(performance.now() - t0), files: [], reason, status: 'failed', warnings: planned.warning ? [planned.warning] : []}
  }
}
