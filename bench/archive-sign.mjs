// Benchmark 4: archive + sign. hipaa-ir's sealing of an evidence folder (SHA256SUMS, signatures,
// tar.gz) against the same steps with stock tools: sha256sum, signify-openbsd -S, tar czf,
// signify-openbsd -S on the tarball. Usage: node bench/archive-sign.mjs [MIB]   (default 500; quick: 50)
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {auditRecords, authLines} from './log-parsing.mjs'
import {dataDir, interleave, measure, projectRoot, quick, rounds, saveResults, summarize, waitForQuiet, writeOnce} from './lib.mjs'

const NAME = 'BENCH_bench01_20260303T000000Z'

async function evidence(mib) {
  const source = join(dataDir, `evidence-${mib}m`, NAME)
  const bytes = mib * 1024 * 1024
  // Log-like text, as a bundle holds: 40% auth lines, 60% audit records (gzip shrinks it about 8×).
  await writeOnce(join(source, 'auth', 'auth-events.txt'), limit(authLines(Number.MAX_SAFE_INTEGER), bytes * 0.4))
  await writeOnce(join(source, 'audit', 'phi_access.raw'), auditRecords(bytes * 0.6))
  return source
}

function* limit(chunks, bytes) {
  let sent = 0
  for (const chunk of chunks) {
    if (sent >= bytes) return
    sent += chunk.length
    yield chunk
  }
}

export async function archiveSign(mib) {
  const source = await evidence(mib)
  const work = join(dataDir, 'out-seal')
  const keys = join(dataDir, 'signify')
  if (!existsSync(join(keys, 'bench.sec'))) {
    await mkdir(keys, {recursive: true})
    await execa('signify-openbsd', ['-G', '-n', '-p', join(keys, 'bench.pub'), '-s', join(keys, 'bench.sec')])
  }
  const fresh = async () => {
    await rm(work, {force: true, recursive: true})
    await mkdir(work, {recursive: true})
    await execa('cp', ['-a', source, work])
  }
  const driver = join(projectRoot, 'bench', 'drivers', 'seal.mjs')
  await waitForQuiet()
  const runs = await interleave(
    rounds,
    async () => {
      await fresh()
      return measure([process.execPath, driver, join(work, NAME), work], {stdout: 'ignore'})
    },
    async () => {
      await fresh()
      const script = 'cd "$1/$2" && find . -type f | sort | xargs sha256sum > SHA256SUMS && signify-openbsd -S -s "$3" -m SHA256SUMS' +
        ' && cd "$1" && tar czf "$2.tar.gz" "$2" && signify-openbsd -S -s "$3" -m "$2.tar.gz"'
      return measure(['bash', '-c', script, 'seal', work, NAME, join(keys, 'bench.sec')])
    },
  )
  return [summarize(`archive + sign ${mib} MiB evidence folder`, runs, {mib})]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2])
  await saveResults('archive-sign', await archiveSign(arg > 0 ? arg : quick ? 50 : 500))
}
