/** SQL text helpers for the case database: every value from a bundle enters SQL through these, never spliced raw. */

/** A SQL string literal: single quotes doubled; a NUL (which no SQL string can hold) is refused. */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new RangeError('a NUL character cannot be part of a SQL string')
  return `'${value.replaceAll("'", "''")}'`
}

/** A quoted SQL identifier: `"user"`. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** An evidence ref (`BUNDLE/FILE:LINE`, what findings list) built from a row's `bundle` and `ref`; `alias` names the table (`e`). */
export function evidenceSql(alias?: string): string {
  const p = alias === undefined ? '' : `${alias}.`
  return `${p}bundle || '/' || ${p}ref`
}

/** A TIMESTAMPTZ column as ISO 8601 UTC with milliseconds (`2026-03-03T10:00:00.000Z`), as findings and reports write times. */
export function isoTimeSql(column: string): string {
  return `strftime(timezone('UTC', ${column}), '%Y-%m-%dT%H:%M:%S.%gZ')`
}
