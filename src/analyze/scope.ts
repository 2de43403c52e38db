import type {CaseDb} from './case-db.js'

/** The breach scope (CONTRACT.md): what the events say so far; `individuals` and `by_state` need --patient-map. */
export interface Scope {
  start: string | null
  end: string | null
  accounts: string[]
  sources: string[]
  phi_files: number
  phi_paths_file: string | null
  individuals: number | null
  by_state: Record<string, number> | null
}

/**
 * The first scope, straight from the events: the time span of every timed event, the collectors that
 * gave events, the accounts that logged in (auth `accepted`), and the number of distinct PHI paths
 * changed (phi-files) or touched (audit events on PHI keys). The scope builder refines this.
 */
export async function computeScope(db: CaseDb): Promise<Scope> {
  const reader = await db.connection.runAndReadAll(`SELECT
    strftime(min(time), '%Y-%m-%dT%H:%M:%S.%gZ') AS start, strftime(max(time), '%Y-%m-%dT%H:%M:%S.%gZ') AS "end",
    coalesce(list_sort(list_distinct(list(source))), []) AS sources,
    coalesce(list_sort(list_distinct(list("user") FILTER (WHERE source = 'auth' AND kind = 'accepted'))), []) AS accounts,
    count(DISTINCT path) FILTER (WHERE source = 'phi-files' OR (source = 'audit' AND kind = 'phi_access')) AS phi_files
    FROM events`)
  const row = reader.getRowObjectsJson()[0] as {accounts: string[]; end: null | string; phi_files: number | string; sources: string[]; start: null | string}
  return {
    accounts: row.accounts, by_state: null, end: row.end, individuals: null, phi_files: Number(row.phi_files), phi_paths_file: null, sources: row.sources, start: row.start,
  }
}
