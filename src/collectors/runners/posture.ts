import {collectPosture} from '../../posture/collect-posture.js'
import {commandRecord} from '../record.js'
import type {CollectorEngine} from './context.js'

/** The posture snapshot of `assess`, written to `posture/` with the raw evidence it was judged from. */
export const runPosture: CollectorEngine = async (context) => {
  const result = await collectPosture({exec: context.exec, live: context.live, outDir: context.outDir, phiDirs: context.phiDirs, root: context.root})
  const commands = result.commands.map((r) => commandRecord(r.argv.join(' '), r))
  for (const record of commands) {
    context.log.record({argv: record.argv, bytes: record.bytes, collector: 'posture', duration_ms: record.duration_ms, exit_code: record.exit_code, signal: record.signal, status: record.status, step: 'command', timed_out: record.timed_out})
  }
  return {
    commands,
    files: result.files.map((f) => `posture/${f}`),
    status: result.status,
    warnings: [],
    ...(result.reason ? {reason: result.reason} : {}),
  }
}
