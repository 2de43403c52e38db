// Baseline of the analyze benchmark: DuckDB alone reading the same JSON lines into a table of a new
// database file (read_json_auto over every file, union_by_name since the sources differ).
// Usage: node bench/drivers/duckdb-read-json.mjs OUT_DIR FILE...
import {DuckDBInstance} from '@duckdb/node-api'
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

const [out, ...files] = process.argv.slice(2)
const path = join(out, 'baseline.duckdb')
await rm(path, {force: true})
const instance = await DuckDBInstance.create(path)
const connection = await instance.connect()
const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')
const result = await connection.run(`CREATE TABLE t AS SELECT * FROM read_json_auto([${list}], format = 'newline_delimited', union_by_name = true)`)
await connection.run('CHECKPOINT')
const rows = (await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM t')).getRows()[0][0]
connection.closeSync()
instance.closeSync()
void result
process.stdout.write(`${JSON.stringify({events: Number(rows)})}\n`)
