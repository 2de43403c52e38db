import {type CaseDb} from './case-db.js'
import {eventColumns} from './event.js'
import {builtinMappers} from './mappers.js'
import {sqlIdent, sqlString} from './sql.js'

/**
 * The Parquet file's columns and their Parquet types as DuckDB writes them (docs/analyze.md states
 * the same for Athena, Trino and Spark; a test reads the file back and compares). `data` is plain
 * text (the original JSON line), so that every engine reads it as a string.
 */
export const parquetColumns = eventColumns

/**
 * Writes `events` to a Parquet file: zstd at level 1, and dictionary pages of text columns capped at
 * 64 KB, so that the mostly distinct columns (`data`, `message`, `ref`) fall back to plain pages at
 * once instead of filling a dictionary first. On the 5,000,000-event benchmark that took a quarter
 * off the export's CPU time for a file under 1% larger than zstd's default level made (docs/benchmarks.md).
 */
function parquetSql(path: string): string {
  return `COPY events TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, STRING_DICTIONARY_PAGE_SIZE_LIMIT 65536)`
}

/** Timesketch's required columns first (message, datetime, timestamp_desc), then `timestamp` (microseconds) and the event fields. */
export const timelineColumns = [
  'message', 'datetime', 'timestamp_desc', 'timestamp',
  ...eventColumns.filter((c) => c !== 'time' && c !== 'message' && c !== 'data' && c !== 'paths' && c !== 'weight'),
] as const

function timestampDescSql(): string {
  const cases = [...builtinMappers.values()].map((m) => `WHEN ${sqlString(m.source)} THEN ${sqlString(m.timeDesc)}`).join(' ')
  return `CASE source ${cases} ELSE 'Event time' END`
}

/**
 * timeline.csv in Timesketch's CSV import format: every event that has a time, `datetime` as ISO 8601
 * with the UTC offset (formatted from the microseconds, which skips the time-zone library). Events
 * without a time (accounts without a last password change, sockets) have no place on a timeline:
 * they are in events.parquet and case.duckdb.
 */
function timelineSql(path: string): string {
  const rest = timelineColumns.slice(4).map((c) => sqlIdent(c))
  const select = [
    'message',
    `strftime(make_timestamp(epoch_us(time)), '%Y-%m-%dT%H:%M:%S.%f') || '+00:00' AS datetime`,
    `${timestampDescSql()} AS timestamp_desc`,
    'epoch_us(time) AS timestamp',
    ...rest,
  ]
  return `COPY (SELECT ${select.join(', ')} FROM events WHERE time IS NOT NULL) TO ${sqlString(path)} (FORMAT csv, HEADER true)`
}

/**
 * Writes events.parquet and then timeline.csv, on a connection of its own so that the caller can
 * draw findings, scope and report on its connection meanwhile: the exports keep both cores busy while
 * the rules' results are read and rendered in JavaScript. Rows are written in whatever order DuckDB's
 * threads finish them (the caller turns preserve_insertion_order off once the case is loaded: keeping
 * the table's order holds rows back in memory, which on millions of events cost more than the
 * writing); readers of both files order by time themselves. Returns the timeline's row count.
 */
export async function exportEvents(db: CaseDb, paths: {parquet: string; timeline: string}, signal?: AbortSignal): Promise<number> {
  const connection = await db.instance.connect()
  // Aborting interrupts the running COPY (the caller's work failed and the files will not be kept).
  const interrupt = (): void => connection.interrupt()
  signal?.addEventListener('abort', interrupt, {once: true})
  try {
    signal?.throwIfAborted()
    await connection.run(`SET TimeZone = 'UTC'`)
    await connection.run(parquetSql(paths.parquet))
    signal?.throwIfAborted()
    return Number((await connection.run(timelineSql(paths.timeline))).rowsChanged)
  } finally {
    signal?.removeEventListener('abort', interrupt)
    connection.closeSync()
  }
}
