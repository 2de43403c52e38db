// Benchmark 1: PHI scan. `collect --collectors phi-files` against the stock-tool pipeline
// (find -newermt -printf, sha256sum of the recent files, tar czf), interleaved, several rounds.
// Usage: node bench/phi-scan.mjs [COUNT ...]   (default: 100000 1000000; BENCH_QUICK=1: 20000)
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {cli, dataDir, interleave, measure, phiTree, quick, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

export async function phiScan(counts) {
  const results = []
  for (const count of counts) {
    const {root, since} = await phiTree(count)
    const out = join(dataDir, 'out-phi')
    await waitForQuiet()
    const runs = await interleave(
      rounds,
      async () => {
        await rm(out, {force: true, recursive: true})
        return measure([process.execPath, cli, 'collect', '--case', 'BENCH', '--out-dir', out, '--collectors', 'phi-files', '--phi-dir', root, '--since', since, '--json'], {stdout: 'ignore'})
      },
      async () => {
        await rm(out, {force: true, recursive: true})
        const script = 'mkdir -p "$2" && find "$1" -newermt "$3" -printf \'%y %s %m %U %G %T@ %C@ %p\\n\' > "$2/list.txt"' +
          ' && find "$1" -type f -newermt "$3" -print0 | xargs -0 -r sha256sum > "$2/sums.txt" && tar czf "$2/b.tar.gz" -C "$2" list.txt sums.txt'
        return measure(['bash', '-c', script, 'phi-scan', root, out, since])
      },
    )
    results.push(summarize(`phi-scan ${count} files (1% recent)`, runs, {files: count}))
  }
  const [small, large] = results
  if (small && large) console.log(`  peak RSS ${small.ours.rssMb.toFixed(0)} MB at ${small.files} files, ${large.ours.rssMb.toFixed(0)} MB at ${large.files} files`)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).map(Number).filter((n) => n > 0)
  await saveResults('phi-scan', await phiScan(args.length > 0 ? args : quick ? [20_000] : [100_000, 1_000_000]))
}
