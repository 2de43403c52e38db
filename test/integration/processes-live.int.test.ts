import {execa} from 'execa'
import {spawn, type ChildProcess} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmod, copyFile, readFile, realpath, rm, unlink} from 'node:fs/promises'
import {connect, createServer, type Server, type Socket} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ProcessRow} from '../../src/collectors/runners/processes.js'
import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

type Row = ProcessRow

interface Collected {
  bundle_dir: string
  collectors: {id: string; status: string; reason?: string; degraded?: boolean; counts?: Record<string, number>; duration_ms?: number}[]
}

/** A secret-looking argv element: it must reach the bundle's processes.jsonl and nothing else. */
const MARKER = 'implant-argv0-s3cr3t-token'

/**
 * The processes collector on the machine the tests run on (CI runs it as root): an "implant" started
 * from a binary that is then deleted is found with its SHA-256 hashed through /proc/PID/exe, and a
 * listener and a connection of this test process appear in its row.
 */
describe('collect --collectors processes (live)', () => {
  let work: string
  let implant: ChildProcess
  let stranger: ChildProcess
  let implantPath: string
  let implantSha: string
  let startedAt: number
  let server: Server
  let client: Socket
  let port: number
  let json: Collected
  let rows: Row[]
  let run: {exitCode: number; stdout: string; stderr: string}

  beforeAll(async () => {
    work = await makeTempDir('hipaa-ir-procs-')
    implantPath = join(work, 'implant')
    await copyFile('/bin/sleep', implantPath)
    implantSha = createHash('sha256').update(await readFile(implantPath)).digest('hex')
    startedAt = Date.now()
    implant = spawn(implantPath, ['300'], {argv0: MARKER, cwd: work, stdio: 'ignore'})
    await new Promise<void>((resolve, reject) => {
      implant.once('spawn', resolve)
      implant.once('error', reject)
    })
    await unlink(implantPath)
    // A process of a uid no account names (as after an intruder removed the account, or a directory service's).
    stranger = spawn('setpriv', ['--reuid=54321', '--regid=54321', '--clear-groups', 'sleep', '300'], {stdio: 'ignore'})
    server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as {port: number}).port
    client = connect(port, '127.0.0.1')
    await new Promise<void>((resolve) => client.once('connect', resolve))
    const result = await runCli(['collect', '--case', 'IR-PROCS', '--out-dir', join(work, 'out'), '--collectors', 'processes', '--since', '1h', '--json'])
    run = result
    json = parseJson<Collected>(result)
    rows = (await readFile(join(json.bundle_dir, 'processes/processes.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row)
  })
  afterAll(async () => {
    implant?.kill('SIGKILL')
    stranger?.kill('SIGKILL')
    client?.destroy()
    server?.close()
    await rm(work, {force: true, recursive: true})
  })

  it('runs as root and finishes ok; what even root was denied (an outer namespace\'s process) is said, and the collector is degraded, not partial', () => {
    expect(process.getuid?.(), 'the live test expects root, as in CI').toBe(0)
    const record = json.collectors.find((c) => c.id === 'processes')
    expect(record?.status, JSON.stringify(record)).toBe('ok')
    if (record?.reason !== undefined) {
      expect(record.reason).toMatch(/permission denied \(.*\); denied even to root/)
      expect(record.degraded).toBe(true)
    }
    expect(run.exitCode).not.toBe(4)
    expect(record?.counts?.processes).toBe(rows.length)
  })

  it('finds the process whose binary was deleted, with the SHA-256 of the original file, read through /proc/PID/exe', async () => {
    const row = rows.find((r) => r.pid === implant.pid)
    expect(row).toMatchObject({cmdline: [MARKER, '300'], cwd: await realpath(work), exe: implantPath, exe_deleted: true, exe_fileless: false, exe_sha256: implantSha, kernel_thread: false, ppid: process.pid, uid: 0, user: 'root'})
    expect(row?.missing).toBeUndefined()
    expect(Math.abs(Date.parse(row?.start ?? '') - startedAt)).toBeLessThan(60_000)
  })

  it('gives a uid that no account names no user, after asking getent (a recorded command)', async () => {
    expect(rows.find((r) => r.pid === stranger.pid)).toMatchObject({uid: 54_321, user: null})
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8')) as {collectors: {id: string; commands: {name: string; argv: string[]; status: string}[]}[]}
    const getent = manifest.collectors.find((c) => c.id === 'processes')?.commands.find((c) => c.name === 'getent-passwd')
    expect(getent?.argv).toContain('54321')
    expect(getent?.status).toMatch(/^(no-matches|ok)$/)
  })

  it('shows this test process\'s listener on 127.0.0.1 and both ends of its connection in its row', () => {
    const own = rows.find((r) => r.pid === process.pid)
    expect(own?.sockets).toContainEqual(expect.objectContaining({listening: true, local_address: '127.0.0.1', local_port: port, protocol: 'tcp', remote_port: 0, state: 'LISTEN'}))
    const clientPort = client.localPort
    expect(own?.sockets).toContainEqual(expect.objectContaining({listening: false, local_port: clientPort, remote_address: '127.0.0.1', remote_port: port, state: 'ESTAB'}))
    expect(own?.sockets).toContainEqual(expect.objectContaining({listening: false, local_port: port, remote_port: clientPort, state: 'ESTAB'}))
  })

  it('records kernel threads (where the host\'s are visible) with no executable and says why, not as errors', () => {
    for (const row of rows.filter((r) => r.kernel_thread)) {
      expect(row.exe).toBeNull()
      expect(row.missing?.exe).toMatch(/kernel thread/)
    }
    // Every other process root could read has its executable and, unless it exited first, its hash.
    const readable = rows.filter((r) => !r.kernel_thread && r.missing === undefined)
    expect(readable.length).toBeGreaterThan(0)
    for (const row of readable) expect(row.exe_sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('keeps argv only in the bundle: never on the terminal or in the acquisition log or manifest', async () => {
    expect(run.stdout).not.toContain(MARKER)
    expect(run.stderr).not.toContain(MARKER)
    for (const file of ['acquisition.jsonl', 'manifest.json']) expect(await readFile(join(json.bundle_dir, file), 'utf8')).not.toContain(MARKER)
  })
})

describe('collect --collectors processes as non-root', () => {
  it('records every process it can see, says for how many exe, cwd and open files were denied and why, and is partial (exit 4)', async () => {
    expect(process.getuid?.(), 'runuser needs root (CI runs as root)').toBe(0)
    const work = await makeTempDir('hipaa-ir-procs-nr-')
    // Sticky like /tmp: nobody may create its own private --out-dir here.
    await chmod(work, 0o1777)
    const sleeper = spawn('sleep', ['300'], {stdio: 'ignore'})
    try {
      const result = await execa(
        'runuser',
        ['-u', 'nobody', '--', process.execPath, join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-PROCS-NR', '--out-dir', join(work, 'out'), '--collectors', 'processes', '--since', '1h', '--json'],
        {env: {PATH: process.env.PATH ?? '/usr/bin:/bin'}, reject: false},
      )
      expect(result.exitCode, result.stderr).toBe(4)
      const json = JSON.parse(result.stdout) as Collected
      const record = json.collectors.find((c) => c.id === 'processes')
      expect(record?.status).toBe('partial')
      expect(record?.reason).toMatch(/^\d+ of \d+ processes could not be read in full: permission denied \(.*exe of \d+.*\); rerun as root/)
      const rows = (await readFile(join(json.bundle_dir, 'processes/processes.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row)
      // Root's sleep: its argv and owner are public, its executable and open files are not.
      expect(rows.find((r) => r.pid === sleeper.pid)).toMatchObject({
        cmdline: ['sleep', '300'], exe: null, exe_sha256: null, missing: {cwd: 'permission denied (rerun as root)', exe: 'permission denied (rerun as root)', sockets: 'permission denied (rerun as root)'}, user: 'root',
      })
      // Its own processes it reads in full.
      expect(rows.some((r) => r.user === 'nobody' && r.missing === undefined && /^[0-9a-f]{64}$/.test(r.exe_sha256 ?? ''))).toBe(true)
    } finally {
      sleeper.kill('SIGKILL')
      await rm(work, {force: true, recursive: true})
    }
  })
})
