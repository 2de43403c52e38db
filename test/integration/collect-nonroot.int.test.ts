import {execa} from 'execa'
import {chmod, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {projectRoot} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

/** collect run by an unprivileged user (nobody, via runuser) warns per collector about what root would have shown. */
describe('collect as non-root', () => {
  let work: string
  beforeAll(async () => {
    work = await makeTempDir('hipaa-ir-nonroot-')
    // Sticky like /tmp: nobody may create its own private --out-dir here, and nobody else may swap it.
    await chmod(work, 0o1777)
  })
  afterAll(async () => {
    await rm(work, {force: true, recursive: true})
  })

  it('names, per collector, what could not be read and why', async () => {
    expect(process.getuid?.(), 'runuser needs root (CI runs as root)').toBe(0)
    const result = await execa(
      'runuser',
      ['-u', 'nobody', '--', process.execPath, join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-NR', '--out-dir', join(work, 'out'), '--collectors', 'network,audit,phi-files', '--since', '1h', '--json'],
      {env: {PATH: process.env.PATH ?? '/usr/bin:/bin'}, reject: false},
    )
    const json = JSON.parse(result.stdout) as {skipped: Array<{id: string; reason: string}>; status: string; warnings: string[]}
    expect(json.warnings.some((w) => w.startsWith('network: not running as root'))).toBe(true)
    // No PHI folder on the CI machine: a skip, listed with its reason, and the collection is not "complete".
    expect(json.skipped.find((s) => s.id === 'phi-files')?.reason).toMatch(/PHI folder/)
    expect(json.status).not.toBe('complete')
    expect(json.warnings.every((w) => w.includes(':'))).toBe(true)
  })
})

describe('accounts as non-root', () => {
  let work: string
  beforeAll(async () => {
    work = await makeTempDir('hipaa-ir-nonroot-acc-')
    await chmod(work, 0o1777)
  })
  afterAll(async () => {
    await rm(work, {force: true, recursive: true})
  })

  it('lists the accounts without the password state, and says shadow could not be read and why (partial, exit 4)', async () => {
    expect(process.getuid?.(), 'runuser needs root (CI runs as root)').toBe(0)
    const result = await execa(
      'runuser',
      ['-u', 'nobody', '--', process.execPath, join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-NR', '--out-dir', join(work, 'out'), '--collectors', 'accounts', '--since', '1h', '--json'],
      {env: {PATH: process.env.PATH ?? '/usr/bin:/bin'}, reject: false},
    )
    expect(result.exitCode, result.stderr).toBe(4)
    const json = JSON.parse(result.stdout) as {bundle_dir: string; collectors: Array<{id: string; reason?: string; status: string}>}
    const accounts = json.collectors.find((c) => c.id === 'accounts')
    expect(accounts?.status).toBe('partial')
    expect(accounts?.reason).toContain('/etc/shadow: permission denied (rerun as root)')
    const rows = (await readFile(join(json.bundle_dir, 'accounts/accounts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.find((r) => r.user === 'root')).toMatchObject({password: null, sudo: true, uid: 0})
  })
})
