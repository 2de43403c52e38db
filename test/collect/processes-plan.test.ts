import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface PlanRow {
  id: string
  order: number
  volatility: number
  will_run: boolean
  skip?: string
  skip_kind?: string
  reads?: string[]
  contains_phi: boolean
}

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-procs-plan-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
})

describe('the processes collector in the plan', () => {
  it('runs live right after sessions and network (volatility 25), reads /proc and may hold PHI (argv)', async () => {
    const result = await runCli(['collectors', 'list', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const plan = parseJson<{collectors: PlanRow[]}>(result).collectors
    expect(plan.slice(0, 4).map((c) => c.id)).toEqual(['sessions', 'network', 'processes', 'auth'])
    expect(plan.find((c) => c.id === 'processes')).toMatchObject({contains_phi: true, volatility: 25, will_run: true})
    expect(plan.find((c) => c.id === 'processes')?.reads).toEqual(expect.arrayContaining(['/proc/PID/net/{tcp,tcp6,udp,udp6}']))
  })

  it('under --root it is skipped with its reason (live-only), and the collection stays complete', async () => {
    const listed = parseJson<{collectors: PlanRow[]}>(await runCli(['collectors', 'list', '--root', root, '--json']))
    expect(listed.collectors.find((c) => c.id === 'processes')).toMatchObject({skip: expect.stringMatching(/^live-only/), skip_kind: 'not-applicable', will_run: false})
    const result = await runCli(['collect', '--case', 'IR-PROCS-ROOT', '--out-dir', join(work, 'out'), '--root', root, '--since', WINDOW_START, '--collectors', 'processes,sessions', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<{bundle_dir: string; status: string; collectors: {id: string; status: string; reason?: string}[]}>(result)
    expect(json.status).toBe('complete')
    const record = json.collectors.find((c) => c.id === 'processes')
    expect(record).toMatchObject({reason: expect.stringMatching(/^live-only: it shows the running system/), status: 'skipped'})
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8')) as typeof json
    expect(manifest.collectors.find((c) => c.id === 'processes')).toMatchObject({status: 'skipped'})
  })
})
