import {mkdir, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface Outside {
  count: number
  earliest: string
  latest: string
}
interface CollectJson {
  bundle_dir: string
  collectors: {id: string; outside_window?: Outside}[]
}

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-outside-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  // A PHI tree last changed days before the window (what ransomware found late looks like).
  const phi = join(root, 'srv/phi')
  await mkdir(join(phi, 'tables'), {recursive: true})
  for (const [name, when] of [['tables/a.enc', '2026-03-02T10:00:00Z'], ['tables/b.enc', '2026-03-02T11:00:00Z'], ['readme.txt', '2026-02-20T00:00:00Z']] as const) {
    await writeFile(join(phi, name), 'x')
    await utimes(join(phi, name), new Date(when), new Date(when))
  }
  await utimes(join(phi, 'tables'), new Date('2026-03-02T11:00:00Z'), new Date('2026-03-02T11:00:00Z'))
})

// The fixture's events end on 2026-03-03; a window from 2026-03-04 holds none of them.
const args = (out: string) => ['collect', '--case', 'IR-LATE', '--out-dir', join(work, out), '--root', root, '--phi-dir', '/srv/phi', '--since', '2026-03-04T00:00:00Z', '--collectors', 'auth,audit,phi-files']

describe('an empty window is never silent (newcomer M2)', () => {
  it('records per collector how much lies before the window and when', async () => {
    const result = await runCli([...args('json'), '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    const outside = (id: string) => json.collectors.find((c) => c.id === id)?.outside_window
    expect(outside('auth')).toMatchObject({earliest: '2026-02-01T00:00:00.000Z', latest: '2026-03-03T09:30:11.000Z'})
    expect(outside('auth')?.count).toBeGreaterThanOrEqual(9)
    // phi_access (3) and the guide's user_changes (1)
    expect(outside('audit')).toEqual({count: 4, earliest: '2026-03-02T08:00:00.100Z', latest: '2026-03-03T09:25:00.100Z'})
    expect(outside('phi-files')).toEqual({count: 4, earliest: '2026-02-20T00:00:00.000Z', latest: '2026-03-02T11:00:00.000Z'})
  })

  it('says so on stderr with a --since that reaches the events', async () => {
    const result = await runCli(args('text'))
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/auth: the auth logs hold \d+ events before the window and none inside it, the earliest 2026-02-01T00:00:00\.000Z.*; widen --since, e\.g\. --since 2026-01-31/)
    expect(result.stderr).toMatch(/audit: the audit logs hold 4 events before the window.*widen --since, e\.g\. --since 2026-03-01/)
    expect(result.stderr).toMatch(/phi-files: the PHI folders hold 4 entries before the window and none inside it, the latest changed 2026-03-02T11:00:00\.000Z; widen --since, e\.g\. --since 2026-03-01/)
  })
})
