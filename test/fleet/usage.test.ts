/** fleet collect refuses bad input before any host is touched (exit 2, naming what is wrong). */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
let release: string
const env = {AWS_ACCESS_KEY_ID: 'test', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'test'}

beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-fleet-usage-')
  release = join(dir, 'hipaa-ir-0.0.0-linux-x64.tar.gz')
  await writeFile(release, 'not really a release')
  await writeFile(join(dir, 'empty.ini'), '# no hosts\n')
})

describe('fleet collect usage errors', () => {
  it('an inventory with no host', async () => {
    const run = await runCli(['fleet', 'collect', '--inventory', join(dir, 'empty.ini'), '--case', 'IR-1', '--bucket', 'b', '--release', release], {env})
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(/finds no host in it/)
  })

  it('a release whose .sha256 does not match it, and a --max-fail that is not a count or percentage', async () => {
    await writeFile(`${release}.sha256`, `${'0'.repeat(64)}  hipaa-ir-0.0.0-linux-x64.tar.gz\n`)
    const pinned = await runCli(['fleet', 'collect', '--inventory', join(dir, 'empty.ini'), '--case', 'IR-1', '--bucket', 'b', '--release', release], {env})
    expect(pinned.exitCode).toBe(2)
    expect(pinned.stderr).toMatch(/is not the one in hipaa-ir-0\.0\.0-linux-x64\.tar\.gz\.sha256/)
    const maxFail = await runCli(['fleet', 'collect', '--inventory', join(dir, 'empty.ini'), '--case', 'IR-1', '--bucket', 'b', '--release', release, '--max-fail', 'ten'], {env})
    expect(maxFail.exitCode).toBe(2)
    expect(maxFail.stderr).toMatch(/--max-fail ten/)
  })
})
