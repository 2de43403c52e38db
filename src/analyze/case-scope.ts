/**
 * The contract's `scope` for `analyze --json`: the scope engine's answer (scope/compute-scope.ts)
 * plus the list of PHI paths in scope written to a file, and, with --patient-map, the individuals
 * and their count per state.
 */
import {join} from 'node:path'

import {createEvidenceFile} from '../io/evidence-fs.js'
import type {CaseDb} from './case-db.js'
import type {Finding} from './finding.js'
import {computeScope, type PhiTouch, type Scope} from './scope/compute-scope.js'
import {countPeople, type PatientMap} from './scope/patient-map.js'

export interface CaseScope extends Scope {
  /** The PHI paths in scope, one per host and path, as CSV (host, path, first, last, via). */
  phi_paths_file: string | null
  individuals: number | null
  by_state: Record<string, number> | null
  /** With --patient-map: files in scope no row of the map covers, and patients placed in more than one state. */
  unmapped?: number
  conflicts?: string[]
}

export const PHI_PATHS_FILE = 'phi-paths.csv'

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** Computes the scope and writes the PHI paths into `dir` (the caller moves it next to the other outputs). */
export async function caseScope(db: CaseDb, findings: readonly Finding[], options: {dir: string; patientMap?: PatientMap; phiDirs: readonly string[]; attemptRules?: ReadonlySet<string>}): Promise<{scope: CaseScope; touched: PhiTouch[]}> {
  const {scope, touched} = await computeScope(db.connection, findings, {attemptRules: options.attemptRules, phiDirs: options.phiDirs})
  const rows = touched.map((t) => [t.host, t.path, t.first, t.last, t.via].map(csvField).join(','))
  await createEvidenceFile(join(options.dir, PHI_PATHS_FILE), `host,path,first,last,via\n${rows.map((r) => `${r}\n`).join('')}`)
  if (options.patientMap === undefined) return {scope: {...scope, by_state: null, individuals: null, phi_paths_file: PHI_PATHS_FILE}, touched}
  const people = countPeople(options.patientMap, new Set(touched.map((t) => t.path)))
  return {scope: {...scope, by_state: people.byState, conflicts: people.conflicts, individuals: people.individuals, phi_paths_file: PHI_PATHS_FILE, unmapped: people.unmapped}, touched}
}
