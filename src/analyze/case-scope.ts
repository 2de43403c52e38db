/**
 * The contract's `scope` for `analyze --json`: the scope engine's answer (scope/compute-scope.ts)
 * plus the list of PHI paths in scope written to a file, and, with --patient-map, the individuals
 * and their count per state.
 */
import {chmod} from 'node:fs/promises'
import {join} from 'node:path'

import {FILE_MODE} from '../io/evidence-fs.js'
import type {CaseDb} from './case-db.js'
import type {Finding} from './finding.js'
import {computeScope, type Scope, type TouchedFiles, touchedPaths, writeTouchedCsv} from './scope/compute-scope.js'
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

/**
 * Computes the scope and writes the PHI paths into `dir` (the caller moves it next to the other
 * outputs). `phiPaths` reads the distinct paths in scope, once, for whoever needs them.
 */
export async function caseScope(db: CaseDb, findings: readonly Finding[], options: {dir: string; patientMap?: PatientMap; phiDirs: readonly string[]; attemptRules?: ReadonlySet<string>}): Promise<{scope: CaseScope; touched: TouchedFiles; phiPaths: () => Promise<readonly string[]>}> {
  const {scope, touched} = await computeScope(db.connection, findings, {attemptRules: options.attemptRules, phiDirs: options.phiDirs})
  await writeTouchedCsv(db.connection, touched, join(options.dir, PHI_PATHS_FILE))
  await chmod(join(options.dir, PHI_PATHS_FILE), FILE_MODE)
  let paths: Promise<readonly string[]> | undefined
  const phiPaths = (): Promise<readonly string[]> => (paths ??= touchedPaths(db.connection, touched))
  if (options.patientMap === undefined) return {phiPaths, scope: {...scope, by_state: null, individuals: null, phi_paths_file: PHI_PATHS_FILE}, touched}
  const people = countPeople(options.patientMap, new Set(await phiPaths()))
  return {phiPaths, scope: {...scope, by_state: people.byState, conflicts: people.conflicts, individuals: people.individuals, phi_paths_file: PHI_PATHS_FILE, unmapped: people.unmapped}, touched}
}
