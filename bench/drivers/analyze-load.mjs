// Driver for the analyze benchmark: everything `hipaa-ir analyze` does after verification, on bundle
// folders that are already unpacked: read each manifest, load every JSON-lines file into a new
// case.duckdb, run the built-in rules, export events.parquet and timeline.csv.
// Usage: node bench/drivers/analyze-load.mjs OUT_DIR BUNDLE_DIR...   (prints the phases' seconds as JSON)
import {rm} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {bundleContents} from '../../dist/analyze/bundle-sources.js'
import {openCaseDb} from '../../dist/analyze/case-db.js'
import {exportParquet, exportTimeline} from '../../dist/analyze/exports.js'
import {loadFindingEngines, runFindingEngines} from '../../dist/analyze/findings.js'
import {loadCase} from '../../dist/analyze/load-case.js'

const [out, ...dirs] = process.argv.slice(2)
const phases = {}
let at = performance.now()
let cpuAt = process.cpuUsage()
/** Wall and CPU seconds (every thread of the process, DuckDB's included) of each phase. */
const lap = (name) => {
  const now = performance.now()
  const cpu = process.cpuUsage(cpuAt)
  phases[name] = {cpu: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), wall: Number(((now - at) / 1000).toFixed(2))}
  at = now
  cpuAt = process.cpuUsage()
}
await rm(join(out, 'case.duckdb'), {force: true})
const engines = await loadFindingEngines([], [])
const db = await openCaseDb(join(out, 'case.duckdb'))
const bundles = []
for (const dir of dirs) bundles.push({contents: await bundleContents(dir, basename(dir)), dir, name: basename(dir), verified: true})
const events = (await loadCase(db, bundles)).reduce((a, b) => a + b, 0)
const phiDirs = new Set(bundles.flatMap((b) => b.contents.phiDirs))
lap('load')
// A rule that fails (out of DuckDB's memory on a very large case) is reported, and the exports still measured.
let findings = []
let rulesError = null
try {
  findings = await runFindingEngines({bundles: [], db, engines, phiDirs: [...phiDirs], window: {end: null, start: null}})
} catch (error) {
  rulesError = String(error?.message ?? error).slice(0, 300)
}
lap('rules')
await exportParquet(db, join(out, 'events.parquet'))
lap('parquet')
await exportTimeline(db, join(out, 'timeline.csv'))
lap('timeline')
db.close()
process.stdout.write(`${JSON.stringify({events, findings: findings.length, phases, rulesError})}\n`)
