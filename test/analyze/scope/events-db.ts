import {DuckDBInstance, type DuckDBConnection} from '@duckdb/node-api'

import {type CaseEvent, eventColumns, eventColumnTypes} from '../../../src/analyze/event.js'

/** An in-memory case database with the `events` table, filled with the given rows. */
export async function eventsDb(rows: Array<Partial<CaseEvent>>): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  await connection.run(`CREATE TABLE events (${eventColumns.map((c) => `"${c}" ${eventColumnTypes[c]}`).join(', ')})`)
  // paths and weight are filled below from data and path, as the loader fills them.
  const columns = eventColumns.filter((c) => c !== 'paths' && c !== 'weight')
  const insert = await connection.prepare(`INSERT INTO events (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`)
  for (const [n, row] of rows.entries()) {
    const full: CaseEvent = {
      auid: null, bundle: `B_${row.host ?? 'h'}`, data: '{}', exe: null, host: 'h', ip: null, kind: 'other', message: '', path: null, port: null,
      paths: null, ref: `x.jsonl:${n + 1}`, source: 'audit', success: null, time: null, uid: null, user: null, verified: true, weight: 1, ...row,
    }
    columns.forEach((column, i) => {
      const value = full[column]
      if (value === null) insert.bindNull(i + 1)
      else if (typeof value === 'boolean') insert.bindBoolean(i + 1, value)
      else if (typeof value === 'number') insert.bindBigInt(i + 1, BigInt(value))
      else insert.bindVarchar(i + 1, value)
    })
    await insert.run()
  }
  await connection.run(`UPDATE events SET weight = 1, paths = CASE WHEN source = 'audit' AND json_type(data->'paths') = 'ARRAY' THEN CAST(data->'paths' AS VARCHAR[]) END`)
  return connection
}
