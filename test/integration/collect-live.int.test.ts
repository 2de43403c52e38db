import {execa} from 'execa'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

/** Runs collect on the machine the tests run on (CI runs as root), with a socket and a PHI file it can look for. */
describe('collect on this machine (live)', () => {
  let work: string
  let server: Server
  let port: number
  let json: {bundle_dir: string; tarball: string; status: string; collectors: {id: string; status: string; reason?: string}[]}
  let exitCode: number

  beforeAll(async () => {
    work = await makeTempDir('hipaa-ir-live-')
    // The bundle goes beside the PHI folder, never inside it (collect refuses that).
    await mkdir(join(work, 'phi'))
    await writeFile(join(work, 'phi', 'phi-record.csv'), 'id,name\n1,SYNTHETIC PATIENT\n')
    server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as {port: number}).port
    const result = await runCli(['collect', '--case', 'IR-LIVE', '--out-dir', join(work, 'out'), '--phi-dir', join(work, 'phi'), '--since', '1h', '--json'])
    exitCode = result.exitCode
    json = parseJson(result)
  })
  afterAll(async () => {
    server.close()
    await rm(work, {force: true, recursive: true})
  })

  it('runs as root in CI and exits 0 (or 4 when a collector could not finish, which it names)', () => {
    expect(process.getuid?.(), 'the live integration test expects root, as in CI').toBe(0)
    if (exitCode === 4) expect(json.collectors.filter((c) => ['failed', 'partial', 'timed-out'].includes(c.status)).length).toBeGreaterThan(0)
    else expect(exitCode).toBe(0)
  })

  it('keeps the raw who, w and ss output and parses the sockets, including our own listener', async () => {
    for (const f of ['sessions/who.txt', 'sessions/w.txt', 'network/ss-tcp.txt', 'network/ip-route.txt']) {
      await expect(readFile(join(json.bundle_dir, f))).resolves.toBeInstanceOf(Buffer)
    }
    const sockets = (await readFile(join(json.bundle_dir, 'network/sockets.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    const ours = sockets.find((s) => s.local_port === String(port) && s.state === 'LISTEN')
    expect(ours).toBeDefined()
    // By pid: Node 24 names its main thread MainThread, and ss shows that name, not `node`.
    expect(ours.processes.some((p: {pid: number}) => p.pid === process.pid)).toBe(true)
  })

  it('lists the recent PHI file with its SHA-256', async () => {
    const entries = (await readFile(join(json.bundle_dir, 'phi-files/recently-modified.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    const file = entries.find((e) => e.path === join(work, 'phi', 'phi-record.csv'))
    const {stdout} = await execa('sha256sum', [join(work, 'phi', 'phi-record.csv')])
    expect(file?.sha256).toBe(stdout.split(' ')[0])
  })

  it('produces a bundle that sha256sum -c accepts', async () => {
    const {exitCode: code} = await execa('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], {cwd: json.bundle_dir, reject: false})
    expect(code).toBe(0)
  })
})

/** The accounts, persistence and shell-history collectors on this machine's own `/` (CI runs as root). */
describe('accounts, persistence and shell-history on this machine (live)', () => {
  let work: string
  let json: {bundle_dir: string; tarball: string; status: string; collectors: {id: string; status: string; reason?: string}[]}
  let exitCode: number
  let stderr: string

  beforeAll(async () => {
    work = await makeTempDir('hipaa-ir-live-host-')
    const result = await runCli(['collect', '--case', 'IR-LIVE-HOST', '--out-dir', join(work, 'out'), '--collectors', 'accounts,persistence,shell-history', '--since', '1h', '--json'])
    exitCode = result.exitCode
    stderr = result.stderr
    json = parseJson(result)
  })
  afterAll(async () => {
    await rm(work, {force: true, recursive: true})
  })

  it('runs all three; any that could not read everything says what and why', () => {
    const ran = json.collectors.filter((c) => ['accounts', 'persistence', 'shell-history'].includes(c.id))
    expect(ran.map((c) => c.id)).toEqual(['accounts', 'persistence', 'shell-history'])
    for (const c of ran) {
      expect(['ok', 'partial'], `${c.id}: ${c.reason ?? ''}`).toContain(c.status)
      if (c.status === 'partial') expect(c.reason).toMatch(/^could not read \//)
    }
    expect(exitCode === 0 || ran.some((c) => c.status === 'partial'), stderr).toBe(true)
  })

  it('finds root with uid 0, sudo true by its uid, and sudo consistent with the rules listed for every account', async () => {
    const rows = (await readFile(join(json.bundle_dir, 'accounts/accounts.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    const root = rows.find((r) => r.user === 'root')
    expect(root).toMatchObject({gid: 0, sudo: true, uid: 0})
    expect(root.sudo_via).toContain('uid 0')
    // As root, shadow is readable: a state, never a hash.
    expect(['set', 'locked', 'none']).toContain(root.password)
    for (const row of rows) expect(row.sudo, row.user).toBe(row.sudo_via.length > 0)
    const shadow = await readFile('/etc/shadow', 'utf8')
    const hashes = shadow.split('\n').map((l) => l.split(':')[1] ?? '').map((h) => h.replace(/^[!*]+/, '')).filter((h) => h.length > 12)
    const tar = gunzipSync(await readFile(json.tarball)).toString('latin1')
    for (const hash of hashes) expect(tar.includes(hash)).toBe(false)
  })

  it('lists persistence items each with its kind, path, user and, for a file read, its SHA-256', async () => {
    const text = await readFile(join(json.bundle_dir, 'persistence/persistence.jsonl'), 'utf8')
    const rows = text.trim() === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l))
    const kinds = ['cron', 'systemd-unit', 'systemd-timer', 'authorized-key', 'ld-preload', 'rc-local', 'profile-script', 'sshd-dropin']
    for (const row of rows) {
      expect(kinds).toContain(row.kind)
      expect(row.path).toMatch(/^\//)
      expect(typeof row.user).toBe('string')
      if (row.sha256 !== null) expect(row.sha256).toMatch(/^[0-9a-f]{64}$/)
    }
    await expect(readFile(join(json.bundle_dir, 'shell-history/history.jsonl'))).resolves.toBeInstanceOf(Buffer)
  })
})
