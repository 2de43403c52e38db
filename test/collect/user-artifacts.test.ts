import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, readFile, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

interface CollectJson {
  bundle_dir: string
  status: string
  skipped?: {id: string; reason: string}[]
  collectors: {counts?: Record<string, number>; id: string; reason?: string; status: string}[]
}

const EHR_ARTIFACT = `id: ehr-access
version: 1
title: EHR access log
why: The EHR's own record of which patient charts each account opened.
volatility: 35
needs_root: true
contains_phi: true
timeout: 30s
max_bytes: 64MiB
parser: lines
files:
  - glob: /var/log/ehr/access*.log
`

const ACCESS_LOG = [
  '2026-03-03T02:10:00Z user=bob action=VIEW patient=MRN-0001',
  '2026-03-03T02:10:01Z user=bob action=EXPORT patient=MRN-0002',
].join('\n') + '\n'

let work: string
let root: string
let artifacts: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-artifacts-')
  root = await mkdtemp(join(work, 'root-'))
  await mkdir(join(root, 'var/log/ehr'), {recursive: true})
  await writeFile(join(root, 'var/log/ehr/access.log'), ACCESS_LOG)
  await writeFile(join(root, 'var/log/ehr/access-old.log'), 'x'.repeat(5000) + '\nlast line of the old log\n')
  // A link inside the image that points at an absolute path: followed inside the image, never onto this machine.
  await mkdir(join(root, 'etc'), {recursive: true})
  await writeFile(join(root, 'etc/image-only'), 'inside the image\n')
  await symlink('/etc/image-only', join(root, 'var/log/ehr/access-link.log'))
  artifacts = join(work, 'artifacts')
  await mkdir(artifacts)
  await writeFile(join(artifacts, 'ehr-access.yaml'), EHR_ARTIFACT)
  await writeFile(join(artifacts, 'ehr-version.yaml'), `id: ehr-version
version: 1.2.0
title: EHR build
why: Which EHR build ran, for the vendor's advisories.
volatility: 80
needs_root: false
contains_phi: false
timeout: 5
max_bytes: 1MiB
parser: lines
commands:
  - {name: version, argv: [printf, "ehr 4.2\\nbuild 17\\n"]}
`)
})

/** The manifest's record of one collector (files and warnings are there, not in collect --json). */
async function manifestRecord(bundleDir: string, id: string): Promise<{files: string[]; warnings: string[]; status: string}> {
  const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as {collectors: {id: string; files: string[]; warnings: string[]; status: string}[]}
  return manifest.collectors.find((c) => c.id === id)!
}

async function collect(extra: string[]) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`)
  const result = await runCli(['collect', '--case', 'IR-ART-1', '--out-dir', out, '--root', root, '--since', '2026-03-01T00:00:00Z', '--json', ...extra])
  return {json: result.exitCode <= 4 ? parseJson<CollectJson>(result) : undefined, result}
}

describe('collect --artifacts DIR: collectors the user defines (contract "Artifacts defined by users")', () => {
  let run: Awaited<ReturnType<typeof collect>>
  beforeAll(async () => {
    run = await collect(['--artifacts', artifacts, '--collectors', 'ehr-access,ehr-version'])
  }, 120_000)

  it('copies the files the glob names below the artifact folder, paths as seen on that system', async () => {
    const json = run.json!
    const record = json.collectors.find((c) => c.id === 'ehr-access')!
    expect(record.status).toBe('ok')
    expect((await manifestRecord(json.bundle_dir, 'ehr-access')).files).toContain('ehr-access/files/var/log/ehr/access.log')
    const copy = await readFile(join(json.bundle_dir, 'ehr-access/files/var/log/ehr/access.log'), 'utf8')
    expect(copy).toBe(ACCESS_LOG)
    expect(record.counts).toEqual({copied: 3, matched: 3})
  })

  it('hashes every copy in SHA256SUMS and lists the originals with size and SHA-256 in files.jsonl', async () => {
    const dir = run.json!.bundle_dir
    const sums = await readFile(join(dir, 'SHA256SUMS'), 'utf8')
    const sha = createHash('sha256').update(ACCESS_LOG).digest('hex')
    expect(sums).toContain(`${sha}  ehr-access/files/var/log/ehr/access.log`)
    expect(sums).toMatch(/ {2}ehr-access\/files\.jsonl\n/)
    const listing = (await readFile(join(dir, 'ehr-access/files.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(listing.find((f) => f.path === '/var/log/ehr/access.log')).toMatchObject({sha256: sha, size: ACCESS_LOG.length, truncated: false})
  })

  it('follows a link inside the image, never onto this machine', async () => {
    const copy = await readFile(join(run.json!.bundle_dir, 'ehr-access/files/var/log/ehr/access-link.log'), 'utf8')
    expect(copy).toBe('inside the image\n')
  })

  it('splits the lines into JSON lines with parser: lines', async () => {
    const rows = (await readFile(join(run.json!.bundle_dir, 'ehr-access/ehr-access.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows).toContainEqual({line: '2026-03-03T02:10:01Z user=bob action=EXPORT patient=MRN-0002', n: 2, path: '/var/log/ehr/access.log'})
  })

  it('runs a commands: artifact as argv and keeps its raw output and parsed rows', async () => {
    const json = run.json!
    const record = json.collectors.find((c) => c.id === 'ehr-version')!
    expect(record.status).toBe('ok')
    expect(await readFile(join(json.bundle_dir, 'ehr-version/version.txt'), 'utf8')).toBe('ehr 4.2\nbuild 17\n')
    const rows = (await readFile(join(json.bundle_dir, 'ehr-version/ehr-version.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows.map((r) => r.line)).toEqual(['ehr 4.2', 'build 17'])
  })

  it('is shown by collectors list with the file it came from, in order of volatility', async () => {
    const list = parseJson<{collectors: {id: string; source: string; will_run: boolean; files?: unknown[]}[]}>(await runCli(['collectors', 'list', '--root', root, '--artifacts', artifacts, '--json']))
    const ids = list.collectors.map((c) => c.id)
    expect(ids.indexOf('ehr-access')).toBeGreaterThan(ids.indexOf('auth'))
    expect(ids.indexOf('ehr-access')).toBeLessThan(ids.indexOf('audit'))
    const row = list.collectors.find((c) => c.id === 'ehr-access')!
    expect(row).toMatchObject({files: [{glob: '/var/log/ehr/access*.log', max_bytes: 64 * 2 ** 20}], source: join(artifacts, 'ehr-access.yaml'), will_run: true})
    expect(list.collectors.find((c) => c.id === 'sessions')!.source).toBe('built-in')
    const text = await runCli(['collectors', 'list', '--root', root, '--artifacts', artifacts])
    expect(text.stdout).toContain(`from ${join(artifacts, 'ehr-access.yaml')}`)
  })
})

describe('collect --artifacts: limits and missing files', () => {
  it('copies the newest part of a file larger than max_bytes, from a line start, and says so', async () => {
    const dir = await mkdtemp(join(work, 'small-'))
    await writeFile(join(dir, 'ehr-access.yaml'), EHR_ARTIFACT.replace('max_bytes: 64MiB', 'max_bytes: 100'))
    const {json} = await collect(['--artifacts', dir, '--collectors', 'ehr-access'])
    const record = await manifestRecord(json!.bundle_dir, 'ehr-access')
    expect(await readFile(join(json!.bundle_dir, 'ehr-access/files/var/log/ehr/access-old.log'), 'utf8')).toBe('last line of the old log\n')
    expect(record.warnings.join('\n')).toMatch(/access-old\.log: 5026 bytes, larger than 100; its last 25 bytes were copied/)
  })

  it('is skipped (collection incomplete) when no file matches on that system', async () => {
    const dir = await mkdtemp(join(work, 'none-'))
    await writeFile(join(dir, 'pacs.yaml'), EHR_ARTIFACT.replace('id: ehr-access', 'id: pacs').replace('/var/log/ehr/access*.log', '/var/log/pacs/*.log'))
    const {json, result} = await collect(['--artifacts', dir, '--collectors', 'pacs'])
    expect(result.exitCode).toBe(0)
    expect(json!.status).toBe('incomplete')
    expect(json!.skipped).toEqual([expect.objectContaining({id: 'pacs', reason: 'no file matches /var/log/pacs/*.log on this system'})])
  })
})

describe('collect --artifacts: a bad artifact stops everything before it runs (exit 2)', () => {
  async function refused(name: string, text: string) {
    const dir = await mkdtemp(join(work, 'bad-'))
    await writeFile(join(dir, name), text)
    const out = join(work, `never-${Math.random().toString(36).slice(2)}`)
    const result = await runCli(['collect', '--case', 'IR-ART-2', '--out-dir', out, '--root', root, '--artifacts', dir])
    expect(result.exitCode).toBe(2)
    return {file: join(dir, name), result}
  }

  it('names the file, the line and the field of a missing or mistyped field', async () => {
    const {file, result} = await refused('ehr.yaml', EHR_ARTIFACT.replace('why: The EHR\'s own record of which patient charts each account opened.\n', '').replace('timeout: 30s', 'timeout: soon'))
    expect(result.stderr).toContain(`artifact ${file} is invalid`)
    expect(result.stderr).toContain('why: is required')
    expect(result.stderr).toMatch(/line 7, timeout: must be a duration/)
  })

  it('refuses an engine in a user artifact, a relative glob and an id that a built-in has', async () => {
    const engine = await refused('e.yaml', `${EHR_ARTIFACT}engine: auth-logs\n`)
    expect(engine.result.stderr).toMatch(/line 13, engine: is for the built-in collectors only/)
    const relative = await refused('r.yaml', EHR_ARTIFACT.replace('glob: /var/log/ehr/access*.log', 'glob: var/log/x.log'))
    expect(relative.result.stderr).toMatch(/files\[0\]\.glob: must be an absolute path/)
    const taken = await refused('t.yaml', EHR_ARTIFACT.replace('id: ehr-access', 'id: auth'))
    expect(taken.result.stderr).toContain('id auth is already taken by another collector')
  })
})
