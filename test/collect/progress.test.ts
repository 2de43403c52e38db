import {execa} from 'execa'
import {randomBytes} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {shellQuote} from '../../src/integrity/key-files.js'
import {projectRoot, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-progress-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  // A PHI tree big enough that the walk and sealing each last more than one progress tick.
  const phi = join(root, 'srv/phi')
  for (let d = 0; d < 20; d++) {
    await mkdir(join(phi, `d${d}`), {recursive: true})
    for (let f = 0; f < 100; f++) await writeFile(join(phi, `d${d}`, `f${f}.csv`), randomBytes(20_000))
  }
})

/** Runs argv under a pseudo-terminal (util-linux script; its -c takes one command line). */
async function onTerminal(argv: string[]) {
  const line = [process.execPath, join(projectRoot, 'bin/run.js'), ...argv].map(shellQuote).join(' ')
  return execa('script', ['-q', '-e', '-c', line, '/dev/null'], {env: {NO_COLOR: '1'}, reject: false})
}

const args = (out: string, collectors = 'auth,audit') => ['collect', '--case', 'IR-PROGRESS', '--out-dir', out, '--root', root, '--phi-dir', '/srv/phi', '--since', WINDOW_START, '--collectors', collectors]

describe('collect progress', () => {
  it('shows each collector and the sealing step on a terminal', async () => {
    const result = await onTerminal(args(join(work, 'tty')))
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/\[1\/2\] auth …/)
    expect(result.stdout).toMatch(/\[2\/2\] audit ok \(\d+ ms\)/)
    expect(result.stdout).toMatch(/sealing: hashing every file, writing the tarball, signing …/)
    expect(result.stdout).toMatch(/sealed \(\d+ ms\)/)
    // Inside the collectors: each log file read and each command run.
    expect(result.stdout).toMatch(/\/var\/log\/auth\.log: \d+ events in window \(\d+ ms\)/)
    expect(result.stdout).toMatch(/ausearch .*-k phi_access.*: ok \(\d+ ms\)/)
  })

  it('shows entries, files and bytes inside the PHI walk and files, bytes, rate and ETA while sealing (newcomer M7, m12)', async () => {
    const result = await onTerminal([...args(join(work, 'tty-phi'), 'phi-files,posture'), '--include-contents'])
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/phi-files: [\d,]+ entries seen \([\d,]+\/s\), [\d,]+ files hashed, [\d.]+ [kMG]B \([\d.]+ [kMG]B\/s\)/)
    expect(result.stdout).toMatch(/sealing: (hashing|archiving) [\d,]+\/[\d,]+ files, [\d.]+ [kMG]B of [\d.]+ [kMG]B \([\d.]+ [kMG]B\/s\)( ETA \d+:\d\d)?/)
    expect(result.stdout).toMatch(/phi-files ok \(\d+ ms\): 2,020 entries seen, 2,000 files hashed \(40\.0 MB\)/)
    // m12: a step name, never find's -printf format; a missing posture probe is "not available", not "failed".
    expect(result.stdout).toMatch(/PHI walk of \S+srv\/phi \(find\): ok/)
    expect(result.stdout).not.toMatch(/-printf|%T@/)
    expect(result.stdout).not.toMatch(/^\s+(dmsetup|fscrypt|lsblk)\b.*: failed/m)
  })

  it('stays quiet without a terminal and under --json', async () => {
    for (const extra of [[], ['--json']]) {
      const result = await runCli([...args(join(work, `pipe${extra.length}`), 'auth,audit,phi-files'), ...extra])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).not.toMatch(/\[1\/2\]|sealing|events in window|entries seen|files hashed/)
      expect(result.stdout).not.toMatch(/\[1\/2\]|sealing/)
    }
  })
})
