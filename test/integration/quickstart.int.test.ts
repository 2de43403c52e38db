import {execa} from 'execa'
import {readdir, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

/** The README's first quick-start command, as written (with a smaller collector set to keep it short). */
describe('scripts/quickstart.sh', () => {
  let out: string
  let result: {exitCode: number; stderr: string; stdout: string}

  beforeAll(async () => {
    out = join(await makeTempDir('hipaa-ir-quickstart-'), 'evidence')
    const run = await execa('bash', ['scripts/quickstart.sh', '--collectors', 'sessions,network', '--json'], {
      cwd: projectRoot, env: {HIPAA_IR_OUT: out, NO_COLOR: '1'}, reject: false, timeout: 180_000,
    })
    result = {exitCode: run.exitCode ?? 1, stderr: String(run.stderr), stdout: String(run.stdout)}
  }, 200_000)
  afterAll(async () => {
    await rm(join(out, '..'), {force: true, recursive: true})
  })

  it('collects this machine into a signed local bundle with no bucket, key or configuration', async () => {
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<{case: string; status: string; tarball: string}>(result)
    expect(json.case).toBe('QUICKSTART')
    const names = await readdir(out)
    expect(names.some((n) => n.endsWith('.tar.gz'))).toBe(true)
    expect(names.some((n) => n.endsWith('.tar.gz.sig'))).toBe(true)
    expect(names.some((n) => n.endsWith('.pub'))).toBe(true)
  })

  it('leaves a bundle that hipaa-ir verify accepts with the one-time key beside it', async () => {
    const tarball = (await readdir(out)).find((n) => n.endsWith('.tar.gz')) as string
    const verify = await runCli(['verify', join(out, tarball), '--json'])
    expect(verify.exitCode, verify.stdout).toBe(0)
    expect(parseJson<{ok: boolean}>(verify).ok).toBe(true)
  })
})
