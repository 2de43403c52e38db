/**
 * One row of the case database's `events` table (CONTRACT.md, "hipaa-ir analyze"): every parsed event
 * of every bundle, whatever collector it came from. The contract's columns come first; `data` keeps the
 * whole original JSON line so that rules and Sigma can reach fields the common columns do not carry,
 * and `verified` says whether the bundle it came from passed verification.
 */
export interface CaseEvent {
  /** ISO 8601 UTC, or null when the evidence has no time (an account, a persistence item without mtime). */
  readonly time: string | null
  readonly host: string
  /** The bundle's name (`CASE_HOST_YYYYMMDDTHHMMSSZ`). */
  readonly bundle: string
  /** The collector id: `auth`, `audit`, `sessions`, `network`, `phi-files`, `processes`, `accounts`, `persistence`, `shell-history`, or a user artifact's id. */
  readonly source: string
  /** The event's kind within its source: auth's kind, an audit key, a persistence kind, `process`, `account`, `socket`, … */
  readonly kind: string
  readonly user: string | null
  readonly uid: number | null
  readonly auid: number | null
  readonly ip: string | null
  readonly port: number | null
  readonly path: string | null
  readonly exe: string | null
  readonly success: boolean | null
  /** One line a person can read, used for the timeline's `message`. */
  readonly message: string
  /** Bundle-relative file and line of the evidence: `auth/events.jsonl:17`. */
  readonly ref: string
  readonly verified: boolean
  /** The original JSON line, as text (a line that is not a JSON object: that line as a JSON string). */
  readonly data: string
  /** Every path an audit record names (its `paths`); null for the other sources, whose one path is `path`. */
  readonly paths: readonly string[] | null
  /** How many log lines the row stands for: rsyslog's "message repeated N times" counts N; else 1. */
  readonly weight: number
}

/** The column order of the `events` table, shared by the loader, the rules and the exports. */
export const eventColumns = [
  'time', 'host', 'bundle', 'source', 'kind', 'user', 'uid', 'auid', 'ip', 'port', 'path', 'exe', 'success', 'message', 'ref', 'verified', 'data',
  'paths', 'weight',
] as const satisfies ReadonlyArray<keyof CaseEvent>

/** DuckDB column types, in `eventColumns` order. */
export const eventColumnTypes: Readonly<Record<(typeof eventColumns)[number], string>> = {
  time: 'TIMESTAMPTZ', host: 'VARCHAR', bundle: 'VARCHAR', source: 'VARCHAR', kind: 'VARCHAR', user: 'VARCHAR',
  uid: 'BIGINT', auid: 'BIGINT', ip: 'VARCHAR', port: 'INTEGER', path: 'VARCHAR', exe: 'VARCHAR', success: 'BOOLEAN',
  message: 'VARCHAR', ref: 'VARCHAR', verified: 'BOOLEAN', data: 'VARCHAR', paths: 'VARCHAR[]', weight: 'INTEGER',
}

/**
 * The storage each text column is given (DuckDB's `USING COMPRESSION`): zstd for the two long texts
 * (`data`, the whole JSON line, and `message`), FSST for the shorter, mostly distinct ones, a
 * dictionary for the short repeated ones. Left to itself DuckDB tries every method on every column
 * of every row group before it picks one; naming it took a third off the load's CPU time in the
 * analyze benchmark (docs/benchmarks.md, benchmark 8), for a file of the same size. zstd for `data`
 * then took a further fifth off the CPU time of loading an audit file and halved its size on disk
 * against FSST, and for `message` a sixth off writing timeline.csv, which reads it. zstd needs the
 * storage format of DuckDB 1.2 or later (`CASE_STORAGE_VERSION`).
 */
export const eventColumnCompression: Readonly<Partial<Record<(typeof eventColumns)[number], 'fsst' | 'dictionary' | 'zstd'>>> = {
  host: 'dictionary', bundle: 'dictionary', source: 'dictionary', kind: 'dictionary', user: 'dictionary', ip: 'dictionary', exe: 'dictionary',
  path: 'fsst', message: 'zstd', ref: 'fsst', data: 'zstd',
}

