import type {AcquisitionLog} from '../../bundle/acquisition-log.js'
import type {ExecFn} from '../../io/exec.js'
import type {PlannedCollector} from '../plan.js'
import type {CollectorRecord} from '../record.js'

/** Everything a collector engine needs; engines never look at flags or the process themselves. */
export interface CollectorContext {
  planned: PlannedCollector
  /** The system root (`/` live). Paths in evidence are written as seen on that system. */
  root: string
  live: boolean
  since: Date
  now: Date
  /** The bundle folder `DIR/NAME`. */
  bundleDir: string
  /** `bundleDir/<collector outputDir>`, created 0700 before the engine runs. */
  outDir: string
  exec: ExecFn
  log: AcquisitionLog
  phiDirs: string[]
  /** `collect --audit-key` values: audit rule keys searched besides the hardening guide's. */
  auditKeys?: string[]
  ctime: boolean
  includeContents: boolean
  isRoot: boolean
  /** Progress of a long engine (the PHI walk) for a terminal: entries seen, files and bytes hashed. */
  onProgress?: (progress: {bytes: number; entries: number; files: number}) => void
}

export type CollectorEngine = (context: CollectorContext) => Promise<Omit<CollectorRecord, 'id' | 'version'>>
