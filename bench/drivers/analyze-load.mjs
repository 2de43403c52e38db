// Driver for the analyze benchmark: everything `hipaa-ir analyze` does after verification, on bundle
// folders that are already unpacked (the command's own code from its first read of a manifest to the
// last output moved into place: the load into case.duckdb, the built-in rules, the scope, findings.json,
// the facts draft, report.md and report.html, events.parquet, timeline.csv).
// Usage: node bench/drivers/analyze-load.mjs OUT_DIR BUNDLE_DIR...
// Prints {events, findings, phases} as JSON: each phase's wall and CPU seconds (every thread of the
// process, DuckDB's included), the phases being cut at the command's own progress messages.
// events.parquet and timeline.csv are written beside the rules, scope and report from the end of the
// load; `exports left` is the wait for them after findings.json is written.
import {readFileSync} from 'node:fs'
import {rm} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {loadFindingEngines} from '../../dist/analyze/findings.js'
import {analyzeOpenedBundles} from '../../dist/workflows/analyze-case.js'

const [out, ...dirs] = process.argv.slice(2)
const phases = {}
let at = performance.now()
let cpuAt = process.cpuUsage()
let phase = 'load'
/** The process's peak resident memory so far, in MB (VmHWM). */
const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024)
/** Closes the running phase and opens `next`. */
const lap = (next) => {
  const now = performance.now()
  const cpu = process.cpuUsage(cpuAt)
  const memory = process.memoryUsage()
  phases[phase] = {cpu: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), heapMb: Math.round(memory.heapUsed / 2 ** 20), peakMb: peakMb(), rssMb: Math.round(memory.rss / 2 ** 20), wall: Number(((now - at) / 1000).toFixed(2))}
  at = now
  cpuAt = process.cpuUsage()
  phase = next
}
const onStatus = (message) => {
  if (message.startsWith('running')) lap('rules')
  else if (message === 'drawing the scope') lap('scope')
  else if (message === 'writing the report') lap('report')
  else if (message.startsWith('finishing events.parquet')) lap('exports left')
}
await rm(join(out, 'analysis'), {force: true, recursive: true})
const engines = await loadFindingEngines([], [])
const verify = {ok: true, problems: [], warnings: []}
const bundles = dirs.map((dir) => ({dir, name: basename(dir), shownAs: dir, temporary: [], verified: true, verify}))
const result = await analyzeOpenedBundles({allowUnverified: false, mode: 'COMPLIANCE', onStatus, outDir: join(out, 'analysis'), rules: [], sigma: [], targets: dirs}, bundles, engines, undefined)
lap(undefined)
process.stdout.write(`${JSON.stringify({events: result.events, findings: result.findings.length, phases})}\n`)
