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
type Partial = {[K in Exclude<keyof CaseEvent, 'data'>]?: CaseEvent[K]}

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
  return {
    auid: base.auid, bundle, data: JSON.stringify(data), exe: base.exe, host: base.host, ip: base.ip, kind: base.kind,
    message: base.message || `${source} ${base.kind}`, path: base.path, port: base.port,
    ref: fields.ref ?? `${source === 'auth' ? 'auth/events.jsonl' : source === 'audit' ? 'audit/events.jsonl' : `${source}/${source}.jsonl`}:${serial}`,
    source, success: base.success, time: base.time, uid: base.uid, user: base.user, verified: fields.verified ?? true,
  }
}

/** An auth line (auth/events.jsonl) as a row. */
export function auth(kind: string, time: string, fields: Partial & {data?: Data} = {}): CaseEvent {
  const data = {host: fields.host ?? 'web1', ip: fields.ip ?? null, kind, program: kind.startsWith('sudo') ? 'sudo' : 'sshd', time, user: fields.user ?? null, ...fields.data}
  return row({kind, source: 'auth', success: kind === 'accepted' ? true : kind === 'failed' ? false : null, time, ...fields, data})
}

/** An audit event (audit/events.jsonl) as a row: kind is the key, path the first path. */
export function audit(time: string, fields: Partial & {key?: string; paths?: string[]; types?: string[]; comm?: string} = {}): CaseEvent {
  const {comm, key = 'phi_access', paths = [], types = ['SYSCALL', 'CWD', 'PATH'], ...rest} = fields
  const data = {auid: rest.auid ?? null, comm: comm ?? null, exe: rest.exe ?? null, key, paths, serial, success: true, time, types, uid: rest.uid ?? null}
  return row({kind: key, path: paths[0] ?? null, source: 'audit', success: true, time, ...rest, data})
}

/** Any other collector's row (`processes`, `accounts`, `persistence`, `shell-history`, `network`, `phi-files`). */
export function other(source: string, kind: string, time: string | null, data: Data, fields: Partial = {}): CaseEvent {
  return row({kind, source, time, ...fields, data})
}

/** A fresh in-memory database whose `events` table holds `events`. */
export async function caseDb(events: readonly CaseEvent[]): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run(`CREATE TABLE events (${eventColumns.map((c) => `"${c}" ${eventColumnTypes[c]}`).join(', ')})`)
  if (events.length === 0) return connection
  const dir = await makeTempDir('rules-db-')
  const file = join(dir, 'events.jsonl')
  await writeFile(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  const columns = eventColumns.map((c) => `'${c}': '${eventColumnTypes[c] === 'JSON' ? 'VARCHAR' : eventColumnTypes[c]}'`).join(', ')
  await connection.run(`INSERT INTO events SELECT ${eventColumns.map((c) => `"${c}"`).join(', ')} FROM read_json('${file}', format = 'newline_delimited', columns = {${columns}})`)
  return connection
}
