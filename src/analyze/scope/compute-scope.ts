/**
 * The scope of a breach, from the case database and the findings: the first and last malicious event,
 * the accounts and source addresses behind the findings, and the PHI files those accounts (and the
 * intruder's own programs) touched inside that window. What it counts is evidence, never a name list:
 * an account is in scope because a finding's evidence names it, so the EHR's service account, which
 * no finding names, stays out however many files it reads.
 */
import type {DuckDBConnection} from '@duckdb/node-api'

import {refsTable} from '../evidence-refs.js'
import {isUnderPhiDirs, underPhiDirsSql} from '../phi-dirs.js'
import {evidenceSql, isoTimeSql, sqlString} from '../sql.js'
import {severityRank, type Finding} from '../finding.js'

export interface ScopeOptions {
  /** PHI folders as seen on the hosts (from the bundles' manifests): audit events below them count as PHI access. */
  phiDirs: readonly string[]
  /** Findings below this severity do not make an account part of the breach (default `medium`). */
  minSeverity?: Finding['severity']
  /** Rules whose findings are attempts that reached nothing (`attempt: true`: failed logins from one address against many accounts): they draw no scope. */
  attemptRules?: ReadonlySet<string>
}

/** Rules whose findings describe the intruder's own programs (an exe under /tmp, a deleted binary). */
const PROGRAM_RULES = new Set(['phi.exfil-tool', 'process.deleted-exe'])
/** Programs of the system itself are never an actor on their own (an account must be). */
const SYSTEM_PROGRAM = /^\/(?:usr\/)?(?:s?bin|lib(?:exec)?)\//
/** Evidence refs kept per PHI file touched (its first events). */
const TOUCH_REFS = 5
/** audit's "unset" login uid. */
const UNSET_AUID = 4294967295

export interface PhiTouch {
  host: string
  path: string
  first: string
  last: string
  /** How the file was touched: audit (read, written or deleted, per the audit record) or phi-files (changed). */
  via: string
  refs: string[]
}

/**
 * The PHI files in scope, one row per host and path, in the connection's temporary table `table`
 * (host, path, first, last, via, refs): a wide breach is hundreds of thousands of rows, written out
 * by DuckDB (writeTouchedCsv) rather than held in JavaScript.
 */
export interface TouchedFiles {
  table: string
  files: number
}

const TOUCHED_TABLE = 'scope_touched'

export interface Scope {
  start: string | null
  end: string | null
  accounts: string[]
  sources: string[]
  /** Programs of the intruder's own (not system binaries), e.g. a tool dropped under /tmp. */
  programs: string[]
  hosts: string[]
  phi_files: number
  /** Findings that drew the scope (their ids). */
  findings: string[]
}

/**
 * Findings that show the intruder acting: of the given severity or worse, with a time, and naming an
 * actor (an account, an address, a program) or a mass change. A finding about missing evidence (a gap
 * in a log) is a warning for the investigator, not an act: it does not move the window. Nor does an
 * attempt that reached nothing (a rule marked `attempt`): an internet scanner spraying passwords all
 * week would otherwise stretch the window over the whole evidence and put every name it guessed
 * among the accounts.
 */
function malicious(findings: readonly Finding[], minSeverity: Finding['severity'], attemptRules: ReadonlySet<string>): Finding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank(minSeverity) && f.first !== null && !attemptRules.has(f.rule)
    && (f.user !== null || f.ip !== null || PROGRAM_RULES.has(f.rule) || f.rule === 'phi.mass-change'))
}

export async function computeScope(connection: DuckDBConnection, findings: readonly Finding[], options: ScopeOptions): Promise<{scope: Scope; touched: TouchedFiles}> {
  const behind = malicious(findings, options.minSeverity ?? 'medium', options.attemptRules ?? new Set())
  if (behind.length === 0) {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${TOUCHED_TABLE} (host VARCHAR, path VARCHAR, first TIMESTAMPTZ, last TIMESTAMPTZ, via VARCHAR, refs VARCHAR[])`)
    return {scope: {accounts: [], end: null, findings: [], hosts: [], phi_files: 0, programs: [], sources: [], start: null}, touched: {files: 0, table: TOUCHED_TABLE}}
  }
  const start = behind.map((f) => f.first as string).sort()[0] as string
  const end = behind.map((f) => f.last ?? (f.first as string)).sort().at(-1) as string
  const refs = behind.flatMap((f) => f.refs)
  // The events behind the findings name their actors: accounts, login uids, addresses, programs.
  await refsTable(connection, 'scope_refs', refs)
  const actors = (await connection.runAndReadAll(
    `SELECT DISTINCT e.host, e."user", e.uid, e.auid, e.ip, e.exe FROM events e JOIN scope_refs w ON e.bundle = w.bundle AND e.ref = w.ref`,
  )).getRowObjectsJson() as Array<{host: string; user: string | null; uid: number | null; auid: number | null; ip: string | null; exe: string | null}>
  const accounts = new Set<string>([...behind.map((f) => f.user), ...actors.map((a) => a.user)].filter((u): u is string => u !== null && u !== ''))
  const sources = new Set<string>([...behind.map((f) => f.ip), ...actors.map((a) => a.ip)].filter((ip): ip is string => ip !== null && ip !== ''))
  const programRefs = new Set(behind.filter((f) => PROGRAM_RULES.has(f.rule)).flatMap((f) => f.refs))
  const programs = new Set<string>()
  for (const f of behind.filter((x) => PROGRAM_RULES.has(x.rule))) for (const p of f.paths) if (!SYSTEM_PROGRAM.test(p) && !isUnderPhiDirs(p, options.phiDirs)) programs.add(p)
  if (programRefs.size > 0) {
    await refsTable(connection, 'scope_program_refs', programRefs)
    const rows = (await connection.runAndReadAll(
      `SELECT DISTINCT e.exe FROM events e JOIN scope_program_refs w ON e.bundle = w.bundle AND e.ref = w.ref WHERE e.exe IS NOT NULL`,
    )).getRowObjectsJson() as Array<{exe: string}>
    for (const {exe} of rows) if (!SYSTEM_PROGRAM.test(exe)) programs.add(exe)
  }
  // Login uids per host: the ones the evidence shows, and the uids of the accounts (from the accounts collector).
  // A daemon's uid (no login uid) is not an actor: the web server's account also serves the EHR.
  const uids = actors.filter((a) => a.auid !== null && a.auid !== UNSET_AUID).map((a) => ({host: a.host, uid: a.auid as number}))
  const known = (await connection.runAndReadAll(
    `SELECT DISTINCT host, uid FROM events WHERE source = 'accounts' AND uid IS NOT NULL AND "user" IN (SELECT unnest(from_json($names::JSON, '["VARCHAR"]')))`,
    {names: JSON.stringify([...accounts])},
  )).getRowObjectsJson() as Array<{host: string; uid: number}>
  uids.push(...known)
  const params = {
    end,
    names: JSON.stringify([...accounts]),
    programs: JSON.stringify([...programs]),
    start,
    uids: JSON.stringify(uids.map((u) => `${u.host}\u0000${u.uid}`)),
  }
  const changeHosts = behind.filter((f) => f.rule === 'phi.mass-change')
  await connection.run(`CREATE OR REPLACE TEMP TABLE scope_touch_parts (host VARCHAR, path VARCHAR, first TIMESTAMPTZ, last TIMESTAMPTZ, via VARCHAR, refs VARCHAR[])`)
  await connection.run(`
    INSERT INTO scope_touch_parts
    WITH audit AS (
      SELECT host, bundle, ref, time, kind, COALESCE(path_item, path) AS path FROM (
        SELECT *, unnest(CASE WHEN len(paths) > 0 THEN paths ELSE [NULL::VARCHAR] END) AS path_item FROM events
        WHERE source = 'audit' AND time BETWEEN $start::TIMESTAMPTZ AND $end::TIMESTAMPTZ
          AND ("user" IN (SELECT unnest(from_json($names::JSON, '["VARCHAR"]')))
            OR (host || chr(0) || CAST(COALESCE(NULLIF(auid, ${UNSET_AUID}), uid) AS VARCHAR)) IN (SELECT unnest(from_json($uids::JSON, '["VARCHAR"]')))
            OR exe IN (SELECT unnest(from_json($programs::JSON, '["VARCHAR"]'))))
      )
    )
    SELECT host, path, min(time), max(time), 'audit', min_by(${evidenceSql()}, time, ${TOUCH_REFS})
    FROM audit
    WHERE path IS NOT NULL AND (kind = 'phi_access' OR ${underPhiDirsSql(options.phiDirs, 'path')})
    GROUP BY host, path
  `, params)
  // Files changed in the window of a mass change (ransomware renames them all): the phi-files collector saw them change.
  for (const f of changeHosts) {
    await connection.run(`
      INSERT INTO scope_touch_parts
      SELECT host, path, min(time), max(time), 'phi-files', min_by(${evidenceSql()}, time, ${TOUCH_REFS})
      FROM events WHERE source = 'phi-files' AND host = $host AND path IS NOT NULL AND time BETWEEN $first::TIMESTAMPTZ AND $last::TIMESTAMPTZ
      GROUP BY host, path
    `, {first: f.first as string, host: f.host, last: f.last ?? (f.first as string)})
  }
  const touched = await mergeTouched(connection)
  const hosts = (await connection.runAndReadAll(`SELECT DISTINCT host FROM ${TOUCHED_TABLE}`)).getRows().map(([h]) => String(h))
  return {
    scope: {
      accounts: [...accounts].sort(),
      end,
      findings: behind.map((f) => f.id),
      hosts: [...new Set([...behind.flatMap((f) => f.hosts ?? [f.host]), ...hosts])].sort(),
      phi_files: touched.files,
      programs: [...programs].sort(),
      sources: [...sources].sort(),
      start,
    },
    touched,
  }
}

/**
 * One row per host and path (the audit reads and the changes of a mass change together) in the
 * temporary table TOUCHED_TABLE, with the refs of the way it was touched first (no ordered
 * aggregate: on 400,000 files those took five seconds); returns its size.
 */
async function mergeTouched(connection: DuckDBConnection): Promise<TouchedFiles> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${TOUCHED_TABLE} AS
    SELECT host, path, min(first) AS first, max(last) AS last, array_to_string(list_sort(list_distinct(list(via))), '+') AS via,
      min_by(refs, first) AS refs
    FROM scope_touch_parts GROUP BY host, path`)
  await connection.run('DROP TABLE scope_touch_parts')
  const files = Number((await connection.runAndReadAll(`SELECT count(*)::BIGINT FROM ${TOUCHED_TABLE}`)).getRows()[0]?.[0] ?? 0)
  return {files, table: TOUCHED_TABLE}
}

/**
 * The distinct paths in scope, on any host, sorted: for the patient map and the facts draft's PHI
 * types, and read only for them (393,000 paths on the analyze benchmark's case took half a second).
 */
export async function touchedPaths(connection: DuckDBConnection, touched: TouchedFiles): Promise<string[]> {
  return (await connection.runAndReadAll(`SELECT DISTINCT path FROM ${touched.table} ORDER BY path`)).getRows().map(([p]) => String(p))
}

const TOUCHED_COLUMNS = `host, path, ${isoTimeSql('first')} AS first, ${isoTimeSql('last')} AS last, via`

/** The PHI files in scope as objects, sorted by host and path (for a test or a small case: a wide breach is hundreds of thousands). */
export async function touchedRows(connection: DuckDBConnection, touched: TouchedFiles): Promise<PhiTouch[]> {
  return (await connection.runAndReadAll(`SELECT ${TOUCHED_COLUMNS}, refs FROM ${touched.table} ORDER BY host, path`)).getRowObjectsJson() as unknown as PhiTouch[]
}

/** Writes the PHI files in scope as CSV (host, path, first, last, via), sorted by host and path, with DuckDB. */
export async function writeTouchedCsv(connection: DuckDBConnection, touched: TouchedFiles, file: string): Promise<void> {
  await connection.run(`COPY (SELECT ${TOUCHED_COLUMNS} FROM ${touched.table} ORDER BY host, path) TO ${sqlString(file)} (FORMAT csv, HEADER true)`)
}
