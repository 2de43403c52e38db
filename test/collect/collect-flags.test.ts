import {mkdir} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-flags-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  await mkdir(join(work, 'phi'))
})

describe('collect flags a newcomer gets wrong', () => {
  it('m16: on this machine a relative --phi-dir is read from the current folder, and says so', async () => {
    const result = await runCli(['collectors', 'list', '--phi-dir', 'phi', '--collectors', 'phi-files'], {cwd: work})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain(`--phi-dir phi read as ${join(work, 'phi')} (relative to the current folder)`)
    const json = parseJson<{collectors: {id: string; walk?: {dir: string}[]}[]}>(await runCli(['collectors', 'list', '--phi-dir', 'phi', '--collectors', 'phi-files', '--json'], {cwd: work}))
    expect(json.collectors.find((c) => c.id === 'phi-files')?.walk?.[0]?.dir).toBe(join(work, 'phi'))
  })

  it('m16: under --root, a host path below the root gets "did you mean" the path as that system sees it', async () => {
    for (const given of [join(root, 'var/data/phi'), join('root', 'var/data/phi')]) {
      const result = await runCli(['collect', '--root', root, '--phi-dir', given, '--out-dir', join(work, 'out')], {cwd: work})
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain('Did you mean --phi-dir /var/data/phi (as seen on that system)?')
    }
  })

  it('m15: a missing --key says how to make one and what to pass', async () => {
    const result = await runCli(['collect', '--root', root, '--key', 'missing.sec', '--out-dir', join(work, 'out'), '--json'], {cwd: work})
    expect(result.exitCode).toBe(2)
    const {error} = parseJson<{error: {message: string; suggestions: string[]}}>(result)
    expect(error.message).toContain('missing.sec: no such file')
    expect(error.suggestions.join(' ')).toContain('hipaa-ir keys generate --out-dir DIR, then pass --key DIR/hipaa-ir.sec')
  })

  it('m21: collect --help keeps push and signing flags under their own headings', async () => {
    const result = await runCli(['collect', '--help'])
    const help = result.stdout
    const push = help.indexOf('PUSH FLAGS')
    const signing = help.indexOf('SIGNING AND ENCRYPTION FLAGS')
    expect(push).toBeGreaterThan(0)
    expect(signing).toBeGreaterThan(0)
    const flagsSection = help.slice(help.indexOf('FLAGS'), Math.min(push, signing))
    expect(flagsSection).toContain('--since')
    expect(flagsSection).toContain('--phi-dir')
    for (const pushFlag of ['--bucket', '--allow-unlocked', '--mode', '--retain-days', '--push ']) expect(flagsSection).not.toContain(pushFlag)
    expect(help.slice(push)).toContain('--bucket')
    expect(help.slice(signing)).toContain('--key')
  })
})
