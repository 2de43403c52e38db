import {execa} from 'execa'
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
})

const args = (out: string) => ['collect', '--case', 'IR-PROGRESS', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--collectors', 'auth,audit']

describe('collect progress', () => {
  it('shows each collector and the sealing step on a terminal', async () => {
    // util-linux script gives the command a pseudo-terminal; its -c takes one command line.
    const line = [process.execPath, join(projectRoot, 'bin/run.js'), ...args(join(work, 'tty'))].map(shellQuote).join(' ')
    const result = await execa('script', ['-q', '-e', '-c', line, '/dev/null'], {env: {NO_COLOR: '1'}, reject: false})
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toMatch(/\[1\/2\] auth …/)
    expect(result.stdout).toMatch(/\[2\/2\] audit ok \(\d+ ms\)/)
    expect(result.stdout).toMatch(/sealing: hashing every file, writing the tarball, signing …/)
    expect(result.stdout).toMatch(/sealed \(\d+ ms\)/)
    // Inside the collectors: each log file read and each command run.
    expect(result.stdout).toMatch(/\/var\/log\/auth\.log: \d+ events in window \(\d+ ms\)/)
    expect(result.stdout).toMatch(/ausearch .*-k phi_access.*: ok \(\d+ ms\)/)
  })

  it('stays quiet without a terminal and under --json', async () => {
    for (const extra of [[], ['--json']]) {
      const result = await runCli([...args(join(work, `pipe${extra.length}`)), ...extra])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).not.toMatch(/\[1\/2\]|sealing|events in window/)
      expect(result.stdout).not.toMatch(/\[1\/2\]|sealing/)
    }
  })
})
