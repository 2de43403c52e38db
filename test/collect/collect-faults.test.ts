import {execa} from 'execa'
import {chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildPlan} from '../../src/collectors/plan.js'
import {runCollector} from '../../src/collectors/run-collector.js'
import {AcquisitionLog} from '../../src/bundle/acquisition-log.js'
import {exec} from '../../src/io/exec.js'
import {pathExists} from '../../src/io/evidence-fs.js'
import type {CollectorSpec} from '../../src/collectors/spec.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-faults-')
})
afterAll(async () => {
  await execa('umount', [join(work, 'small')], {reject: false})
  await rm(work, {force: true, recursive: true})
})

describe('a hung command', () => {
  it('is killed at its timeout and recorded as timed-out, and the collector says so', async () => {
    const spec: CollectorSpec = {
      commands: [{argv: ['sleep', '30'], liveOnly: false, name: 'hang', parser: 'none'}],
      containsPhi: false,
      engine: 'commands',
      files: [],
      id: 'sessions',
      liveOnly: false,
      maxOutputBytes: 1024,
      needsRoot: false,
      outputDir: 'sessions',
      parser: 'none',
      timeoutMs: 300,
      title: 'hang',
      version: '0.0.1',
      source: 'built-in',
      volatility: 1,
      why: 'test',
    }
    const [planned] = buildPlan({isRoot: true, root: '/', since: new Date()}, [spec])
    const bundleDir = await mkdtemp(join(work, 'bundle-'))
    const record = await runCollector(planned!, {
      bundleDir,
      ctime: false,
      exec,
      includeContents: false,
      isRoot: true,
      live: true,
      log: new AcquisitionLog(join(bundleDir, 'acquisition.jsonl')),
      now: new Date(),
      phiDirs: [],
      root: '/',
      since: new Date(),
    })
    expect(record.status).toBe('timed-out')
    expect(record.commands[0]).toMatchObject({name: 'hang', signal: 'SIGTERM', status: 'timed-out', timed_out: true})
    const log = (await readFile(join(bundleDir, 'acquisition.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(log.find((l) => l.step === 'command')).toMatchObject({argv: ['sleep', '30'], status: 'timed-out', timed_out: true})
  })
})

describe('one failing collector', () => {
  it('does not stop the others: the bundle is written and the exit code is 4', async () => {
    const root = await mkdtemp(join(work, 'root-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    const bin = await mkdtemp(join(work, 'bin-'))
    await writeFile(join(bin, 'ausearch'), '#!/bin/sh\necho "ausearch: simulated failure" >&2\nexit 2\n')
    await chmod(join(bin, 'ausearch'), 0o755)
    const out = join(work, 'out-fail')
    const result = await runCli(['collect', '--case', 'IR-FAIL', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--json'], {
      env: {PATH: `${bin}:/usr/bin:/bin`},
    })
    expect(result.exitCode).toBe(4)
    const json = parseJson<{status: string; tarball: string; collectors: {id: string; status: string; reason?: string}[]}>(result)
    expect(json.status).toBe('partial')
    expect(json.collectors.find((c) => c.id === 'audit')).toMatchObject({status: 'failed'})
    expect(json.collectors.find((c) => c.id === 'audit')?.reason).toContain('simulated failure')
    expect(json.collectors.find((c) => c.id === 'phi-files')?.status).toBe('ok')
    expect(json.collectors.find((c) => c.id === 'auth')?.status).toBe('ok')
    expect((await readdir(out)).some((n) => n.endsWith('.tar.gz'))).toBe(true)
  })
})

describe('a full output disk', () => {
  it('gives a clear error, exits non-zero and leaves no complete-looking tarball', async () => {
    expect(process.getuid?.(), 'this test mounts a small tmpfs and needs root (CI runs as root)').toBe(0)
    const root = await mkdtemp(join(work, 'root-full-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    const small = join(work, 'small')
    await mkdir(small)
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=24k,mode=0700', 'tmpfs', small])
    const result = await runCli(['collect', '--case', 'IR-FULL', '--out-dir', small, '--root', root, '--since', WINDOW_START])
    expect(result.exitCode).not.toBe(0)
    expect(result.exitCode).not.toBe(4)
    expect(result.stderr).toMatch(/disk is full/)
    const left = await readdir(small)
    expect(left.filter((n) => n.endsWith('.tar.gz') || n.endsWith('.partial'))).toEqual([])
    expect(left.every((n) => n.endsWith('.incomplete'))).toBe(true)
  })
})

describe('bad flags', () => {
  it.each([
    [['--since', 'yesterday-ish'], /--since/],
    [['--root', '/no/such/root'], /--root/],
    [['--case', 'bad case!'], /--case/],
    [['--collectors', 'sessions,nope'], /--collectors.*nope/],
  ])('%j exits 2 and names the flag', async (args, pattern) => {
    const result = await runCli(['collect', '--out-dir', join(work, 'never'), ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(pattern)
  })
})

describe('--phi-dir checks', () => {
  it('refuses a link with its target, a file, and a missing folder (exit 2), before anything is collected', async () => {
    const root = await mkdtemp(join(work, 'phi-flags-'))
    await mkdir(join(root, 'data/ehr'), {recursive: true})
    await symlink('/data/ehr', join(root, 'srv-ehr'))
    await writeFile(join(root, 'notes.txt'), 'x')
    const run = (dir: string) => runCli(['collect', '--out-dir', join(work, 'never-phi'), '--root', root, '--collectors', 'phi-files', '--phi-dir', dir])
    const link = await run('/srv-ehr')
    expect(link.exitCode).toBe(2)
    expect(link.stderr).toContain('--phi-dir: /srv-ehr is a symbolic link (to /data/ehr)')
    expect(link.stderr).toContain('--phi-dir /data/ehr')
    const file = await run('/notes.txt')
    expect(file.exitCode).toBe(2)
    expect(file.stderr).toContain('--phi-dir: /notes.txt is not a folder')
    const missing = await run('/nowhere')
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('--phi-dir: /nowhere does not exist below --root')
    expect(await pathExists(join(work, 'never-phi'))).toBe(false)
  })
})

describe('--out-dir problems', () => {
  it('name the folder and what to do, for a file and for a path below a file', async () => {
    const file = join(work, 'out-is-a-file')
    await writeFile(file, 'x')
    const notFolder = await runCli(['collect', '--collectors', 'sessions', '--out-dir', file])
    expect(notFolder.exitCode).toBe(1)
    expect(notFolder.stderr).toContain(`--out-dir ${file} is not a folder`)
    expect(notFolder.stderr).toContain('Choose another --out-dir')
    const below = await runCli(['collect', '--collectors', 'sessions', '--out-dir', join(file, 'sub')])
    expect(below.exitCode).toBe(1)
    expect(below.stderr).toContain(`cannot create the bundle folder in --out-dir ${join(file, 'sub')}`)
    expect(below.stderr).toContain('Choose another --out-dir')
  })
})
