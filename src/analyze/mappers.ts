/**
 * How each collector's JSON lines become rows of the `events` table (CONTRACT.md, "hipaa-ir analyze").
 * A mapper is data: the JSON fields it reads (extracted once per line with DuckDB's json_transform,
 * every one as text so that a value of an unexpected type is NULL, never an error) and, for each
 * column, a SQL expression over those fields (`f."name"`). The loader (case-db.ts) runs them inside
 * DuckDB: measured, that is about twice as fast as parsing and appending each line from JavaScript.
 * `bundle`, `host`, `source`, `ref`, `verified` and `data` are the loader's, the same for every source.
 */

/** Columns a mapper fills; the others are the loader's. */
export type MappedColumn = 'time' | 'kind' | 'user' | 'uid' | 'auid' | 'ip' | 'port' | 'path' | 'exe' | 'success' | 'message' | 'paths' | 'weight'

/** A json_transform structure: text, a list of text, or a list of objects of text fields. */
export type FieldShape = 'text' | 'list' | {list: readonly string[]}

export interface SourceMapper {
  /** The collector id: the `source` column. */
  source: string
  /** Bundle-relative JSON-lines files of that collector. */
  files: readonly string[]
  fields: Readonly<Record<string, FieldShape>>
  columns: Readonly<Partial<Record<MappedColumn, string>>>
  /** What `time` means, for the timeline's `timestamp_desc`. */
  timeDesc: string
}

const f = (name: string): string => `f."${name}"`
const int = (name: string): string => `try_cast(${f(name)} AS BIGINT)`
const ts = (name: string): string => `try_cast(${f(name)} AS TIMESTAMPTZ)`
const bool = (name: string): string => `try_cast(${f(name)} AS BOOLEAN)`
/** `label value` when value is not NULL, else NULL (concat_ws then skips it). */
const labelled = (label: string, expression: string): string => `'${label} ' || ${expression}`
const text = (...names: string[]): Record<string, FieldShape> => Object.fromEntries(names.map((name) => [name, 'text' as const]))

export const authMapper: SourceMapper = {
  source: 'auth',
  files: ['auth/events.jsonl'],
  fields: text('time', 'kind', 'user', 'ip', 'port', 'program', 'pid', 'method', 'raw', 'count'),
  columns: {
    time: ts('time'),
    weight: `try_cast(${f('count')} AS INTEGER)`,
    kind: f('kind'),
    user: f('user'),
    ip: f('ip'),
    port: int('port'),
    success: `CASE ${f('kind')} WHEN 'accepted' THEN true WHEN 'failed' THEN false WHEN 'invalid-user' THEN false WHEN 'sudo-denied' THEN false WHEN 'lockout' THEN false END`,
    // The log line itself is what a person reads best; the parsed fields when it is absent.
    message: `coalesce(${f('raw')}, concat_ws(' ', ${f('program')}, ${f('kind')}, ${labelled('user', f('user'))}, ${labelled('from', f('ip'))}, ${labelled('port', f('port'))}))`,
  },
  timeDesc: 'Auth log entry',
}

export const auditMapper: SourceMapper = {
  source: 'audit',
  files: ['audit/events.jsonl'],
  fields: {...text('time', 'key', 'serial', 'auid', 'uid', 'euid', 'exe', 'comm', 'success'), paths: 'list'},
  columns: {
    time: ts('time'),
    kind: `coalesce(${f('key')}, 'audit')`,
    uid: int('uid'),
    auid: int('auid'),
    path: `${f('paths')}[1]`,
    paths: f('paths'),
    exe: f('exe'),
    success: bool('success'),
    message: `concat_ws(' ', 'audit', ${f('key')}, ${labelled('serial', f('serial'))}, ${labelled('auid', f('auid'))}, ${labelled('uid', f('uid'))}, `
      + `${f('comm')}, ${labelled('exe', f('exe'))}, CASE ${bool('success')} WHEN true THEN 'succeeded' WHEN false THEN 'failed' END, `
      + `${labelled('on', `nullif(array_to_string(${f('paths')}, ', '), '')`)})`,
  },
  timeDesc: 'Audit event',
}

export const sessionsMapper: SourceMapper = {
  source: 'sessions',
  files: ['sessions/sessions.jsonl'],
  fields: text('source', 'kind', 'user', 'name', 'tty', 'line', 'host', 'from', 'login', 'login_raw', 'logout', 'logout_raw', 'duration', 'time', 'pid', 'what', 'status'),
  columns: {
    // last: the login; wtmp_begins: its time. who and w print times without a year: no time.
    time: `coalesce(${ts('login')}, ${ts('time')})`,
    kind: `CASE ${f('source')} WHEN 'last' THEN (CASE ${f('kind')} WHEN 'user' THEN 'login' ELSE ${f('kind')} END) WHEN 'who' THEN 'logged-in' ELSE coalesce(${f('kind')}, ${f('source')}) END`,
    user: `coalesce(${f('user')}, ${f('name')})`,
    ip: `coalesce(${f('host')}, ${f('from')})`,
    message: `concat_ws(' ', ${f('source')} || ':', coalesce(${f('user')}, ${f('name')}), coalesce(${f('tty')}, ${f('line')}), `
      + `${labelled('from', `coalesce(${f('host')}, ${f('from')})`)}, ${labelled('at', `coalesce(${f('login_raw')}, ${f('time')})`)}, `
      + `${labelled('until', `coalesce(${f('logout_raw')}, ${f('logout')})`)}, ${f('duration')}, ${f('status')}, ${f('what')})`,
  },
  timeDesc: 'Login time',
}

/** Peer addresses that stand for "any": a listener, no remote end. */
const ANY = `('*', '0.0.0.0', '::', '[::]')`

export const networkMapper: SourceMapper = {
  source: 'network',
  files: ['network/sockets.jsonl'],
  fields: {...text('netid', 'state', 'local_address', 'local_port', 'peer_address', 'peer_port', 'process'), processes: {list: ['name', 'pid']}},
  columns: {
    kind: `'socket'`,
    ip: `CASE WHEN ${f('peer_address')} IN ${ANY} THEN NULL ELSE ${f('peer_address')} END`,
    port: `CASE WHEN ${f('peer_address')} IN ${ANY} THEN try_cast(${f('local_port')} AS BIGINT) ELSE try_cast(${f('peer_port')} AS BIGINT) END`,
    exe: `${f('processes')}[1].name`,
    message: `concat_ws(' ', ${f('netid')}, ${f('state')}, ${f('local_address')} || ':' || ${f('local_port')}, '->', ${f('peer_address')} || ':' || ${f('peer_port')}, nullif(${f('process')}, ''))`,
  },
  timeDesc: 'Socket observed',
}

export const phiFilesMapper: SourceMapper = {
  source: 'phi-files',
  files: ['phi-files/recently-modified.jsonl'],
  fields: text('path', 'type', 'size', 'mode', 'uid', 'gid', 'mtime', 'ctime', 'sha256', 'target'),
  columns: {
    time: ts('mtime'),
    kind: `coalesce(${f('type')}, 'file')`,
    uid: int('uid'),
    path: f('path'),
    message: `concat_ws(' ', 'PHI', coalesce(${f('type')}, 'file'), 'modified:', ${f('path')}, ${labelled('->', f('target'))}, `
      + `${labelled('size', f('size'))}, ${labelled('mode', f('mode'))}, ${labelled('uid', f('uid'))}, ${labelled('ctime', f('ctime'))}, ${labelled('sha256', f('sha256'))})`,
  },
  timeDesc: 'Content Modification Time',
}

export const processesMapper: SourceMapper = {
  source: 'processes',
  files: ['processes/processes.jsonl'],
  fields: {...text('pid', 'ppid', 'uid', 'user', 'start', 'exe', 'exe_deleted', 'exe_sha256', 'cwd'), cmdline: 'list'},
  columns: {
    time: ts('start'),
    kind: `'process'`,
    user: f('user'),
    uid: int('uid'),
    exe: f('exe'),
    message: `concat_ws(' ', 'process', ${f('pid')}, ${labelled('ppid', f('ppid'))}, ${labelled('user', f('user'))}, ${f('exe')}, `
      + `CASE WHEN ${bool('exe_deleted')} THEN '(deleted)' END, ${labelled('cwd', f('cwd'))}, ${labelled(':', `nullif(array_to_string(${f('cmdline')}, ' '), '')`)})`,
  },
  timeDesc: 'Process Start Time',
}

export const accountsMapper: SourceMapper = {
  source: 'accounts',
  files: ['accounts/accounts.jsonl'],
  fields: {...text('user', 'uid', 'gid', 'home', 'shell', 'sudo', 'password', 'last_change'), groups: 'list'},
  columns: {
    time: ts('last_change'),
    kind: `'account'`,
    user: f('user'),
    uid: int('uid'),
    path: f('home'),
    exe: f('shell'),
    message: `concat_ws(' ', 'account', ${f('user')}, ${labelled('uid', f('uid'))}, ${labelled('gid', f('gid'))}, ${labelled('home', f('home'))}, ${labelled('shell', f('shell'))}, `
      + `${labelled('groups', `nullif(array_to_string(${f('groups')}, ','), '')`)}, CASE WHEN ${bool('sudo')} THEN 'can sudo' END, ${labelled('password', f('password'))}, `
      + `${labelled('last changed', f('last_change'))})`,
  },
  timeDesc: 'Password Last Changed',
}

export const persistenceMapper: SourceMapper = {
  source: 'persistence',
  files: ['persistence/persistence.jsonl'],
  fields: text('kind', 'path', 'user', 'mtime', 'sha256', 'detail'),
  columns: {
    time: ts('mtime'),
    kind: `coalesce(${f('kind')}, 'persistence')`,
    user: f('user'),
    path: f('path'),
    message: `concat_ws(' ', ${f('kind')}, ${f('path')}, ${labelled('user', f('user'))}, ${labelled(':', f('detail'))})`,
  },
  timeDesc: 'Modification Time',
}

export const shellHistoryMapper: SourceMapper = {
  source: 'shell-history',
  files: ['shell-history/history.jsonl'],
  fields: text('user', 'shell', 'path', 'n', 'time', 'command'),
  columns: {
    time: ts('time'),
    kind: `'command'`,
    user: f('user'),
    path: f('path'),
    message: `concat_ws(' ', ${f('user')}, '(' || concat_ws(' ', ${f('shell')}, ${f('path')} || ':' || ${f('n')}) || ')', ${labelled('$', f('command'))})`,
  },
  timeDesc: 'Command Time',
}

/** The built-in collectors whose JSON lines are events, by collector id. */
export const builtinMappers: ReadonlyMap<string, SourceMapper> = new Map(
  [authMapper, auditMapper, sessionsMapper, networkMapper, phiFilesMapper, processesMapper, accountsMapper, persistenceMapper, shellHistoryMapper].map((m) => [m.source, m]),
)

/**
 * A user artifact (`collect --artifacts`) or any other collector whose JSON lines have no fixed
 * fields: the common names are taken when present (`time`, `kind`, `user`, `path`, `message` or the
 * `lines` parser's `line`), else the line itself is the message.
 */
export function genericMapper(source: string, files: readonly string[]): SourceMapper {
  return {
    source,
    files,
    fields: text('time', 'kind', 'user', 'uid', 'ip', 'port', 'path', 'exe', 'message', 'line', 'text'),
    columns: {
      time: ts('time'),
      kind: `coalesce(${f('kind')}, 'line')`,
      user: f('user'),
      uid: int('uid'),
      ip: f('ip'),
      port: int('port'),
      path: f('path'),
      exe: f('exe'),
      message: `coalesce(${f('message')}, ${f('line')}, ${f('text')})`,
    },
    timeDesc: 'Event time',
  }
}
