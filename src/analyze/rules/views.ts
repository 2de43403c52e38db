/**
 * The views every rule reads (docs/analyze-rules.md, "What a query sees"), made as temporary objects
 * of the connection before the rules run (`phi_touch` is materialised once, as a temporary table;
 * `ev` stays a view, so the case is not copied: DuckDB computes only the columns a rule reads):
 *
 * - `ev`: every row of `events`, plus `evidence` (`BUNDLE/FILE:LINE`, what a finding's refs list),
 *   `paths` (an audit event's `paths[]`, else `[path]`) and `weight` (how many log lines the row
 *   stands for: rsyslog's "message repeated N times" counts N).
 * - `phi_dirs(dir)`: the PHI folders (the bundles' manifests' `phi_dirs`, no trailing slash).
 * - `account_names(host, uid, name)`: each host's accounts (the accounts collector), to name ids.
 * - `phi_touch`: one row per audit event and PHI path it touched, with `reader` (the account that
 *   logged in: the event's user, else the login uid's name on that host, else the uid's name, else
 *   `auid N` / `uid N`) and `program` (exe, else comm).
 * - `phi_usual(usual_days, usual_hours)`: a table macro, one row per host, reader, program and day of
 *   PHI access, with `usual` true when that reader-and-program pair read PHI on at least `usual_days`
 *   earlier days, or in at least `usual_hours` distinct clock hours across the evidence (a service
 *   reading around the clock), and `peak_before`, its most distinct files on one earlier day. Its
 *   counts, which do not depend on the thresholds, are made once: `phi_reader_days`, `phi_reader_hours`.
 * - `host_ips(host, addr, evidence)`: each host's own addresses (local addresses of its sockets, the
 *   `src` of its routes, and any given by the caller), without loopback, link-local and wildcard
 *   addresses and without addresses that more than one host claims (NAT, docker bridges).
 */
import type {DuckDBConnection} from '@duckdb/node-api'

import {normalisePhiDirs, underPhiDirsSql} from '../phi-dirs.js'
import {evidenceSql} from '../sql.js'
import {sqlText} from './params.js'

/** Refs and paths kept per finding, by default (the rest are counted in refs_total and paths_total). */
export const DEFAULT_MAX_REFS = 50
export const DEFAULT_MAX_PATHS = 100

export interface ViewOptions {
  phiDirs: readonly string[]
  maxRefs?: number
  maxPaths?: number
  /** Addresses of each host known from elsewhere (the manifests' host facts). */
  hostAddresses?: Readonly<Record<string, readonly string[]>>
}

/**
 * Which audit events a part of phi_touch reads: those whose own columns name the reader (a user or a
 * login uid) and the program (an exe), and the two kinds that lack one, for which the original line
 * (`data`) has it: `comm` for the program, a login uid audit wrote as a name for the reader.
 * Decoding every audit line's JSON for what nearly every event has in its columns cost as much as the
 * rest of phi_touch (docs/benchmarks.md, benchmark 8); the conditions of the last two are plain
 * tests of a column, which DuckDB checks against each row group's statistics before reading `data`.
 */
const NO_EXE = `(e.exe IS NULL OR e.exe = '')`
const NO_ACCOUNT = `(e.auid IS NULL AND (e."user" IS NULL OR e."user" = ''))`
const PHI_TOUCH_PARTS = [
  {data: false, where: `NOT ${NO_EXE} AND NOT ${NO_ACCOUNT}`},
  {data: true, where: NO_EXE},
  {data: true, where: `NOT ${NO_EXE} AND ${NO_ACCOUNT}`},
] as const

function phiTouchSelect(dirs: readonly string[], part: (typeof PHI_TOUCH_PARTS)[number]): string {
  const auidText = part.data ? `CASE WHEN e.auid IS NULL AND NOT regexp_matches(coalesce(e.data->>'auid', ''), '^(-?[0-9]+|unset|)$') THEN e.data->>'auid' END` : 'NULL'
  const comm = part.data ? `nullif(e.data->>'comm', '')` : 'NULL'
  return `SELECT e.time, e.host, e.bundle, e.ref, e.kind, e."user", e.uid, e.auid, e.exe, e.success, e.verified,
  coalesce(nullif(e."user", ''),
    CASE WHEN e.auid IS NOT NULL AND e.auid >= 0 AND e.auid < 4294967295 THEN coalesce(a.name, 'auid ' || e.auid) END,
    ${auidText},
    CASE WHEN e.uid IS NOT NULL THEN coalesce(n.name, 'uid ' || e.uid) END, 'unknown') AS reader,
  coalesce(nullif(e.exe, ''), ${comm}, 'unknown') AS program,
  unnest(list_filter(list_distinct(coalesce(e.paths, [e.path])), lambda p: ${underPhiDirsSql(dirs, 'p')})) AS phi_path
FROM events e
  LEFT JOIN account_names a ON a.host = e.host AND a.uid = e.auid
  LEFT JOIN account_names n ON n.host = e.host AND n.uid = e.uid
WHERE e.source = 'audit' AND e.time IS NOT NULL AND (len(e.paths) > 0 OR e.path IS NOT NULL) AND ${part.where}`
}

export async function createRuleViews(connection: DuckDBConnection, options: ViewOptions): Promise<void> {
  await connection.run('CREATE OR REPLACE TEMP TABLE phi_dirs (dir VARCHAR)')
  const dirs = normalisePhiDirs(options.phiDirs)
  if (dirs.length > 0) await connection.run(`INSERT INTO phi_dirs VALUES ${dirs.map((d) => `(${sqlText(d)})`).join(', ')}`)
  await connection.run('CREATE OR REPLACE TEMP TABLE host_ips_given (host VARCHAR, addr VARCHAR)')
  const given = Object.entries(options.hostAddresses ?? {}).flatMap(([host, addrs]) => addrs.map((a) => `(${sqlText(host)}, ${sqlText(a)})`))
  if (given.length > 0) await connection.run(`INSERT INTO host_ips_given VALUES ${given.join(', ')}`)

  await connection.run(`CREATE OR REPLACE TEMP VIEW ev AS SELECT e.*, ${evidenceSql('e')} AS evidence FROM events e`)
  // Time arithmetic on TIMESTAMPTZ goes through the calendar (ICU) and costs a second per million rows;
  // these stay in plain microseconds since the epoch (every time is UTC).
  await connection.run(`CREATE OR REPLACE TEMP MACRO seconds_between(earlier, later) AS (epoch_us(later) - epoch_us(earlier)) / 1000000`)
  await connection.run(`CREATE OR REPLACE TEMP MACRO utc_date(moment) AS DATE '1970-01-01' + CAST(epoch_us(moment) // 86400000000 AS INTEGER)`)
  // A finding's refs: the first ones in time (those without a time last), at most maxRefs, in bounded memory however many events a group has.
  await connection.run(`CREATE OR REPLACE TEMP MACRO first_refs(ref, moment) AS min_by(ref, coalesce(moment, 'infinity'::TIMESTAMPTZ), ${options.maxRefs ?? DEFAULT_MAX_REFS})`)
  // A finding's paths: at most maxPaths distinct ones, sorted, also in bounded memory.
  await connection.run(`CREATE OR REPLACE TEMP MACRO some_paths(item) AS min_by(DISTINCT item, item, ${options.maxPaths ?? DEFAULT_MAX_PATHS})`)

  await connection.run(`CREATE OR REPLACE TEMP TABLE account_names AS
SELECT host, uid, min("user") AS name FROM ev WHERE source = 'accounts' AND uid IS NOT NULL AND "user" IS NOT NULL GROUP BY host, uid`)

  // Who and what per audit event (joins per event, not per path), with one row per distinct PHI path.
  // The evidence text is built when a rule reads it (the view), not stored for every read.
  await connection.run(`CREATE OR REPLACE TEMP TABLE phi_touch_rows AS
${PHI_TOUCH_PARTS.map((part) => phiTouchSelect(dirs, part)).join('\nUNION ALL\n')}`)
  await connection.run(`CREATE OR REPLACE TEMP VIEW phi_touch AS SELECT * EXCLUDE (ref), ${evidenceSql()} AS evidence FROM phi_touch_rows`)

  // What phi_usual counts does not depend on its two thresholds: counted once for every rule that calls it.
  await connection.run(`CREATE OR REPLACE TEMP TABLE phi_reader_days AS
WITH d AS (
  SELECT host, reader, program, utc_date(time) AS day, count(DISTINCT phi_path) AS files FROM phi_touch GROUP BY ALL
)
SELECT *,
  count(*) OVER (PARTITION BY host, reader, program ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS days_before,
  max(files) OVER (PARTITION BY host, reader, program ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS peak_before
FROM d`)
  await connection.run(`CREATE OR REPLACE TEMP TABLE phi_reader_hours AS
SELECT host, reader, program, count(DISTINCT epoch_us(time) // 3600000000) AS hours FROM phi_touch GROUP BY ALL`)
  await connection.run(`CREATE OR REPLACE TEMP MACRO phi_usual(usual_days, usual_hours) AS TABLE
SELECT r.host, r.reader, r.program, r.day, r.days_before, r.peak_before, h.hours,
  (r.days_before >= usual_days OR h.hours >= usual_hours) AS usual
FROM phi_reader_days r JOIN phi_reader_hours h ON h.host = r.host AND h.reader = r.reader AND h.program = r.program`)

  await connection.run(`CREATE OR REPLACE TEMP VIEW host_ips AS
WITH raw AS (
  SELECT host, data->>'local_address' AS addr, evidence FROM ev WHERE source = 'network'
  UNION ALL SELECT host, data->>'src', evidence FROM ev WHERE source = 'network'
  UNION ALL SELECT host, addr, 'given' FROM host_ips_given
), clean AS (
  SELECT host, regexp_replace(lower(trim(addr)), '^::ffff:', '') AS addr, evidence FROM raw WHERE addr IS NOT NULL
), own AS (
  SELECT host, addr, min(evidence) AS evidence FROM clean
  WHERE addr NOT IN ('', '*', '0.0.0.0', '::', '::1') AND NOT starts_with(addr, '127.') AND NOT starts_with(addr, 'fe80')
  GROUP BY host, addr
)
SELECT * FROM own WHERE addr IN (SELECT addr FROM own GROUP BY addr HAVING count(DISTINCT host) = 1)`)
}
