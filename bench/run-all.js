// `npm run bench`: the six benchmarks in turn, each printing its ratio; results in bench/results/.
// BENCH_QUICK=1 for small data; BENCH_ONLY=phi-scan,startup to run some; BENCH_ROUNDS to change the rounds.
// The push benchmark needs a local Object Lock server (scripts/local-s3.sh start) and is skipped without one.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {analyze} from './analyze.mjs'
import {archiveSign} from './archive-sign.mjs'
import {hashing} from './hashing.mjs'
import {machine, projectRoot, quick, saveResults} from './lib.mjs'
import {logParsing} from './log-parsing.mjs'
import {phiScan} from './phi-scan.mjs'
import {push} from './push.mjs'
import {startup} from './startup.mjs'

const benchmarks = {
  analyze: () => analyze(quick ? 200_000 : 5_000_000),
  'archive-sign': () => archiveSign(quick ? 50 : 500),
  hashing: () => hashing(quick ? 256 : 2048),
  'log-parsing': () => logParsing(quick ? 200_000 : 5_000_000, quick ? 40 : 1024),
  'phi-scan': () => phiScan(quick ? [5_000] : [50_000, 200_000]),
  push: () => push(quick ? 64 : 1024),
  startup: () => startup(),
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean)
if (!existsSync(join(projectRoot, 'dist', 'workflows', 'seal-bundle.js'))) {
  console.error('build first: npm run build')
  process.exit(1)
}
console.log(`machine: ${JSON.stringify(machine())}${quick ? ' (BENCH_QUICK: small data)' : ''}`)
let failed = 0
for (const [name, run] of Object.entries(benchmarks)) {
  if (only && !only.includes(name)) continue
  if (name === 'push' && !process.env.BENCH_S3_ENV && !existsSync(join(projectRoot, '.s3', 'env'))) {
    console.log('push: skipped (no local S3 server; scripts/local-s3.sh start)')
    continue
  }
  console.log(`\n== ${name}`)
  try {
    await saveResults(name, await run())
  } catch (error) {
    failed++
    console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
process.exitCode = failed > 0 ? 1 : 0
