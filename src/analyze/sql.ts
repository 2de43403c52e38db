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
