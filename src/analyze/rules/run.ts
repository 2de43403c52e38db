/**
 * Runs the rules over the case database's `events` table: the built-in rules and the user's
 * `--rules DIR`, each a DuckDB query over the views of views.ts, and turns their rows into findings
 * (CONTRACT.md, "hipaa-ir analyze"), worst first then earliest.
 *
 * A query returns one row per finding with the columns `host`, `first`, `last`, `count` and, when it
 * has them, `user`, `ip`, `paths` (list), `refs` (list of `BUNDLE/FILE:LINE`), `hosts` (list, for
 * cross-host findings), `unverified` (true when any evidence came from a bundle that failed
 * verification); every other column is kept under `details` and can be named in the reason.
 */
import {createHash} from 'node:crypto'

import {type DuckDBConnection, DuckDBTypeId, StatementType} from '@duckdb/node-api'

import {errorMessage, HipaaIrError, UsageError} from '../../core/errors.js'
import {ExitCode} from '../../cli/exit-codes.js'
import {compareFindings, type Finding} from '../finding.js'
import {type LoadedRule, loadRules} from './load.js'
import {contextLiteral, type ParamOverrides, resolveParams, type RuleContext, sqlLiteral} from './params.js'
import {contextParams, type ContextParam, fillPlaceholders, type ParamValue} from './schema.js'
import {createRuleViews, DEFAULT_MAX_PATHS, DEFAULT_MAX_REFS} from './views.js'

/** Where PHI lives when no manifest says otherwise (the collector's default `--phi-dir`). */
export const DEFAULT_PHI_DIRS = ['/var/data/phi'] as const

export interface RunRulesOptions {
  /** Folders of user rules (`--rules DIR`), loaded after the built-in rules. */
  userRuleDirs?: readonly string[]
  /** Rules already loaded with loadRules (to validate them before the case database is built); replaces userRuleDirs. */
  rules?: readonly LoadedRule[]
  /** Parameter overrides: `PARAM` for every rule that declares it, `RULE.PARAM` for one. */
  params?: ParamOverrides
  /** The analysis window (`--since`, `--until`): findings wholly outside it are dropped; history before it still counts for baselines. */
  window?: {start?: Date | null; end?: Date | null}
  /** The PHI folders: the union of the bundles' manifests' `phi_dirs`; default /var/data/phi. */
  phiDirs?: readonly string[]
  /** Each host's own addresses, when known from elsewhere than its network evidence. */
  hostAddresses?: Readonly<Record<string, readonly string[]>>
  /** Refs kept per finding (the rest are counted in `refs_total`); default DEFAULT_MAX_REFS. */
  maxRefs?: number
  /** Paths kept per finding (the rest are counted in `paths_total`); default DEFAULT_MAX_PATHS. */
  maxPaths?: number
}

const FINDING_COLUMNS = new Set(['host', 'first', 'last', 'count', 'user', 'ip', 'paths', 'refs', 'refs_total', 'paths_total', 'hosts', 'unverified', '__first_ms', '__last_ms'])

/** Every rule's findings, worst first then earliest. A user rule whose query fails is exit 2 naming its file. */
export async function runRules(connection: DuckDBConnection, options: RunRulesOptions = {}): Promise<Finding[]> {
  const rules = options.rules ?? (await loadRules(options.userRuleDirs ?? []))
  const params = resolveParams(rules.map((r) => r.rule), options.params)
  const phiDirs = options.phiDirs !== undefined && options.phiDirs.length > 0 ? options.phiDirs : DEFAULT_PHI_DIRS
  await createRuleViews(connection, {hostAddresses: options.hostAddresses, maxPaths: options.maxPaths, maxRefs: options.maxRefs, phiDirs})
  const context: RuleContext = {phiDirs, windowEnd: options.window?.end ?? null, windowStart: options.window?.start ?? null}
  const findings: Finding[] = []
  for (const loaded of rules) {
    const rows = await runRuleQuery(connection, loaded, params.get(loaded.rule.id) ?? {}, context)
    for (const row of rows) {
      const finding = toFinding(loaded, row, options)
      if (insideWindow(finding, context)) findings.push(finding)
    }
  }
  return findings.sort(compareFindings)
}

/** The rule's SQL with its parameters and the context filled in. */
export function ruleSql(loaded: LoadedRule, values: Readonly<Record<string, ParamValue>>, context: RuleContext): string {
  return fillPlaceholders(loaded.query, (name) => {
    if (contextParams.includes(name as ContextParam) && !(name in loaded.rule.params)) return contextLiteral(name as ContextParam, context)
    const param = loaded.rule.params[name]
    const value = values[name]
    if (param === undefined || value === undefined) throw new HipaaIrError(`rule ${loaded.rule.id}: no value for {{${name}}}`, ExitCode.Unexpected, {code: 'E_RULE'})
    return sqlLiteral(param.type, value)
  })
}

async function runRuleQuery(connection: DuckDBConnection, loaded: LoadedRule, values: Readonly<Record<string, ParamValue>>, context: RuleContext): Promise<Record<string, unknown>[]> {
  const fail = (message: string): HipaaIrError => (loaded.source === 'builtin'
    ? new HipaaIrError(`built-in rule ${loaded.rule.id} (${loaded.file}): ${message}`, ExitCode.Unexpected, {code: 'E_RULE'})
    : new UsageError(`rule ${loaded.file}, query: ${message}`, {code: 'E_RULE', suggestions: ['See docs/analyze-rules.md for the columns a query returns and the views it can read.']}))
  const sql = ruleSql(loaded, values, context).trim().replace(/;\s*$/, '')
  try {
    if (loaded.source !== 'builtin') {
      // One read-only statement: a rule reads evidence, it never writes files or changes the database.
      const statements = await connection.extractStatements(sql)
      if (statements.count !== 1) throw fail('must be exactly one SELECT statement')
      const prepared = await statements.prepare(0)
      if (prepared.statementType !== StatementType.SELECT) throw fail('must be a SELECT (or WITH … SELECT) statement')
    }
    const query = `SELECT q.*, epoch_ms(CAST(q.first AS TIMESTAMPTZ)) AS __first_ms, epoch_ms(CAST(q.last AS TIMESTAMPTZ)) AS __last_ms FROM (\n${sql}\n) AS q`
    // The lists come back as one text each (a list of thousands of findings' refs is five times
    // faster to read that way than value by value); texts() splits them again.
    const prepared = await connection.prepare(query)
    const lists: string[] = []
    for (let i = 0; i < prepared.columnCount; i++) {
      const name = prepared.columnName(i)
      if (LIST_COLUMNS.has(name) && prepared.columnTypeId(i) === DuckDBTypeId.LIST) lists.push(name)
    }
    const joined = lists.length === 0 ? query : `SELECT * REPLACE (${lists.map((n) => `array_to_string(${n}, chr(${LIST_SEPARATOR.codePointAt(0)})) AS ${n}`).join(', ')}) FROM (${query})`
    const reader = await connection.runAndReadAll(joined)
    return reader.getRowObjectsJson() as Record<string, unknown>[]
  } catch (error) {
    if (error instanceof HipaaIrError) throw error
    throw fail(errorMessage(error).split('\n')[0] ?? 'failed')
  }
}

function text(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value)
}

/** Finding columns that are lists, read back as one text joined with LIST_SEPARATOR. */
const LIST_COLUMNS = new Set(['refs', 'paths', 'hosts'])
const LIST_SEPARATOR = '\u0001'

function texts(value: unknown): string[] {
  if (typeof value === 'string') return [...new Set(value.split(LIST_SEPARATOR).filter((v) => v !== ''))]
  if (!Array.isArray(value)) return []
  return [...new Set(value.filter((v) => v !== null && v !== undefined && v !== '').map(String))]
}

function iso(ms: unknown): string | null {
  return ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString()
}

/** A whole number a query returned (DuckDB's BIGINT comes as text), else null. */
function whole(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : Number.NaN
  return Number.isSafeInteger(n) ? n : null
}

/**
 * One row as a finding. A query may bound its lists itself (`first_refs`, `some_paths`) and say how
 * many there were in `refs_total` and `paths_total`; lists longer than maxRefs or maxPaths are cut
 * here and counted the same way.
 */
function toFinding(loaded: LoadedRule, row: Record<string, unknown>, options: RunRulesOptions): Finding {
  const {rule} = loaded
  const maxRefs = options.maxRefs ?? DEFAULT_MAX_REFS
  const maxPaths = options.maxPaths ?? DEFAULT_MAX_PATHS
  const host = text(row.host) ?? 'unknown-host'
  const first = iso(row.__first_ms)
  const user = text(row.user)
  const ip = text(row.ip)
  const hosts = texts(row.hosts)
  const refs = texts(row.refs)
  const paths = texts(row.paths).sort()
  const refsTotal = Math.max(refs.length, whole(row.refs_total) ?? 0)
  const pathsTotal = Math.max(paths.length, whole(row.paths_total) ?? 0)
  const details: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) if (!FINDING_COLUMNS.has(key)) details[key] = typeof value === 'string' ? (whole(value) ?? value) : value
  const id = createHash('sha256').update(JSON.stringify([rule.id, host, first, user, ip, hosts])).digest('hex').slice(0, 16)
  const finding: Finding = {
    id, rule: rule.id, title: rule.title, severity: rule.severity, host, first, last: iso(row.__last_ms),
    count: Number(row.count ?? refs.length) || 0, user, ip, paths: paths.slice(0, maxPaths), refs: refs.slice(0, maxRefs), source: loaded.source,
  }
  if (row.unverified === true) finding.unverified = true
  if (hosts.length > 0) finding.hosts = hosts
  if (refsTotal > finding.refs.length) finding.refs_total = refsTotal
  if (pathsTotal > finding.paths.length) finding.paths_total = pathsTotal
  if (Object.keys(details).length > 0) finding.details = details
  if (loaded.source === 'rules') finding.rule_file = loaded.file
  finding.reason = fillReason(rule.reason, finding, details, paths, pathsTotal)
  return finding
}

/** `{name}` in a rule's reason: a finding field or a column of the query; lists read as `a, b and 3 more`. */
export function fillReason(template: string, finding: Finding, details: Readonly<Record<string, unknown>>, allPaths: readonly string[] = finding.paths, pathsTotal = allPaths.length): string {
  const values: Record<string, unknown> = {...details, count: finding.count, first: finding.first, host: finding.host, hosts: finding.hosts ?? [finding.host], ip: finding.ip, last: finding.last, paths: allPaths, rule: finding.rule, user: finding.user}
  return template.trim().replace(/\{([a-z_][a-z0-9_]*)\}/gi, (whole, name: string) => {
    if (!(name in values)) return whole
    const value = values[name]
    if (value === null || value === undefined) return 'unknown'
    if (Array.isArray(value)) {
      const items = value.map(String)
      const total = name === 'paths' ? Math.max(pathsTotal, items.length) : items.length
      return total <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${total - 5} more`
    }
    return String(value)
  })
}

function insideWindow(finding: Finding, context: RuleContext): boolean {
  if (context.windowStart !== null && finding.last !== null && finding.last < context.windowStart.toISOString()) return false
  if (context.windowEnd !== null && finding.first !== null && finding.first > context.windowEnd.toISOString()) return false
  return true
}
