/**
 * `hipaa-ir analyze` end to end on bundles the project's own collect made: a folder of two bundles,
 * a tampered bundle (refused, exit 3; with --allow-unverified read and marked), an .age bundle with
 * --identity, and one case per run. The case database and its exports are read back with DuckDB.
 */
import {DuckDBInstance} from '@duckdb/node-api'
import {execa} from 'execa'
import {appendFile, cp, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface AnalyzeJson {
  case: string
  bundles: Array<{name: string; host: string; verified: boolean; events: number; problems: Array<{kind: string; path: string}>}>
  events: number
  findings: Array<{rule: string; source: string; host: string; unverified?: true}>
  scope: {phi_paths_file: string | null}
  facts_draft: string | null
  files: Record<string, string>
  out_dir: string
  warnings: string[]
}

let work: string
let pub: string
let sec: string
let caseDir: string
let rootA: string

async function collect(root: string, out: string, extra: string[] = [], caseId = 'IR-CASE'): Promise<string> {
  const result = await runCli(['collect', '--case', caseId, '--root', root, '--out-dir', out, '--since', WINDOW_START, '--key', sec, ...extra, '--json'])
  expect(result.exitCode, result.stderr).toBe(0)
  return parseJson<{tarball: string}>(result).tarball
}

/** Rows of a DuckDB file (or a Parquet file through a fresh in-memory database). */
async function query(database: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(database, {access_mode: database === ':memory:' ? 'automatic' : 'read_only'})
  const connection = await instance.connect()
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
}

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-analyze-')
  expect((await runCli(['keys', 'generate', '--out-dir', join(work, 'keys'), '--json'])).exitCode).toBe(0)
  pub = join(work, 'keys', 'hipaa-ir.pub')
  sec = join(work, 'keys', 'hipaa-ir.sec')
  rootA = join(work, 'root-a')
  await buildFixtureRoot(rootA, {layout: 'debian'})
  const rootB = join(work, 'root-b')
  await buildFixtureRoot(rootB, {layout: 'rhel'})
  await writeFile(join(rootB, 'etc/hostname'), 'phi-app\n')
  caseDir = join(work, 'case')
  await collect(rootA, caseDir)
  await collect(rootB, caseDir)
}, 180_000)

describe('analyze a folder of two bundles', () => {
  let json: AnalyzeJson
  let out: string

  beforeAll(async () => {
    out = join(work, 'analysis')
    const result = await runCli(['analyze', caseDir, '--pub', pub, '--out-dir', out, '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    json = parseJson<AnalyzeJson>(result)
  }, 120_000)

  it('verifies both, names the case, and counts every event into one database', async () => {
    expect(json.case).toBe('IR-CASE')
    expect(json.bundles.map((b) => [b.host, b.verified]).sort()).toEqual([['phi-app', true], ['phi-db', true]])
    expect(json.facts_draft).toBeNull()
    const rows = await query(join(out, 'case.duckdb'), `SELECT host, count(*)::INTEGER AS n, bool_and(verified) AS verified FROM events GROUP BY host ORDER BY host`)
    expect(rows.map((r) => r.host)).toEqual(['phi-app', 'phi-db'])
    expect(rows.every((r) => r.verified === true)).toBe(true)
    expect(rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(json.events)
    for (const bundle of json.bundles) expect(bundle.events).toBe(rows.find((r) => r.host === bundle.host)?.n)
    // Findings of the built-in rules (the fixture has an off-hours login and unusual PHI readers).
    expect(json.findings.length).toBeGreaterThan(0)
  })

  it('writes its files 0600 in a 0700 folder', async () => {
    expect((await stat(out)).mode & 0o777).toBe(0o700)
    for (const name of ['case.duckdb', 'events.parquet', 'timeline.csv', 'findings.json', 'phi-paths.csv']) {
      expect((await stat(join(out, name))).mode & 0o777, name).toBe(0o600)
    }
    expect(json.scope.phi_paths_file).toBe(join(out, 'phi-paths.csv'))
  })

  it('timeline.csv has Timesketch\'s columns first and every timed event once', async () => {
    const rows = await query(':memory:', `SELECT * FROM read_csv('${join(out, 'timeline.csv')}', header = true, all_varchar = true)`)
    const columns = Object.keys(rows[0] ?? {})
    expect(columns.slice(0, 3)).toEqual(['message', 'datetime', 'timestamp_desc'])
    expect(columns).toEqual(expect.arrayContaining(['host', 'bundle', 'source', 'kind', 'user', 'ip', 'path', 'ref', 'verified']))
    const timed = await query(join(out, 'case.duckdb'), 'SELECT count(*)::INTEGER AS n FROM events WHERE time IS NOT NULL')
    expect(rows).toHaveLength(timed[0]!.n as number)
    for (const row of rows) expect(row.datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
    expect(new Set(rows.map((r) => `${r.bundle as string}/${r.ref as string}`)).size).toBe(rows.length)
    expect(rows.find((r) => r.source === 'auth')?.timestamp_desc).toBe('Auth log entry')
  })

  it('events.parquet reads back with DuckDB with exactly the columns and types docs/analyze.md gives Athena, Trino and Spark', async () => {
    const doc = await readFile(join(projectRoot, 'docs/analyze.md'), 'utf8')
    const ddl = /CREATE EXTERNAL TABLE[^(]*\(([\s\S]*?)\)\s*STORED AS PARQUET/.exec(doc)
    expect(ddl, 'docs/analyze.md has a CREATE EXTERNAL TABLE ... STORED AS PARQUET block').not.toBeNull()
    const documented = ddl![1]!.split(',').map((line) => line.trim().split(/\s+/)).map(([name, type]) => [name!.replaceAll('`', ''), type!.toLowerCase()])
    const hiveToDuckDb: Record<string, string> = {'array<string>': 'VARCHAR[]', bigint: 'BIGINT', boolean: 'BOOLEAN', int: 'INTEGER', string: 'VARCHAR', timestamp: 'TIMESTAMP WITH TIME ZONE'}
    const described = await query(':memory:', `DESCRIBE SELECT * FROM read_parquet('${join(out, 'events.parquet')}')`)
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual(documented.map(([name, type]) => [name, hiveToDuckDb[type!]]))
    // Spark's schema in the doc names the same columns in the same order.
    const spark = /```text\n(root\n[\s\S]*?)```/.exec(doc)?.[1] ?? ''
    expect([...spark.matchAll(/^ \|-- (\w+):/gm)].map((m) => m[1])).toEqual(documented.map(([name]) => name))
    const count = await query(':memory:', `SELECT count(*)::INTEGER AS n, count(DISTINCT ref || bundle)::INTEGER AS refs FROM read_parquet('${join(out, 'events.parquet')}')`)
    expect(count[0]).toEqual({n: json.events, refs: json.events})
  })

  it('a second run replaces the outputs (never appends to the old database)', async () => {
    const again = await runCli(['analyze', caseDir, '--pub', pub, '--out-dir', out, '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    const rows = await query(join(out, 'case.duckdb'), 'SELECT count(*)::INTEGER AS n FROM events')
    expect(rows[0]!.n).toBe(json.events)
  })
})

describe('a bundle that fails verification', () => {
  let tampered: string
  let badSig: string

  beforeAll(async () => {
    const one = join(work, 'one')
    const tarball = await collect(rootA, one)
    // An extracted copy with an auth line added: the hash no longer matches SHA256SUMS.
    tampered = join(work, 'tampered', tarball.split('/').pop()!.replace('.tar.gz', ''))
    await execa('mkdir', ['-p', join(work, 'tampered')])
    await execa('tar', ['xzf', tarball, '-C', join(work, 'tampered')])
    await appendFile(join(tampered, 'auth/events.jsonl'), `${JSON.stringify({host: 'phi-db', ip: '192.0.2.250', kind: 'accepted', port: 1, program: 'sshd', raw: 'planted', time: '2026-03-03T09:59:00.000Z', user: 'eve'})}\n`)
    // A tarball whose detached signature is garbage: verify never unpacks it.
    badSig = join(work, 'badsig', tarball.split('/').pop()!)
    await cp(tarball, badSig, {recursive: true})
    await writeFile(`${badSig}.sig`, 'untrusted comment: not a signature\nAAAA\n')
  }, 120_000)

  it('is refused: exit 3 naming the bundle and why, and nothing is written', async () => {
    const out = join(work, 'refused')
    const result = await runCli(['analyze', tampered, '--pub', pub, '--out-dir', out])
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain(tampered.split('/').pop())
    expect(result.stderr).toContain('hash-mismatch auth/events.jsonl')
    await expect(stat(out)).rejects.toThrow()
  })

  it('with --allow-unverified its rows and findings carry the mark', async () => {
    const out = join(work, 'allowed')
    const result = await runCli(['analyze', tampered, '--pub', pub, '--out-dir', out, '--allow-unverified', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<AnalyzeJson>(result)
    expect(json.bundles[0]).toMatchObject({verified: false})
    expect(json.bundles[0]!.problems.map((p) => p.kind)).toContain('hash-mismatch')
    expect(json.warnings.join('\n')).toContain('FAILED verification')
    const rows = await query(join(out, 'case.duckdb'), `SELECT bool_or(verified) AS any_verified, count(*) FILTER (WHERE "user" = 'eve')::INTEGER AS planted FROM events`)
    expect(rows[0]).toEqual({any_verified: false, planted: 1})
    expect(json.findings.length).toBeGreaterThan(0)
    for (const finding of json.findings) expect(finding.unverified, finding.rule).toBe(true)
  })

  it('a tarball with a bad signature: exit 3; with --allow-unverified it is unpacked safely and read', async () => {
    const refused = await runCli(['analyze', badSig, '--pub', pub, '--out-dir', join(work, 'badsig-out')])
    expect(refused.exitCode).toBe(3)
    expect(refused.stderr).toMatch(/malformed .*\.tar\.gz\.sig/)
    const allowed = await runCli(['analyze', badSig, '--pub', pub, '--out-dir', join(work, 'badsig-out'), '--allow-unverified', '--json'])
    expect(allowed.exitCode, allowed.stderr).toBe(0)
    const json = parseJson<AnalyzeJson>(allowed)
    expect(json.bundles[0]!.verified).toBe(false)
    expect(json.events).toBeGreaterThan(0)
  })
})

describe('other inputs', () => {
  it('an .age bundle with --identity is decrypted, verified and read; without it, exit 2 says to pass it', async () => {
    const identity = join(work, 'counsel.agekey')
    await execa('age-keygen', ['-o', identity])
    const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim()
    const ciphertext = await collect(rootA, join(work, 'age'), ['--encrypt-to', recipient])
    expect(ciphertext).toMatch(/\.tar\.gz\.age$/)
    const result = await runCli(['analyze', ciphertext, '--pub', pub, '--identity', identity, '--out-dir', join(work, 'age-out'), '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<AnalyzeJson>(result)
    expect(json.bundles[0]!.verified).toBe(true)
    expect(json.events).toBeGreaterThan(10)
    const without = await runCli(['analyze', ciphertext, '--pub', pub, '--out-dir', join(work, 'age-out2')])
    expect(without.exitCode).toBe(2)
    expect(without.stderr).toContain('--identity')
  })

  it('--sigma rules run over the case (a skipped one is listed with its reason); a --sigma path that is not a folder is exit 2', async () => {
    const sigma = join(work, 'sigma')
    await execa('mkdir', ['-p', sigma])
    const rule = (id: string, condition: string) => [
      'title: mallory logs in', `id: ${id}`, 'status: test', 'logsource:', '  product: linux', '  service: auth',
      'detection:', '  keywords:', "    - 'Accepted password for mallory'", `  condition: ${condition}`, 'level: high', '',
    ].join('\n')
    await writeFile(join(sigma, 'mallory.yml'), rule('0b0e5b35-5f0e-4b8a-9d55-2f7c1e0a0001', 'keywords'))
    await writeFile(join(sigma, 'counted.yml'), rule('0b0e5b35-5f0e-4b8a-9d55-2f7c1e0a0002', 'keywords | count() > 5'))
    const result = await runCli(['analyze', caseDir, '--pub', pub, '--sigma', sigma, '--out-dir', join(work, 'sigma-out'), '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<AnalyzeJson & {sigma_skipped: Array<{file: string; reason: string}>}>(result)
    expect(json.findings.filter((f) => f.source === 'sigma').map((f) => [f.rule, f.host])).toEqual([['0b0e5b35-5f0e-4b8a-9d55-2f7c1e0a0001', 'phi-db']])
    expect(json.sigma_skipped.map((s) => s.file)).toEqual(['counted.yml'])
    const missing = await runCli(['analyze', caseDir, '--pub', pub, '--sigma', join(work, 'no-such-folder'), '--out-dir', join(work, 'sigma-out2')])
    expect(missing.exitCode).toBe(2)
  })

  it('a user rule whose query fails is exit 2 naming its file, with the exports stopped and nothing left behind', async () => {
    // The exports start as soon as the case is loaded, beside the rules: a rule failing must stop them
    // and close the database cleanly, leaving no output in the folder.
    const rules = join(work, 'broken-rules')
    await execa('mkdir', ['-p', rules])
    await writeFile(join(rules, 'broken.yaml'), [
      'id: site.broken', 'title: Reads a table that does not exist', 'severity: low', 'reason: never', 'query: |',
      '  SELECT host, min(time) AS first, max(time) AS last, count(*) AS count FROM no_such_table GROUP BY host', '',
    ].join('\n'))
    const target = join(work, 'broken-out')
    const result = await runCli(['analyze', caseDir, '--pub', pub, '--rules', rules, '--out-dir', target])
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/broken\.yaml, query: .*no_such_table/)
    const left = await execa('find', [target, '-type', 'f'], {reject: false})
    expect(left.stdout).toBe('')
  })

  it('bundles of two cases in one run are a usage error naming both', async () => {
    const other = await collect(rootA, join(work, 'other-case'), [], 'IR-OTHER')
    const result = await runCli(['analyze', caseDir, other, '--pub', pub, '--out-dir', join(work, 'two-cases')])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('IR-CASE, IR-OTHER')
  })
})
