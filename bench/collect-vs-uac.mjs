// Benchmark 7: the live collect with every collector against UAC's ir_triage profile on the same
// machine, interleaved (hipaa-ir, UAC, hipaa-ir, UAC, ...; BENCH_ROUNDS, default 3, each), as root.
//
//   hipaa-ir: node bin/run.js collect --case BENCH-UAC --out-dir TMP/ours-N --json
//             (the default plan: every collector that can run here; BENCH_PHI_DIR adds --phi-dir)
//   UAC:      cd $UAC_DIR && ./uac -p ir_triage TMP/uac-N   (UAC runs from its own folder)
//
// Both write into fresh temp folders (BENCH_TMP, default $TMPDIR/hipaa-ir-bench), removed after
// each run. Reports the median wall and CPU time (user + sys of the whole process tree) of each,
// the ratio hipaa-ir / UAC, peak RSS, and which collectors were in hipaa-ir's plan.
// UAC is not bundled with hipaa-ir and not installed by it: without UAC_DIR this explains how to
// get it and exits 0 without a figure; BENCH_OURS_ONLY=1 then measures hipaa-ir's side alone (no ratio).
import {execa} from 'execa'
import {existsSync} from 'node:fs'
import {mkdir, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {benchTmp} from './phi-fixture.mjs'
import {cli, interleave, measure, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

export const HOW_TO_GET_UAC = `collect-vs-uac: UAC_DIR is not set, so there is nothing to compare against (no figure).
UAC (Unix-like Artifacts Collector, Apache-2.0) is not part of hipaa-ir. To run this benchmark:
  1. download a release tarball from https://github.com/tclahr/uac/releases (uac-VERSION.tar.gz)
     and check its published SHA-256;
  2. tar xzf uac-VERSION.tar.gz -C /opt   (any folder outside this project);
  3. as root: UAC_DIR=/opt/uac-VERSION node bench/collect-vs-uac.mjs
Options: BENCH_ROUNDS (default 3 each), BENCH_PHI_DIR (a PHI folder for hipaa-ir's phi-files collector);
BENCH_OURS_ONLY=1 without UAC_DIR measures hipaa-ir's side alone.`

/** The collectors hipaa-ir's default plan runs on this machine, and those it skips with the reason. */
export async function planHere(extra = []) {
  const {stdout} = await execa(process.execPath, [cli, 'collectors', 'list', '--json', ...extra])
  const {collectors} = JSON.parse(stdout)
  return {
    run: collectors.filter((c) => c.will_run).map((c) => c.id),
    skipped: collectors.filter((c) => !c.will_run).map((c) => ({id: c.id, reason: c.skip})),
  }
}

export async function collectVsUac(uacDir) {
  if (process.getuid?.() !== 0) throw new Error('run as root: both hipaa-ir collect and UAC read root-only sources')
  if (uacDir !== undefined && (!existsSync(join(uacDir, 'uac')) || !existsSync(join(uacDir, 'profiles', 'ir_triage.yaml')))) {
    throw new Error(`${uacDir} does not look like an untarred UAC release (no uac script or profiles/ir_triage.yaml)`)
  }
  const phi = process.env.BENCH_PHI_DIR ? ['--phi-dir', process.env.BENCH_PHI_DIR] : []
  const plan = await planHere(phi)
  console.log(`hipaa-ir plan: ${plan.run.join(', ')}; skipped: ${plan.skipped.map((s) => `${s.id} (${s.reason})`).join('; ') || 'none'}`)
  const uacVersion = uacDir === undefined ? undefined : (await execa('./uac', ['--version'], {cwd: uacDir, reject: false})).stdout.trim()
  await mkdir(benchTmp, {recursive: true})
  await waitForQuiet()
  const runs = await interleave(
    rounds,
    async (i) => {
      const out = join(benchTmp, `ours-${i}`)
      await rm(out, {force: true, recursive: true})
      try {
        return await measure([process.execPath, cli, 'collect', '--case', 'BENCH-UAC', '--out-dir', out, '--json', ...phi], {stdout: 'ignore'})
      } finally {
        await rm(out, {force: true, recursive: true})
      }
    },
    uacDir !== undefined && (async (i) => {
      const out = join(benchTmp, `uac-${i}`)
      await rm(out, {force: true, recursive: true})
      await mkdir(out, {recursive: true})
      try {
        return await measure(['./uac', '-p', 'ir_triage', out], {cwd: uacDir, okExitCodes: [0], stdout: 'ignore'})
      } finally {
        await rm(out, {force: true, recursive: true})
      }
    }),
  )
  if (uacDir === undefined) return [summarize('live collect (every collector), hipaa-ir alone', runs, {plan})]
  const result = summarize('live collect (every collector) vs UAC -p ir_triage', runs, {plan, uac: uacVersion})
  result.cpuRatio = result.ours.cpu / result.baseline.cpu
  console.log(`  wall ratio ${result.ratio.toFixed(2)} (target <= 1.0), CPU ratio ${result.cpuRatio.toFixed(2)}`)
  return [result]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const uacDir = process.env.UAC_DIR
  if (!uacDir) {
    console.log(HOW_TO_GET_UAC)
    if (process.env.BENCH_OURS_ONLY !== '1') process.exit(0)
    await saveResults('collect-live', await collectVsUac(undefined))
  } else {
    await saveResults('collect-vs-uac', await collectVsUac(uacDir))
  }
}
