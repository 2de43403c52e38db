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
 * Runs a COPY with DuckDB free to write rows in whatever order its threads finish them: keeping the
 * table's order holds rows back in memory, and on a case of millions of events that cost more than
 * the writing (benchmark 8, docs/benchmarks.md). Readers of both files order by time themselves.
 */
async function copyUnordered(db: CaseDb, sql: string): Promise<number> {
  await db.connection.run('SET preserve_insertion_order = false')
  try {
    return Number((await db.connection.run(sql)).rowsChanged)
  } finally {
    await db.connection.run('SET preserve_insertion_order = true')
  }
}

/** Writes `events` to a Parquet file (zstd). */
export async function exportParquet(db: CaseDb, path: string): Promise<void> {
  await copyUnordered(db, `COPY events TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`)
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
 * Writes timeline.csv in Timesketch's CSV import format: every event that has a time, `datetime` as
 * ISO 8601 with the UTC offset (formatted from the microseconds, which skips the time-zone library),
 * in no particular order (Timesketch orders by time). Events without a time (accounts without a last
 * password change, sockets) have no place on a timeline: they are in events.parquet and case.duckdb.
 */
export async function exportTimeline(db: CaseDb, path: string): Promise<number> {
  const rest = timelineColumns.slice(4).map((c) => sqlIdent(c))
  const select = [
    'message',
    `strftime(make_timestamp(epoch_us(time)), '%Y-%m-%dT%H:%M:%S.%f') || '+00:00' AS datetime`,
    `${timestampDescSql()} AS timestamp_desc`,
    'epoch_us(time) AS timestamp',
    ...rest,
  ]
  return copyUnordered(db, `COPY (SELECT ${select.join(', ')} FROM events WHERE time IS NOT NULL) TO ${sqlString(path)} (FORMAT csv, HEADER true)`)
}
