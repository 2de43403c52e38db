import {type CaseDb} from './case-db.js'
import {eventColumns} from './event.js'
import {builtinMappers} from './mappers.js'
import {sqlIdent, sqlString} from './sql.js'

/**
 * The Parquet file's columns and their Parquet types as DuckDB writes them (docs/analyze.md states
 * the same for Athena, Trino and Spark; a test reads the file back and compares). `data` is written
 * as plain text (the original JSON line), so that every engine reads it as a string.
 */
export const parquetColumns = eventColumns

/** Writes `events` to a Parquet file (zstd), `data` as text. */
export async function exportParquet(db: CaseDb, path: string): Promise<void> {
  await db.connection.run(`COPY (SELECT * REPLACE (data::VARCHAR AS data) FROM events ORDER BY time NULLS LAST, host, bundle, ref) `
    + `TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`)
}

/** Timesketch's required columns first (message, datetime, timestamp_desc), then `timestamp` (microseconds) and the event fields. */
export const timelineColumns = [
  'message', 'datetime', 'timestamp_desc', 'timestamp',
  ...eventColumns.filter((c) => c !== 'time' && c !== 'message' && c !== 'data'),
] as const

function timestampDescSql(): string {
  const cases = [...builtinMappers.values()].map((m) => `WHEN ${sqlString(m.source)} THEN ${sqlString(m.timeDesc)}`).join(' ')
  return `CASE source ${cases} ELSE 'Event time' END`
}

/**
 * Writes timeline.csv in Timesketch's CSV import format: every event that has a time, oldest first,
 * `datetime` as ISO 8601 with the UTC offset. Events without a time (accounts without a last
 * password change, sockets) have no place on a timeline: they are in events.parquet and case.duckdb.
 */
export async function exportTimeline(db: CaseDb, path: string): Promise<number> {
  const rest = timelineColumns.slice(4).map((c) => sqlIdent(c))
  const select = [
    'message',
    `strftime(time, '%Y-%m-%dT%H:%M:%S.%f') || '+00:00' AS datetime`,
    `${timestampDescSql()} AS timestamp_desc`,
    'epoch_us(time) AS timestamp',
    ...rest,
  ]
  const result = await db.connection.run(`COPY (SELECT ${select.join(', ')} FROM events WHERE time IS NOT NULL ORDER BY time, host, bundle, ref) `
    + `TO ${sqlString(path)} (FORMAT csv, HEADER true)`)
  return Number(result.rowsChanged)
}
