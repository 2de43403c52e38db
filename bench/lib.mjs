// Shared helpers for the benchmarks: deterministic data, interleaved runs, medians, peak RSS from
// /usr/bin/time -v, the machine and its load recorded next to every figure.
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {cpus, loadavg} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))
export const dataDir = join(projectRoot, 'bench', '.data')
export const resultsDir = join(projectRoot, 'bench', 'results')
export const cli = join(projectRoot, 'bin', 'run.js')
/** BENCH_QUICK=1: small data and two rounds, to check that a benchmark runs at all. */
export const quick = process.env.BENCH_QUICK === '1'
export const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 3))

/** The machine, for the record: CPU model, cores, 1-minute load right now. */
export function machine() {
  return {cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, load1: Number(loadavg()[0].toFixed(2)), node: process.version}
}

/**
 * The machine may be shared: waits (up to BENCH_WAIT_S, default 300 s) until the 1-minute load is
 * below BENCH_MAX_LOAD (default 1.5), then goes ahead anyway and the recorded load says so.
 */
export async function waitForQuiet() {
  const limit = Number(process.env.BENCH_MAX_LOAD ?? 1.5)
  const deadline = Date.now() + Number(process.env.BENCH_WAIT_S ?? (quick ? 0 : 300)) * 1000
  while (loadavg()[0] > limit && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5000))
  return loadavg()[0]
}

/** Runs argv under `/usr/bin/time -v`; returns wall seconds, CPU seconds and peak RSS in MB. */
export async function measure(argv, options = {}) {
  const {okExitCodes = [0, 4], ...rest} = options
  const started = performance.now()
  const result = await execa('/usr/bin/time', ['-v', ...argv], {reject: false, ...rest})
  const wall = (performance.now() - started) / 1000
  const field = (name) => new RegExp(`${name}: ([\\d.]+)`).exec(result.stderr)?.[1]
  if (!okExitCodes.includes(result.exitCode)) {
    throw new Error(`${argv.join(' ')} exited ${result.exitCode}:\n${result.stderr.slice(-2000)}`)
  }
  const rss = field('Maximum resident set size \\(kbytes\\)')
  return {
    cpu: Number(field('User time \\(seconds\\)') ?? 0) + Number(field('System time \\(seconds\\)') ?? 0),
    load1: Number(loadavg()[0].toFixed(2)),
    rssMb: rss ? Number(rss) / 1024 : Number.NaN,
    stdout: typeof result.stdout === 'string' ? result.stdout : '',
    wall,
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Runs `ours` and `baseline` alternately `n` times (interleaved, so drift hits both). */
export async function interleave(n, ours, baseline) {
  const a = []
  const b = []
  for (let i = 0; i < n; i++) {
    a.push(await ours(i))
    if (baseline) b.push(await baseline(i))
  }
  return {baseline: b, ours: a}
}

function side(runs) {
  return {cpu: median(runs.map((r) => r.cpu)), rssMb: Math.max(...runs.map((r) => r.rssMb)), wall: median(runs.map((r) => r.wall))}
}

/**
 * Prints and returns one result line. `extra` carries benchmark-specific figures (throughput,
 * events per second).
 */
export function summarize(name, runs, extra = {}) {
  const ours = side(runs.ours)
  const base = runs.baseline.length > 0 ? side(runs.baseline) : undefined
  const ratio = base ? ours.wall / base.wall : undefined
  const loads = [...runs.ours, ...runs.baseline].map((r) => r.load1)
  // Every round's wall time too, in the order run: on a shared host the spread says as much as the median.
  const walls = {baseline: runs.baseline.map((r) => Number(r.wall.toFixed(2))), ours: runs.ours.map((r) => Number(r.wall.toFixed(2)))}
  const result = {baseline: base, load1: {max: Math.max(...loads), min: Math.min(...loads)}, machine: machine(), name, ours, ratio, rounds: runs.ours.length, walls, ...extra}
  const line = `${name}: hipaa-ir median ${ours.wall.toFixed(2)} s (cpu ${ours.cpu.toFixed(2)} s), peak RSS ${ours.rssMb.toFixed(0)} MB` +
    (base ? `; baseline median ${base.wall.toFixed(2)} s (cpu ${base.cpu.toFixed(2)} s), peak RSS ${base.rssMb.toFixed(0)} MB; ratio ${ratio.toFixed(2)}` : '') +
    ` [load ${result.load1.min}-${result.load1.max}]`
  console.log(line)
  for (const [key, value] of Object.entries(extra)) console.log(`  ${key}: ${typeof value === 'number' ? value.toFixed(2) : JSON.stringify(value)}`)
  return result
}

/** Saves a benchmark's results as bench/results/NAME.json (the figures docs/benchmarks.md quotes). */
export async function saveResults(name, results) {
  await mkdir(resultsDir, {recursive: true})
  const file = join(resultsDir, `${name}${quick ? '.quick' : ''}.json`)
  await writeFile(file, `${JSON.stringify({at: new Date().toISOString(), machine: machine(), quick, results}, null, 2)}\n`)
  console.log(`results: ${file}`)
}

/** A small deterministic PRNG (mulberry32), so every run builds the same bytes. */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Builds (once) a PHI tree of `count` files in 100-file folders, 1% rewritten after a marker time. */
export async function phiTree(count, {fileBytes = 2048, recentEvery = 100, tag = ''} = {}) {
  const root = join(dataDir, `phi-${count}${tag}`)
  const marker = join(root, '.since')
  if (existsSync(marker)) return {root, since: (await readFile(marker, 'utf8')).trim()}
  await mkdir(root, {recursive: true})
  const payload = Buffer.alloc(fileBytes, 'SYNTHETIC-PHI-RECORD;')
  const folder = (i) => join(root, `d${String(Math.floor(i / 100)).padStart(5, '0')}`)
  for (let i = 0; i < count; i++) {
    if (i % 100 === 0) await mkdir(folder(i), {recursive: true})
    await writeFile(join(folder(i), `patient-${i}.txt`), payload)
  }
  await new Promise((r) => setTimeout(r, 1500))
  const since = new Date().toISOString()
  await new Promise((r) => setTimeout(r, 1100))
  for (let i = 0; i < count; i += recentEvery) await writeFile(join(folder(i), `patient-${i}.txt`), payload)
  await writeFile(marker, since)
  return {root, since}
}

/** Writes `path` once from a generator of string chunks (back-pressure respected). */
export async function writeOnce(path, chunks) {
  if (existsSync(path)) return path
  const {createWriteStream} = await import('node:fs')
  const {once} = await import('node:events')
  const {dirname} = await import('node:path')
  await mkdir(dirname(path), {recursive: true})
  const out = createWriteStream(`${path}.tmp`)
  for (const chunk of chunks) if (!out.write(chunk)) await once(out, 'drain')
  out.end()
  await once(out, 'finish')
  const {rename} = await import('node:fs/promises')
  await rename(`${path}.tmp`, path)
  return path
}
