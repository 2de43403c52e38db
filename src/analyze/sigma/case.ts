/**
 * `analyze --sigma DIR...` over a case: the rules of every folder loaded (an id already loaded from an
 * earlier folder is listed as skipped), then run over the case database's auth, audit and
 * shell-history rows and, for every opened bundle, its raw audit records (`audit/*.raw`), which
 * carry what the auditd rules read (EXECVE arguments, syscall names) and `events` does not.
 */
import type {DuckDBConnection} from '@duckdb/node-api'

import type {CaseEvent} from '../event.js'
import type {Finding} from '../finding.js'
import {sqlString} from '../sql.js'
import {bundleAuditEvidence} from './audit-files.js'
import type {SigmaEvidence} from './evidence.js'
import {loadSigmaDir} from './load.js'
import type {SigmaRule, SkippedRule} from './rule.js'
import {runSigma, type SigmaInput, type SigmaRun} from './run.js'

export interface SigmaCaseInput {
  readonly connection: DuckDBConnection
  /** --sigma DIR (repeatable). */
  readonly dirs: readonly string[]
  /** The rules of `dirs`, when they were loaded already (loadSigmaDirs): not read again. */
  readonly rules?: readonly SigmaRule[]
  /** The opened bundles (name, folder, verification): their raw audit records are read. */
  readonly bundles?: ReadonlyArray<{readonly name: string; readonly dir: string; readonly verified: boolean}>
  /** The analysis window (ISO 8601): events outside it are not read (an event without a time is). */
  readonly since?: string | undefined
  readonly until?: string | undefined
}

/** A skipped rule as `sigma_skipped` lists it (findings.json, the report). */
export interface SigmaSkippedEntry {
  /** The rule's id, else its file. */
  readonly rule: string
  readonly file: string
  readonly id?: string
  readonly title?: string
  readonly reason: string
}

export function sigmaSkippedEntry(s: SkippedRule): SigmaSkippedEntry {
  return {file: s.file, reason: s.reason, rule: s.id ?? s.file, ...(s.id === null ? {} : {id: s.id}), ...(s.title === null ? {} : {title: s.title})}
}

/** True when the ISO time lies inside the window (a bound not given is open; no time cannot be placed outside). */
function inWindow(time: string | null, since: number, until: number): boolean {
  if (time === null) return true
  const ms = Date.parse(time)
  return !(ms < since) && !(ms > until)
}

export interface SigmaCaseOutput {
  readonly findings: Finding[]
  /** Rule files outside the supported subset, each with the reason (`sigma_skipped`); empty when `rules` was given. */
  readonly skipped: SkippedRule[]
  /** How many rules ran. */
  readonly rules: number
  readonly read: SigmaRun['read']
}

/** The sources Sigma rules read in the events table. */
const SOURCES = ['auth', 'audit', 'shell-history']

function str(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value)
}

function num(value: unknown): number | null {
  return value === null || value === undefined || value === '' || !Number.isFinite(Number(value)) ? null : Number(value)
}

/** The events table's rows Sigma reads (inside the window, when one is given), streamed in chunks. */
export async function* caseEventRows(connection: DuckDBConnection, window: {since?: string | undefined; until?: string | undefined} = {}): AsyncGenerator<CaseEvent> {
  const where = [`source IN (${SOURCES.map((s) => sqlString(s)).join(', ')})`]
  const at = (iso: string | undefined) => (iso === undefined || Number.isNaN(Date.parse(iso)) ? null : `CAST(${sqlString(new Date(iso).toISOString())} AS TIMESTAMPTZ)`)
  const since = at(window.since)
  const until = at(window.until)
  if (since !== null) where.push(`(time IS NULL OR time >= ${since})`)
  if (until !== null) where.push(`(time IS NULL OR time <= ${until})`)
  const result = await connection.stream(`SELECT epoch_ms(time) AS time_ms, host, bundle, source, kind, "user", uid, auid, ip, port, path, exe, success, message, ref, verified, data, paths, weight
FROM events WHERE ${where.join(' AND ')} ORDER BY bundle, ref`)
  for await (const rows of result.yieldRowObjectJson()) {
    for (const row of rows) {
      const ms = num(row.time_ms)
      yield {
        auid: num(row.auid), bundle: String(row.bundle), data: str(row.data) ?? '{}', exe: str(row.exe), host: String(row.host), ip: str(row.ip),
        kind: String(row.kind), message: str(row.message) ?? '', path: str(row.path), port: num(row.port), ref: String(row.ref), source: String(row.source),
        success: typeof row.success === 'boolean' ? row.success : null, time: ms === null ? null : new Date(ms).toISOString(), uid: num(row.uid),
        user: str(row.user), verified: row.verified !== false, paths: Array.isArray(row.paths) ? row.paths.map(String) : null, weight: num(row.weight) ?? 1,
      }
    }
  }
}

async function bundleHosts(connection: DuckDBConnection): Promise<Map<string, string>> {
  const reader = await connection.runAndReadAll('SELECT bundle, min(host) AS host FROM events GROUP BY bundle')
  return new Map((reader.getRowObjectsJson() as Array<{bundle: string; host: string}>).map((r) => [r.bundle, r.host]))
}

/** The bundle's host as its name says (`CASE_HOST_YYYYMMDDTHHMMSSZ`), when the database has no row of it. */
function hostFromName(name: string): string {
  const match = /^.+?_(.+)_\d{8}T\d{6}Z$/.exec(name)
  return match?.[1] ?? name
}

/** Loads every --sigma folder; ids must be unique across them. */
export async function loadSigmaDirs(dirs: readonly string[]): Promise<{rules: SigmaRule[]; skipped: SkippedRule[]}> {
  const rules: SigmaRule[] = []
  const skipped: SkippedRule[] = []
  for (const dir of dirs) {
    const loaded = await loadSigmaDir(dir, new Set(rules.map((r) => r.id)))
    rules.push(...loaded.rules)
    skipped.push(...loaded.skipped.map((s) => (dirs.length > 1 ? {...s, file: `${dir}/${s.file}`} : s)))
  }
  return {rules, skipped}
}

/** Runs the Sigma rules of `dirs` over the case. */
export async function sigmaFindings(input: SigmaCaseInput): Promise<SigmaCaseOutput> {
  const {rules, skipped} = input.rules === undefined ? await loadSigmaDirs(input.dirs) : {rules: input.rules, skipped: []}
  if (rules.length === 0) return {findings: [], read: {audit: 0, 'audit-summary': 0, auth: 0, 'shell-history': 0}, rules: 0, skipped}
  const hosts = await bundleHosts(input.connection)
  const bundles = input.bundles ?? []
  const since = input.since === undefined ? Number.NaN : Date.parse(input.since)
  const until = input.until === undefined ? Number.NaN : Date.parse(input.until)
  async function* evidence(): AsyncGenerator<SigmaInput> {
    yield* caseEventRows(input.connection, input)
    for (const b of bundles) {
      const source = {bundle: b.name, dir: b.dir, host: hosts.get(b.name) ?? hostFromName(b.name), verified: b.verified}
      for await (const e of bundleAuditEvidence(source) as AsyncGenerator<SigmaEvidence>) if (inWindow(e.time, since, until)) yield e
    }
  }
  const run = await runSigma(rules, evidence())
  return {findings: run.findings, read: run.read, rules: rules.length, skipped}
}
