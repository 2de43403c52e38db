import type {CollectorEngine} from './context.js'

/** Placeholder until the posture engine lands: recorded as skipped, never as a pass. */
export const runPosture: CollectorEngine = async () => ({
  commands: [],
  files: [],
  reason: 'posture snapshot not available in this build',
  status: 'skipped',
  warnings: [],
})
