import {appendEvidenceFileSync} from '../io/evidence-fs.js'

export interface AcquisitionStep {
  step: string
  collector?: string
  argv?: string[]
  exit_code?: number | null
  signal?: string | null
  timed_out?: boolean
  duration_ms?: number
  bytes?: number
  status?: string
  error?: string
  stderr?: string
  path?: string
  note?: string
}

/**
 * `acquisition.jsonl`: one line per step, appended and flushed as it happens, so a crash mid-way
 * still leaves a record of everything done up to that point.
 */
export class AcquisitionLog {
  /** `observe` sees every step once it is on disk (collect shows some of them on a terminal). */
  constructor(
    private readonly path: string,
    private readonly clock: () => Date = () => new Date(),
    private readonly observe?: (step: AcquisitionStep) => void,
  ) {}

  record(step: AcquisitionStep): void {
    appendEvidenceFileSync(this.path, `${JSON.stringify({time: this.clock().toISOString(), ...step})}\n`)
    this.observe?.(step)
  }
}
