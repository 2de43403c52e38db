import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface Skipped {
  id: string
  reason: string
}
interface CollectJson {
  bundle_dir: string
  status: string
  skipped: Skipped[]
  collectors: {id: string; status: string; reason?: string}[]
}
interface ListJson {
  collectors: {id: string; will_run: boolean; skip?: string; skip_kind?: string; reads?: string[]; commands: {name: string; skip?: string}[]; walk?: {dir: string; argv: string[] | null}[]}[]
}

let work: string
let bare: string
let full: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-status-')
  // A system without auditd and without a PHI folder: the quick start on a fresh VM.
  bare = join(work, 'bare')
  await buildFixtureRoot(bare, {layout: 'debian'})
  await rm(join(bare, 'var/log/audit'), {force: true, recursive: true})
  await rm(join(bare, 'var/data/phi'), {force: true, recursive: true})
  full = join(work, 'full')
  await buildFixtureRoot(full, {layout: 'debian'})
})

const collectArgs = (root: string, out: string) => ['collect', '--case', 'IR-STATUS', '--out-dir', join(work, out), '--root', root, '--since', WINDOW_START]

describe('collection status (newcomer M1) and the dry run (M6)', () => {
  it('collectors list --root R --json says audit and phi-files are skipped with the reasons collect then records', async () => {
    const listed = await runCli(['collectors', 'list', '--root', bare, '--since', WINDOW_START, '--json'])
    expect(listed.exitCode, listed.stderr).toBe(0)
    const plan = parseJson<ListJson>(listed).collectors
    const skippedInList = plan.filter((c) => c.skip_kind === 'no-source').map((c) => ({id: c.id, reason: c.skip}))
    expect(skippedInList.map((s) => s.id)).toEqual(['audit', 'phi-files'])
    expect(plan.find((c) => c.id === 'audit')?.skip).toMatch(/no \/var\/log\/audit\/audit\.log/)
    expect(plan.find((c) => c.id === 'phi-files')?.skip).toMatch(/no PHI folder found \(\/var\/data\/phi\)/)
    // auth reads its log files itself; journalctl would only run on a journald-only system.
    const auth = plan.find((c) => c.id === 'auth')
    expect(auth?.reads).toEqual(expect.arrayContaining(['/var/log/auth.log', '/var/log/auth.log.1', '/var/log/auth.log.2.gz']))
    expect(auth?.commands.find((c) => c.name === 'journalctl')?.skip).toMatch(/not needed/)

    const collected = await runCli([...collectArgs(bare, 'bare-json'), '--json'])
    expect(collected.exitCode, collected.stderr).toBe(0)
    const json = parseJson<CollectJson>(collected)
    expect(json.status).toBe('incomplete')
    expect(json.skipped.map(({id, reason}) => ({id, reason}))).toEqual(skippedInList)
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8')) as CollectJson
    expect(manifest.status).toBe('incomplete')
    expect(manifest.skipped).toEqual(json.skipped)
    // The per-collector records keep the same reason.
    for (const skip of skippedInList) expect(manifest.collectors.find((c) => c.id === skip.id)).toMatchObject({reason: skip.reason, status: 'skipped'})
  })

  it('names the skipped collectors in the one-line summary, once, and exits 0', async () => {
    const result = await runCli(collectArgs(bare, 'bare-text'))
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^status +incomplete: 2 of 8 collectors skipped \(audit: no audit log; phi-files: no PHI folder\)$/m)
    expect(result.stdout).not.toMatch(/status +complete/)
    // No duplicate warning (the reason used to come twice in two wordings).
    expect(result.stderr).not.toMatch(/phi-files|PHI folder|audit\.log/)
  })

  it('stays complete when every selected collector ran; a collector left out by --collectors is no skip', async () => {
    const result = await runCli([...collectArgs(full, 'full-out'), '--collectors', 'auth,audit,phi-files', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    expect(json.status).toBe('complete')
    expect(json.skipped).toEqual([])
    // The window holds events: nothing to say about what lies before it (M2).
    expect(json.collectors.filter((c) => 'outside_window' in c)).toEqual([])
  })

  it('collectors list takes the plan flags of collect and shows the PHI walk argv', async () => {
    const result = await runCli(['collectors', 'list', '--root', full, '--phi-dir', '/var/data/phi', '--since', WINDOW_START, '--ctime', '--collectors', 'phi-files', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const plan = parseJson<ListJson>(result).collectors
    const phi = plan.find((c) => c.id === 'phi-files')
    expect(phi?.will_run).toBe(true)
    expect(phi?.walk?.[0]?.dir).toBe('/var/data/phi')
    expect(phi?.walk?.[0]?.argv).toEqual(expect.arrayContaining(['find', join(full, 'var/data/phi'), '-newermt', '-newerct']))
    expect(plan.find((c) => c.id === 'auth')).toMatchObject({skip: 'not selected by --collectors', skip_kind: 'not-selected', will_run: false})
    const text = await runCli(['collectors', 'list', '--root', full, '--collectors', 'phi-files'])
    expect(text.stdout).toMatch(/\$ find .*var\/data\/phi -mindepth 1/)
  })
})
