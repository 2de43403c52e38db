// Shared helpers for the benchmarks: deterministic data, interleaved runs, medians, peak RSS from /usr/bin/time -v.
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))
export const dataDir = join(projectRoot, 'bench', '.data')
export const cli = join(projectRoot, 'bin', 'run.js')

/** Runs argv under `/usr/bin/time -v`; returns wall seconds and peak RSS in MB. */
export async function measure(argv, options = {}) {
  const started = performance.now()
  const result = await execa('/usr/bin/time', ['-v', ...argv], {reject: false, ...options})
  const wall = (performance.now() - started) / 1000
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)
  if (result.exitCode !== 0 && result.exitCode !== 4) {
    throw new Error(`${argv.join(' ')} exited ${result.exitCode}:\n${result.stderr.slice(-2000)}`)
  }
  return {rssMb: rss ? Number(rss[1]) / 1024 : Number.NaN, wall}
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Runs `ours` and `baseline` alternately `rounds` times (interleaved, so drift hits both). */
export async function interleave(rounds, ours, baseline) {
  const a = []
  const b = []
  for (let i = 0; i < rounds; i++) {
    a.push(await ours(i))
    if (baseline) b.push(await baseline(i))
  }
  return {baseline: b, ours: a}
}

export function summarize(name, runs) {
  const ours = {rssMb: Math.max(...runs.ours.map((r) => r.rssMb)), wall: median(runs.ours.map((r) => r.wall))}
  const base = runs.baseline.length > 0 ? {rssMb: Math.max(...runs.baseline.map((r) => r.rssMb)), wall: median(runs.baseline.map((r) => r.wall))} : undefined
  const ratio = base ? ours.wall / base.wall : undefined
  const line = `${name}: hipaa-ir median ${ours.wall.toFixed(2)} s, peak RSS ${ours.rssMb.toFixed(0)} MB` +
    (base ? `; baseline median ${base.wall.toFixed(2)} s, peak RSS ${base.rssMb.toFixed(0)} MB; ratio ${ratio.toFixed(2)}` : '')
  console.log(line)
  return {baseline: base, name, ours, ratio}
}

/** Builds (once) a PHI tree of `count` files in 100-file folders, 1% rewritten after a marker time. */
export async function phiTree(count) {
  const root = join(dataDir, `phi-${count}`)
  const marker = join(root, '.since')
  if (existsSync(marker)) return {root, since: (await readFile(marker, 'utf8')).trim()}
  await mkdir(root, {recursive: true})
  const payload = Buffer.alloc(2048, 'SYNTHETIC-PHI-RECORD;')
  for (let i = 0; i < count; i++) {
    const dir = join(root, `d${String(Math.floor(i / 100)).padStart(5, '0')}`)
    if (i % 100 === 0) await mkdir(dir, {recursive: true})
    await writeFile(join(dir, `patient-${i}.txt`), payload)
  }
  await new Promise((r) => setTimeout(r, 1500))
  const since = new Date().toISOString()
  await new Promise((r) => setTimeout(r, 1100))
  for (let i = 0; i < count; i += 100) {
    await writeFile(join(root, `d${String(Math.floor(i / 100)).padStart(5, '0')}`, `patient-${i}.txt`), payload)
  }
  await writeFile(marker, since)
  return {root, since}
}
