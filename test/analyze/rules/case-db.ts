/**
 * Test helper: an in-memory case database holding synthetic `events` rows, built the way the loader
 * builds them (the contract's columns plus the original JSON line in `data`).
 */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {type DuckDBConnection, DuckDBInstance} from '@duckdb/node-api'

import {type CaseEvent, eventColumns, eventColumnTypes} from '../../../src/analyze/event.js'
import {makeTempDir} from '../../helpers/temp.js'

type Data = Record<string, unknown>
type Partial = {[K in Exclude<keyof CaseEvent, 'data' | 'paths' | 'weight'>]?: CaseEvent[K]}

let serial = 0

/** One row; `data` is the original line (defaults to the row's own fields), `ref` counts up per source. */
export function row(fields: Partial & {data?: Data}): CaseEvent {
  serial += 1
  const source = fields.source ?? 'auth'
  const base = {
    auid: null, exe: null, host: 'web1', ip: null, kind: 'other', message: '', path: null, port: null, success: null, time: null, uid: null, user: null,
    ...fields,
  }
  const bundle = fields.bundle ?? `IR-1_${base.host}_20260304T000000Z`
  const data = fields.data ?? {}
  // As the loader: every path of the line (audit's paths), else the one path; the weight of a repeated line.
  const paths = source === 'audit' && Array.isArray(data.paths) ? data.paths.map(String) : null
  const weight = Math.max(1, typeof data.count === 'number' ? data.count : 1)
  return {
    paths, weight,
    auid: base.auid, bundle, data: JSON.stringify(data), exe: base.exe, host: base.host, ip: base.ip, kind: base.kind,
    message: base.message || `${source} ${base.kind}`, path: base.path, port: base.port,
    ref: fields.ref ?? `${source === 'auth' ? 'auth/events.jsonl' : source === 'audit' ? 'audit/events.jsonl' : `${source}/${source}.jsonl`}:${serial}`,
    source, success: base.success, time: base.time, uid: base.uid, user: base.user, verified: fields.verified ?? true,
  }
}

/** An auth line (auth/events.jsonl) as a row. */
export function auth(kind: string, time: string, fields: Partial & {data?: Data} = {}): CaseEvent {
  const data: Data = {host: fields.host ?? 'web1', ip: fields.ip ?? null, kind, program: kind.startsWith('sudo') ? 'sudo' : 'sshd', time, user: fields.user ?? null, ...fields.data}
  // As the loader: the message is the log line itself when the line has one.
  const message = typeof data.raw === 'string' ? data.raw : undefined
  return row({kind, message, source: 'auth', success: kind === 'accepted' ? true : kind === 'failed' ? false : null, time, ...fields, data})
}

const uids = new Map<string, number>()

/** The uid of a test account: the same number for the same name. */
export function uidOf(user: string): number {
  if (!uids.has(user)) uids.set(user, 2000 + uids.size)
  return uids.get(user) as number
}

/**
 * An audit event (audit/events.jsonl) as the loader makes its row: kind is the key, path the first
 * path, no user (audit records ids). `user` names the account: its uid (and auid, unless given) are
 * that account's, and caseDb adds the account's row so rules can name it.
 */
export function audit(time: string, fields: Partial & {key?: string; paths?: string[]; types?: string[]; comm?: string} = {}): CaseEvent {
  const {comm, key = 'phi_access', paths = [], types = ['SYSCALL', 'CWD', 'PATH'], user, ...rest} = fields
  const uid = rest.uid ?? (user ? uidOf(user) : null)
  const auid = rest.auid ?? (user ? uid : null)
  if (user && rest.uid !== undefined) uids.set(user, rest.uid as number)
  const data = {auid, comm: comm ?? null, exe: rest.exe ?? null, key, paths, serial, success: true, time, types, uid}
  return row({kind: key, path: paths[0] ?? null, source: 'audit', success: true, time, ...rest, auid, data, uid})
}

/** The accounts rows naming every account audit() was given, per host. */
function accountRows(events: readonly CaseEvent[]): CaseEvent[] {
  const byUid = new Map([...uids].map(([name, uid]) => [uid, name]))
  const seen = new Set<string>()
  const rows: CaseEvent[] = []
  for (const e of events) {
    if (e.source !== 'audit') continue
    for (const id of [e.uid, e.auid]) {
      const name = id === null ? undefined : byUid.get(id)
      if (name === undefined || seen.has(`${e.host} ${id}`)) continue
      seen.add(`${e.host} ${id}`)
      rows.push(row({data: {uid: id, user: name}, host: e.host, kind: 'account', source: 'accounts', uid: id, user: name}))
    }
  }
  return rows
}

/** Any other collector's row (`processes`, `accounts`, `persistence`, `shell-history`, `network`, `phi-files`). */
export function other(source: string, kind: string, time: string | null, data: Data, fields: Partial = {}): CaseEvent {
  return row({kind, source, time, ...fields, data})
}

/** A fresh in-memory database whose `events` table holds `events`. */
export async function caseDb(given: readonly CaseEvent[]): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run(`CREATE TABLE events (${eventColumns.map((c) => `"${c}" ${eventColumnTypes[c]}`).join(', ')})`)
  if (given.length === 0) return connection
  const events = [...given, ...accountRows(given)]
  const dir = await makeTempDir('rules-db-')
  const file = join(dir, 'events.jsonl')
  await writeFile(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  const columns = eventColumns.map((c) => `'${c}': '${eventColumnTypes[c]}'`).join(', ')
  await connection.run(`INSERT INTO events SELECT ${eventColumns.map((c) => `"${c}"`).join(', ')} FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}})`)
  return connection
}
