// Benchmark 1: PHI scan. `collect --collectors phi-files` against the stock-tool pipeline
// (find -newermt -printf, sha256sum of the recent files, tar czf), interleaved, several rounds.
// Usage: node bench/phi-scan.mjs [COUNT ...]   (default: 100000 1000000)
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {cli, dataDir, interleave, measure, phiTree, summarize} from './lib.mjs'

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const results = []
for (const count of counts.length > 0 ? counts : [100_000, 1_000_000]) {
  const {root, since} = await phiTree(count)
  const out = join(dataDir, 'out')
  const runs = await interleave(
    rounds,
    async () => {
      await rm(out, {force: true, recursive: true})
      return measure([process.execPath, cli, 'collect', '--case', 'BENCH', '--out-dir', out, '--collectors', 'phi-files', '--phi-dir', root, '--since', since, '--json'], {stdout: 'ignore'})
    },
    async () => {
      await rm(out, {force: true, recursive: true})
      const script = `mkdir -p "${out}" && find "${root}" -newermt "${since}" -printf '%y %s %m %U %G %T@ %C@ %p\\n' > "${out}/list.txt" && find "${root}" -type f -newermt "${since}" -print0 | xargs -0 -r sha256sum > "${out}/sums.txt" && tar czf "${out}/b.tar.gz" -C "${out}" list.txt sums.txt`
      return measure(['bash', '-c', script])
    },
  )
  results.push(summarize(`phi-scan ${count} files (1% recent)`, runs))
}
console.log(JSON.stringify(results))
