// Benchmark 2: hashing. hipaa-ir's SHA-256 (the PHI walk's hashRegularFileSafely, at its concurrency
// and at concurrency 1) against `sha256sum` over the same recent files, interleaved.
// Usage: node bench/hashing.mjs [TOTAL_MIB]   (default 2048; BENCH_QUICK=1: 256). Files are 8 MiB each.
import {existsSync} from 'node:fs'
import {mkdir, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {dataDir, interleave, measure, prng, projectRoot, quick, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

const FILE_MIB = 8

async function hashData(totalMib) {
  const dir = join(dataDir, `hash-${totalMib}m`)
  const count = Math.max(1, Math.round(totalMib / FILE_MIB))
  if (existsSync(dir) && (await readdir(dir)).length === count) return {count, dir}
  await mkdir(dir, {recursive: true})
  const random = prng(42)
  const block = Buffer.alloc(FILE_MIB * 1024 * 1024)
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(Math.floor(random() * 2 ** 32), i)
  for (let f = 0; f < count; f++) {
    block.writeUInt32LE(f, 0) // every file differs
    await writeFile(join(dir, `scan-${String(f).padStart(4, '0')}.dcm`), block)
  }
  return {count, dir}
}

export async function hashing(totalMib) {
  const {count, dir} = await hashData(totalMib)
  const bytes = count * FILE_MIB * 1024 * 1024
  const driver = join(projectRoot, 'bench', 'drivers', 'hash-files.mjs')
  // Warm the page cache once, so neither side pays for the disk the other one read first.
  await measure(['cat', ...(await readdir(dir)).map((n) => join(dir, n))], {stdout: 'ignore'})
  await waitForQuiet()
  const results = []
  for (const concurrency of [undefined, 1]) {
    const runs = await interleave(
      rounds,
      () => measure([process.execPath, driver, dir, ...(concurrency ? [String(concurrency)] : [])], {stdout: 'ignore'}),
      async () => measure(['bash', '-c', 'cd "$1" && sha256sum -- *', 'hash', dir], {stdout: 'ignore'}),
    )
    const label = concurrency ? `concurrency ${concurrency}` : 'PHI walk concurrency'
    const mib = bytes / 1024 / 1024
    const result = summarize(`hashing ${mib} MiB in ${count} files (${label})`, runs, {})
    result.throughputMiBs = {baseline: mib / result.baseline.wall, ours: mib / result.ours.wall}
    result.throughputRatio = result.throughputMiBs.ours / result.throughputMiBs.baseline
    console.log(`  throughput: hipaa-ir ${result.throughputMiBs.ours.toFixed(0)} MiB/s, sha256sum ${result.throughputMiBs.baseline.toFixed(0)} MiB/s; ratio ${result.throughputRatio.toFixed(2)}× (target ≥ 0.9×)`)
    results.push(result)
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2])
  await saveResults('hashing', await hashing(arg > 0 ? arg : quick ? 256 : 2048))
}
