import {execa} from 'execa'
import {readdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {sharedRelease} from '../helpers/release.js'
import {makeTempDir} from '../helpers/temp.js'

/** scripts/make-release.sh: the self-contained release hosts install (it ships its own Node.js 24). */
describe('the release tarball', () => {
  let out: string
  let app: string

  beforeAll(async () => {
    out = dirname(await sharedRelease())
    const unpacked = await makeTempDir('hipaa-ir-release-x-')
    const [tarball] = (await readdir(out)).filter((n) => n.endsWith('.tar.gz'))
    await execa('tar', ['-xzf', join(out, tarball as string), '-C', unpacked])
    app = join(unpacked, (tarball as string).replace(/\.tar\.gz$/, ''))
  }, 660_000)

  it('comes with a sha256sum line that the stock tool accepts', async () => {
    const names = await readdir(out)
    expect(names.sort()).toEqual([expect.stringMatching(/^hipaa-ir-\d+\.\d+\.\d+-linux-(x64|arm64)\.tar\.gz$/), expect.stringMatching(/\.tar\.gz\.sha256$/)])
    const check = await execa('sha256sum', ['-c', names.find((n) => n.endsWith('.sha256')) as string], {cwd: out})
    expect(check.stdout).toMatch(/: OK$/)
  })

  it('runs on its own Node.js 24 with no node on PATH, and its CLI works', async () => {
    const env = {PATH: '/usr/sbin:/usr/bin:/sbin:/bin'.split(':').filter((d) => d !== '').join(':')}
    // Only the launcher's own runtime: a PATH without any node on it would do too, but /usr/bin may have one.
    const version = await execa(join(app, 'hipaa-ir'), ['--version'], {env, extendEnv: false})
    expect(version.stdout).toMatch(/^hipaa-ir\/\d+\.\d+\.\d+ linux-\w+ node-v24\.\d+\.\d+$/)
    const plan = await execa(join(app, 'hipaa-ir'), ['collectors', 'list', '--json'], {env, extendEnv: false})
    const ids = (JSON.parse(plan.stdout) as {collectors: Array<{id: string}>}).collectors.map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['sessions', 'network', 'auth', 'audit', 'phi-files', 'posture']))
    // Production dependencies only.
    const modules = await readdir(join(app, 'node_modules'))
    expect(modules).not.toContain('vitest')
    expect(modules).not.toContain('typescript')
  })
})
