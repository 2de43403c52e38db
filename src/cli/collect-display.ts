import type {AcquisitionStep} from '../bundle/acquisition-log.js'
import type {CollectionStatus} from '../bundle/manifest.js'
import type {SkippedCollector} from '../collectors/plan-sources.js'

/**
 * The one-line status at the end of `collect`: what a person under pressure reads last, so it never
 * says "complete" when a collector did not run, and it names the ones that did not.
 */
export function statusLine(result: {status: CollectionStatus; skipped: readonly SkippedCollector[]; applicable: number}): string {
  const skips = result.skipped.length === 0 ? '' : `${result.skipped.length} of ${result.applicable} collectors skipped (${result.skipped.map((s) => `${s.id}: ${s.brief ?? s.reason}`).join('; ')})`
  if (result.status === 'partial') return `status   partial (exit 4: see the warnings above and acquisition.jsonl)${skips ? `; ${skips}` : ''}`
  if (result.status === 'incomplete') return `status   incomplete: ${skips}`
  return 'status   complete'
}

/**
 * One acquisition step in words for the terminal: the program and its plain arguments (never find's
 * -printf format strings); a posture probe that is missing or fails is "not available", since the
 * posture step goes on without it. The acquisition log keeps the exact argv.
 */
export function stepLine(step: AcquisitionStep): string | undefined {
  const took = step.duration_ms === undefined ? '' : ` (${step.duration_ms} ms)`
  if (step.step === 'read-log' && step.path !== undefined) return `${step.path}: ${step.note ?? step.status ?? ''}${took}`
  if (step.step !== 'command' || step.argv === undefined) return undefined
  const [program = '', ...args] = step.argv
  if (step.collector === 'phi-files' && program === 'find') return `PHI walk of ${args[0] ?? ''} (find): ${step.status ?? ''}${took}`
  const status = step.collector === 'posture' && step.status === 'failed' ? 'not available' : step.status ?? ''
  return `${[program, ...args.filter(plainArgument)].join(' ')}: ${status}${took}`
}

/** An argument a person can read: not a format string, not a NUL-separated template, not overlong. */
function plainArgument(arg: string): boolean {
  return !arg.includes('%') && !arg.includes('\\0') && arg.length <= 80
}
