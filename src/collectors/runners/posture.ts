import {collectPosture} from '../../posture/collect-posture.js'
import {commandRecord} from '../record.js'
import type {CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'

/** The posture snapshot of `assess`, written to `posture/` with the raw evidence it was judged from. */
export const runPosture: CollectorEngine = async (context) => {
  const result = await collectPosture({exec: context.exec, live: context.live, outDir: context.outDir, phiDirs: context.phiDirs, root: context.root})
  const commands = result.commands.map((r) => commandRecord(r.argv.join(' '), r))
  for (const record of commands) logCommand(context.log, 'posture', record)
  return {
    commands,
    files: result.files.map((f) => `posture/${f}`),
    status: result.status,
    warnings: [],
    ...(result.reason ? {reason: result.reason} : {}),
  }
}
