// Benchmark 1: PHI scan. `collect --collectors phi-files` (the whole bundle: listing, hashes,
// SHA256SUMS, manifest, tar.gz, signatures) against the stock-tool pipeline, interleaved, several
// rounds, in two cases on the same tree (bench/phi-fixture.mjs): 1% of the files changed since
// --since, and every file changed (ransomware rewrote them all).
//
// The baseline, one walk like ours:
//   find ROOT -newermt SINCE -printf '%p %s %m %U %G %T@ %C@\n' -type f -fprint0 files0 > list.txt
//   xargs -0 -r sha256sum < files0 > sums.txt
//   tar czf b.tar.gz list.txt sums.txt
// It lists the same entries with their lstat fields, hashes the same regular files and compresses
// the result; it does not record types or link targets, escape names, check that a hashed file is
// the one listed, write SHA256SUMS or a manifest, or sign. CPU is user + sys of the whole process
// tree (/usr/bin/time -v: find, xargs, sha256sum, tar, gzip; or node, its threads and its find).
// Debian's sha256sum (coreutils 9.1) has no SHA-NI code and hashes at about a sixth of OpenSSL's
// speed, which flatters hipaa-ir when every file is hashed; so the all-changed case also runs the
// same pipeline with `openssl dgst -sha256 -r` (SHA-NI) in sha256sum's place, a third arm in the
// same interleaving, reported as `fastBaseline` and `cpuRatioFast`.
// Usage: node bench/phi-scan.mjs [COUNT ...]   (default: 50000 200000; BENCH_QUICK=1: 5000)
//        BENCH_PHI_CASE=all (or 1%) runs one case only.
import {rm} from 'node:fs/promises'
import {join} from 'node:path'

import {benchTmp, phiFixture, SINCE_ALL, SINCE_ONE_PERCENT} from './phi-fixture.mjs'
import {cli, interleave, measure, median, quick, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

export const BASELINE_SCRIPT =
  'mkdir -p "$2" && find "$1" -newermt "$3" -printf \'%p %s %m %U %G %T@ %C@\\n\' -type f -fprint0 "$2/files0" > "$2/list.txt"' +
  ' && xargs -0 -r sha256sum < "$2/files0" > "$2/sums.txt" && tar czf "$2/b.tar.gz" -C "$2" list.txt sums.txt'

export const FAST_BASELINE_SCRIPT = BASELINE_SCRIPT.replace('xargs -0 -r sha256sum', 'xargs -0 -r openssl dgst -sha256 -r')

export const CASES = [
  {name: '1% changed', since: SINCE_ONE_PERCENT},
  {name: 'all changed', since: SINCE_ALL},
]

export async function phiScan(counts) {
  const results = []
  for (const count of counts) {
    const fixture = phiFixture(count)
    for (const {name, since} of CASES.filter((c) => !process.env.BENCH_PHI_CASE || c.name.startsWith(process.env.BENCH_PHI_CASE))) {
      const out = join(benchTmp, 'out-phi')
      await waitForQuiet()
      const fast = []
      const runs = await interleave(
        rounds,
        async () => {
          await rm(out, {force: true, recursive: true})
          return measure([process.execPath, cli, 'collect', '--case', 'BENCH', '--out-dir', out, '--collectors', 'phi-files', '--phi-dir', fixture.root, '--since', since, '--json'], {stdout: 'ignore'})
        },
        async () => {
          await rm(out, {force: true, recursive: true})
          const run = await measure(['bash', '-c', BASELINE_SCRIPT, 'phi-scan', fixture.root, out, since])
          if (since === SINCE_ALL) {
            await rm(out, {force: true, recursive: true})
            fast.push(await measure(['bash', '-c', FAST_BASELINE_SCRIPT, 'phi-scan', fixture.root, out, since]))
          }
          return run
        },
      )
      await rm(out, {force: true, recursive: true})
      const result = summarize(`phi-scan ${count} files (${name})`, runs, {bytes: fixture.bytes, files: count})
      result.case = name
      result.cpuRatio = result.ours.cpu / result.baseline.cpu
      console.log(`  CPU ratio ${result.cpuRatio.toFixed(2)}`)
      if (fast.length > 0) {
        result.fastBaseline = {cpu: median(fast.map((r) => r.cpu)), rssMb: Math.max(...fast.map((r) => r.rssMb)), wall: median(fast.map((r) => r.wall))}
        result.cpuRatioFast = result.ours.cpu / result.fastBaseline.cpu
        console.log(`  with openssl dgst (SHA-NI) for sha256sum: ${result.fastBaseline.wall.toFixed(2)} s (cpu ${result.fastBaseline.cpu.toFixed(2)} s); CPU ratio ${result.cpuRatioFast.toFixed(2)}`)
      }
      results.push(result)
    }
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).map(Number).filter((n) => n > 0)
  await saveResults('phi-scan', await phiScan(args.length > 0 ? args : quick ? [5_000] : [50_000, 200_000]))
}
