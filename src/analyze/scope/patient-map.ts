/**
 * The patient map (`analyze --patient-map FILE`): a CSV with the header `path,patient_id,state` that a
 * clinic exports from its EHR. `path` is a file path as seen on the host, or a glob (`*`, `?`, `[...]`
 * within a part, `**` across folders) for a patient's folder. It turns the PHI files in scope into
 * people: how many individuals, and how many in each state. Pure; the file is read by the caller.
 */
import {UsageError} from '../../core/errors.js'
import {globSource} from '../../core/glob.js'
import {isStateCode} from '../../timeline/facts/state-codes.js'
import {parseCsv} from './csv.js'

export interface PatientMapEntry {
  path: string
  patientId: string
  state: string
  line: number
}

export interface PatientMap {
  /** Exact paths, for a hash lookup. */
  exact: Map<string, PatientMapEntry[]>
  /** Glob entries with their compiled pattern, by the folder their glob starts in (`/var/data/phi/p-1/`). */
  globs: Map<string, Array<{entry: PatientMapEntry; pattern: RegExp}>>
  size: number
}

const REQUIRED = ['path', 'patient_id', 'state'] as const

function mapError(source: string, message: string): UsageError {
  return new UsageError(`--patient-map ${source}: ${message}`, {
    code: 'E_PATIENT_MAP',
    suggestions: ['The patient map is a CSV with the header path,patient_id,state: one row per file (or glob) as seen on the host, the patient it belongs to, and the two-letter state of residence.'],
  })
}

/** A path glob as a regular expression over a whole path: `**` crosses folders, `*` and `?` do not. */
export function pathGlobPattern(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`)
}

const GLOB_CHARS = /[*?[]/

/** Parses and checks the CSV; a bad header, a missing field or an unknown state is exit 2 naming the line. */
export function parsePatientMap(text: string, source: string): PatientMap {
  const records = parseCsv(text)
  const header = records[0]
  if (header === undefined) throw mapError(source, 'is empty')
  const columns = header.fields.map((f) => f.trim().toLowerCase())
  const index = Object.fromEntries(REQUIRED.map((name) => [name, columns.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>
  const missing = REQUIRED.filter((name) => index[name] === -1)
  if (missing.length > 0) throw mapError(source, `line ${header.line}: the header lacks ${missing.join(', ')} (it has ${columns.join(', ') || 'nothing'})`)
  const map: PatientMap = {exact: new Map(), globs: new Map(), size: 0}
  for (const record of records.slice(1)) {
    const get = (name: (typeof REQUIRED)[number]) => (record.fields[index[name]] ?? '').trim()
    const entry = {line: record.line, path: get('path'), patientId: get('patient_id'), state: get('state').toUpperCase()}
    for (const name of REQUIRED) if ((name === 'path' ? entry.path : name === 'state' ? entry.state : entry.patientId) === '') throw mapError(source, `line ${record.line}: ${name} is empty`)
    if (!entry.path.startsWith('/')) throw mapError(source, `line ${record.line}: path ${JSON.stringify(entry.path.slice(0, 120))} must be absolute, as seen on the host`)
    if (!isStateCode(entry.state)) throw mapError(source, `line ${record.line}: state ${JSON.stringify(entry.state.slice(0, 20))} is not a US state or territory code (two letters, e.g. CA)`)
    const magic = entry.path.search(GLOB_CHARS)
    if (magic !== -1) {
      const folder = entry.path.slice(0, entry.path.lastIndexOf('/', magic) + 1)
      const list = map.globs.get(folder) ?? []
      list.push({entry, pattern: pathGlobPattern(entry.path)})
      map.globs.set(folder, list)
    } else {
      const list = map.exact.get(entry.path) ?? []
      list.push(entry)
      map.exact.set(entry.path, list)
    }
    map.size++
  }
  if (map.size === 0) throw mapError(source, 'has a header but no rows')
  return map
}

export interface PeopleCount {
  individuals: number
  byState: Record<string, number>
  /** Files in scope that no row of the map covers (their people are unknown: a person must look). */
  unmapped: number
  /** Patients the map places in more than one state (counted once, in the state of their first row). */
  conflicts: string[]
}

/** The glob entries matching `path`: only globs that start in one of its folders are tried. */
function globsFor(map: PatientMap, path: string): PatientMapEntry[] {
  if (map.globs.size === 0) return []
  const found: PatientMapEntry[] = []
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
    for (const glob of map.globs.get(path.slice(0, slash + 1)) ?? []) if (glob.pattern.test(path)) found.push(glob.entry)
  }
  return found
}

/** Counts the distinct patients behind a set of PHI paths; each patient counted once. */
export function countPeople(map: PatientMap, paths: Iterable<string>): PeopleCount {
  const statesOf = new Map<string, {first: string; all: Set<string>}>()
  let unmapped = 0
  for (const path of paths) {
    const entries = [...(map.exact.get(path) ?? []), ...globsFor(map, path)]
    if (entries.length === 0) {
      unmapped++
      continue
    }
    for (const entry of entries) {
      const known = statesOf.get(entry.patientId)
      if (known === undefined) statesOf.set(entry.patientId, {all: new Set([entry.state]), first: entry.state})
      else known.all.add(entry.state)
    }
  }
  const byState: Record<string, number> = {}
  for (const {first} of statesOf.values()) byState[first] = (byState[first] ?? 0) + 1
  const conflicts = [...statesOf].filter(([, s]) => s.all.size > 1).map(([id]) => id).sort()
  return {byState: Object.fromEntries(Object.entries(byState).sort(([a], [b]) => (a < b ? -1 : 1))), conflicts, individuals: statesOf.size, unmapped}
}
