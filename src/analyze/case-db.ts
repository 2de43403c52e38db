import {DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'

import {ExitCode} from '../cli/exit-codes.js'
import {errorMessage, HipaaIrError, UsageError} from '../core/errors.js'
import {eventColumnCompression, eventColumns, eventColumnTypes} from './event.js'
import type {FieldShape, MappedColumn, SourceMapper} from './mappers.js'
import {sqlIdent, sqlString} from './sql.js'

/** The case database: one embedded DuckDB file holding the `events` table. */
export interface CaseDb {
  /** DuckDB's memory limit for this database (for what an out-of-memory error says). */
  memoryLimit: string
  instance: DuckDBInstance
  connection: DuckDBConnection
  close(): void
}

/**
 * DuckDB's memory limit for a case (it spills the rest to `case.duckdb.tmp/` beside the database, in
 * the private work folder). On the 5,000,000-event benchmark the whole analyze peaks at 0.9-1.0 GB of
 * RSS with 512 MB, and at 1.15-1.3 GB with 768 MB for the same time (interleaved runs; DuckDB spills
 * part of the rules' `phi_touch` table with 512 MB, which costs less than the noise of the machine);
 * DuckDB's default (80% of RAM) passed 2.3 GB. HIPAA_IR_DUCKDB_MEMORY overrides it (`2GB`).
 */
export const DEFAULT_MEMORY_LIMIT = '512MB'

const MEMORY_SIZE = /^\s*\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)\s*$/i

/** DuckDB's memory limit: HIPAA_IR_DUCKDB_MEMORY when set (a size such as 2GB), else the default. DuckDB itself only says "Failed to set config". */
export function caseMemoryLimit(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.HIPAA_IR_DUCKDB_MEMORY
  if (given === undefined || given.trim() === '') return DEFAULT_MEMORY_LIMIT
  if (!MEMORY_SIZE.test(given)) {
    throw new UsageError(`HIPAA_IR_DUCKDB_MEMORY=${JSON.stringify(given)} is not a size`, {
      code: 'E_DUCKDB_MEMORY',
      suggestions: [`Give a number and a unit, such as 768MB or 2GB, or unset it for the default (${DEFAULT_MEMORY_LIMIT}).`],
    })
  }
  return given.trim()
}

/**
 * A query that ran out of DuckDB's memory limit, said with what to do: DuckDB spills sorts and joins
 * to disk, but some work (a rule's aggregates over a very large case) must fit. Any other error as it is.
 */
export function explainOutOfMemory(error: unknown, limit: string): unknown {
  if (!isOutOfMemory(error)) return error
  const message = errorMessage(error)
  return new HipaaIrError(`DuckDB ran out of its ${limit} memory limit: ${message.split('\n')[0]}`, ExitCode.Unexpected, {
    code: 'E_DUCKDB_MEMORY',
    suggestions: [`Run again with a larger limit, such as HIPAA_IR_DUCKDB_MEMORY=2GB (the machine's free memory bounds it), or analyze fewer bundles at a time.`],
  })
}

function isOutOfMemory(error: unknown): boolean {
  return /Out of Memory Error/i.test(errorMessage(error))
}

/**
 * Runs `work` (the rules) beside `competing` (the exports, which share DuckDB's memory limit). If
 * `work` runs out of memory while `competing` is still running, it waits for that to end and runs
 * `work` once more, with the whole limit: on the 5,000,000-event benchmark the spray rule's bounded
 * ref lists needed about 350 MB at once (190 MB since it makes one finding per address and host), and
 * the Parquet writer's row groups beside them passed 512 MB in one run of about a dozen. Any other
 * failure, or one after `competing` ended, is thrown as it is.
 * `onRetry` is told before the wait.
 */
export async function retryAfterOutOfMemory<T>(work: () => Promise<T>, competing: Promise<unknown>, onRetry?: () => void): Promise<T> {
  const settled = competing.then(() => undefined, () => undefined)
  try {
    return await work()
  } catch (error) {
    if (!isOutOfMemory(error) || !(await stillRunning(settled))) throw error
    onRetry?.()
    await settled
    return work()
  }
}

/** Whether `settled` has not settled yet: one that has runs its callbacks before the next turn of the event loop. */
async function stillRunning(settled: Promise<void>): Promise<boolean> {
  return Promise.race([settled.then(() => false), new Promise<boolean>((resolve) => setImmediate(() => resolve(true)))])
}

/**
 * The storage format of `case.duckdb`: DuckDB 1.2's, the first with zstd for text columns (`data` is
 * stored that way, event.ts). DuckDB otherwise writes the 0.10 format for older readers; DuckDB 1.2
 * or later (its command line, Python, R) opens this file.
 */
export const CASE_STORAGE_VERSION = 'v1.2.0'

/** Opens (creating) the database file and its `events` table; times are UTC whatever the machine's zone. */
export async function openCaseDb(path: string, options: {memoryLimit?: string} = {}): Promise<CaseDb> {
  const memoryLimit = options.memoryLimit ?? caseMemoryLimit()
  const instance = await DuckDBInstance.create(path, {memory_limit: memoryLimit, storage_compatibility_version: CASE_STORAGE_VERSION})
  const connection = await instance.connect()
  await connection.run(`SET TimeZone = 'UTC'`)
  await connection.run(`CREATE TABLE IF NOT EXISTS events (${eventColumns.map((c) => columnDefinition(c)).join(', ')})`)
  return {
    close(): void {
      connection.closeSync()
      instance.closeSync()
    },
    connection,
    instance,
    memoryLimit,
  }
}

function columnDefinition(column: (typeof eventColumns)[number]): string {
  const compression = eventColumnCompression[column]
  return `${sqlIdent(column)} ${eventColumnTypes[column]}${compression === undefined ? '' : ` USING COMPRESSION ${compression}`}`
}

/**
 * Drops the connection's temporary tables (the rules' phi_touch, the refs of the scope and the
 * report): once the findings are drawn they only hold memory the exports need.
 */
export async function dropTemporaryTables(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE temporary`)
  for (const [name] of reader.getRows()) await connection.run(`DROP TABLE IF EXISTS temp.${sqlIdent(String(name))} CASCADE`)
}

/** Where a file's rows come from and what they are stamped with. */
export interface LoadFile {
  /** Absolute path of the JSON-lines file (inside the unpacked bundle). */
  path: string
  /** Bundle-relative path, the first half of `ref`. */
  file: string
  mapper: SourceMapper
  bundle: string
  host: string
  verified: boolean
}

function shapeSql(shape: FieldShape): unknown {
  if (shape === 'text') return 'VARCHAR'
  if (shape === 'list') return ['VARCHAR']
  return [Object.fromEntries(shape.list.map((name) => [name, 'VARCHAR']))]
}

/**
 * The file read as raw lines, numbered as in the file: one VARCHAR column (a delimiter and no quote
 * that JSON text never holds unescaped), blank lines kept as NULL so that numbering stays exact.
 * `row_number() OVER ()` over a single scan keeps the file's order (DuckDB's order preservation).
 */
function numberedLines(path: string): string {
  return `SELECT row_number() OVER () AS n, line FROM read_csv(${sqlString(path)}, columns = {'line': 'VARCHAR'}, delim = E'\\x01', quote = '', escape = '', `
    + `header = false, auto_detect = false, max_line_size = 16777216, buffer_size = 33554432)`
}

/** The characters a blank line is made of, for DuckDB's trim: space, tab, carriage return. */
const BLANK = `E' \\t\\r'`

const MAPPED: readonly MappedColumn[] = ['time', 'kind', 'user', 'uid', 'auid', 'ip', 'port', 'path', 'exe', 'success', 'message']

/**
 * The INSERT that loads one JSON-lines file into `events`, all inside DuckDB, parsing each line once:
 * `TRY(json_transform(...))` is NULL for a line that is not JSON, and a line that does not open with
 * `{` is not an object, so either is kept as a row of kind `unparsed` with the line as its message
 * and as a JSON string in `data` (nothing is dropped silently, and `data` stays valid JSON for every
 * rule). Blank lines (nothing but spaces, tabs or a carriage return) are skipped; `ref` is
 * `FILE:LINE` with the line's number in the file.
 */
export function loadFileSql(load: LoadFile): string {
  const {mapper} = load
  const structure = JSON.stringify(Object.fromEntries(Object.entries(mapper.fields).map(([name, shape]) => [name, shapeSql(shape)])))
  const column = (name: MappedColumn): string => {
    const expression = mapper.columns[name]
    const type = eventColumnTypes[name]
    if (name === 'kind') return `CASE WHEN ok THEN coalesce(${expression ?? 'NULL'}, ${sqlString(mapper.source)}) ELSE 'unparsed' END`
    if (name === 'message') return `CASE WHEN ok THEN coalesce(${expression ?? 'NULL'}, line) ELSE left(line, 4096) END`
    return expression === undefined ? `NULL::${type}` : `CASE WHEN ok THEN try_cast(${expression} AS ${type}) END`
  }
  const select = [
    column('time'), sqlString(load.host), sqlString(load.bundle), sqlString(mapper.source),
    ...MAPPED.slice(1).map((name) => column(name)),
    `${sqlString(`${load.file}:`)} || n`, load.verified ? 'true' : 'false',
    `CASE WHEN ok THEN line ELSE CAST(to_json(line) AS VARCHAR) END`,
    // paths: the mapper's list (audit's), NULL for the sources whose one path is `path`; weight: at least 1.
    mapper.columns.paths === undefined ? 'NULL::VARCHAR[]' : `CASE WHEN ok THEN ${mapper.columns.paths} END`,
    mapper.columns.weight === undefined ? '1' : `CASE WHEN ok THEN greatest(coalesce(${mapper.columns.weight}, 1), 1) ELSE 1 END`,
  ]
  // A line that opens with `{` is neither blank nor in need of trimming: testing that first spares
  // nearly every line a trimmed copy of itself (a quarter of a file's load time, benchmark 8).
  const parsed = `SELECT n, line, CASE WHEN starts_with(line, '{') OR starts_with(ltrim(line, ${BLANK}), '{') THEN TRY(json_transform(line, ${sqlString(structure)})) END AS f `
    + `FROM (${numberedLines(load.path)}) WHERE line IS NOT NULL AND (starts_with(line, '{') OR trim(line, ${BLANK}) <> '')`
  return `INSERT INTO events SELECT ${select.join(', ')} FROM (SELECT n, line, f IS NOT NULL AS ok, f FROM (${parsed}))`
}

/** Loads one file; returns the number of rows it added. */
export async function loadFile(connection: DuckDBConnection, load: LoadFile): Promise<number> {
  const result = await connection.run(loadFileSql(load))
  return Number(result.rowsChanged)
}
