// Benchmark 5: start-up. `hipaa-ir --version` and `hipaa-ir collect --help` against the floor every
// Node CLI pays (`node -e 0`), many rounds interleaved; target ≤ 0.2 s.
// Usage: node bench/startup.mjs   (BENCH_ROUNDS, default 15; quick: 5)
import {cli, interleave, measure, quick, saveResults, summarize, waitForQuiet} from './lib.mjs'

export async function startup() {
  const n = Number(process.env.BENCH_ROUNDS ?? (quick ? 5 : 15))
  const results = []
  for (const args of [['--version'], ['collect', '--help'], ['collectors', 'list', '--json']]) {
    await waitForQuiet()
    const runs = await interleave(
      n,
      () => measure([process.execPath, cli, ...args], {stdout: 'ignore'}),
      () => measure([process.execPath, '-e', '0'], {stdout: 'ignore'}),
    )
    const result = summarize(`start-up: hipaa-ir ${args.join(' ')} (baseline: node -e 0)`, runs)
    result.targetSeconds = 0.2
    result.aboveNodeFloor = result.ours.wall - result.baseline.wall
    console.log(`  above the bare node floor: ${result.aboveNodeFloor.toFixed(3)} s; target ≤ 0.2 s total: ${result.ours.wall <= 0.2 ? 'met' : 'not met'}`)
    results.push(result)
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) await saveResults('startup', await startup())
