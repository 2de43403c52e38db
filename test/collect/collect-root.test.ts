import {execa} from 'execa'
import {mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, DEBIAN_IN, RHEL_IN, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface CollectJson {
  bundle_dir: string
  tarball: string
  name: string
  status: string
  collectors: {id: string; status: string; degraded?: boolean; reason?: string}[]
}

const jsonl = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-collect-')
})

async function collect(layout: 'debian' | 'journal-only' | 'rhel', env: Record<string, string> = {}) {
  const root = await mkdtemp(join(work, `${layout}-root-`))
  await buildFixtureRoot(root, {layout})
  const out = join(work, `${layout}-out-${Math.random().toString(36).slice(2)}`)
  const result = await runCli(['collect', '--case', 'IR-TEST-1', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--json'], {env})
  return {out, result, root}
}

describe('collect on a Debian-layout fixture root (RFC 3339 stamps, rotated and gzipped logs)', () => {
  let run: Awaited<ReturnType<typeof collect>>
  let json: CollectJson
  beforeAll(async () => {
    run = await collect('debian')
    json = parseJson<CollectJson>(run.result)
  })

  it('finishes with exit 0 and names the bundle CASE_HOST_TIMESTAMP', () => {
    expect(run.result.exitCode, run.result.stderr).toBe(0)
    expect(json.name).toMatch(/^IR-TEST-1_phi-db_\d{8}T\d{6}Z$/)
    expect(json.status).toBe('complete')
  })

  it('skips the live-only commands under --root and says why', async () => {
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8'))
    const network = manifest.collectors.find((c: {id: string}) => c.id === 'network')
    expect(network.status).toBe('skipped')
    expect(network.reason).toMatch(/live-only/)
    const sessions = manifest.collectors.find((c: {id: string}) => c.id === 'sessions')
    expect(sessions.commands.find((c: {name: string}) => c.name === 'who').status).toBe('skipped')
    expect(sessions.commands.find((c: {name: string}) => c.name === 'last').argv).toContain(`${run.root}/var/log/wtmp`)
  })

  it('finds every planted auth event inside the window and nothing outside, across .1 and .N.gz', async () => {
    const raw = (await readFile(join(json.bundle_dir, 'auth/auth-events.txt'), 'utf8')).trim().split('\n')
    const expected = DEBIAN_IN.filter((l): l is string => l !== undefined && !l.includes('CRON'))
    expect(raw).toEqual(expect.arrayContaining(expected))
    expect(raw).not.toContain(expect.stringContaining('eve'))
    expect(raw.some((l) => l.includes('2026-03-02T23:59:59'))).toBe(false)
    expect(raw.some((l) => l.includes('bob'))).toBe(false)
    const events = await jsonl(join(json.bundle_dir, 'auth/events.jsonl'))
    const failed = events.find((e) => e.kind === 'failed')
    expect(failed).toMatchObject({invalid_user: true, ip: '198.51.100.9', port: 40222, source: '/var/log/auth.log', user: 'admin'})
    expect(events.find((e) => e.user === 'mallory')).toMatchObject({kind: 'accepted', method: 'password', source: '/var/log/auth.log.2.gz', time: '2026-03-03T00:30:00.000Z'})
    expect(events.find((e) => e.kind === 'invalid-user')).toMatchObject({source: '/var/log/auth.log.1', user: 'oracle'})
    expect(events.find((e) => e.kind === 'sudo')).toMatchObject({user: 'alice'})
  })

  it('keeps the phi_access audit events of the window, one object per serial, then those of the guide\'s other keys', async () => {
    const events = await jsonl(join(json.bundle_dir, 'audit/events.jsonl'))
    expect(events.map((e) => [e.serial, e.key])).toEqual([[200, 'phi_access'], [300, 'phi_access'], [250, 'user_changes']])
    expect(events[0]).toMatchObject({auid: '1001', comm: 'cat', exe: '/usr/bin/cat', key: 'phi_access', paths: ['/var/data/phi/patients.csv'], source: '/var/log/audit/audit.log', success: true})
    const raw = await readFile(join(json.bundle_dir, 'audit/phi_access.raw'), 'utf8')
    expect(raw).toContain('audit(1772529660.100:200)')
    expect(raw).not.toContain(':250)')
    const text = await readFile(join(json.bundle_dir, 'audit/phi_access.txt'), 'utf8')
    expect(text).toContain('name=/var/data/phi/patients.csv')
  })

  it('lists recent PHI entries with SHA-256, lists the FIFO and the outward symlink without opening or following them', async () => {
    const entries = await jsonl(join(json.bundle_dir, 'phi-files/recently-modified.jsonl'))
    const byPath = Object.fromEntries(entries.map((e) => [e.path, e]))
    expect(Object.keys(byPath).sort()).toEqual(['/var/data/phi/escape', '/var/data/phi/labs', '/var/data/phi/labs/results.csv', '/var/data/phi/patients.csv', '/var/data/phi/pipe'])
    expect(byPath['/var/data/phi/patients.csv']).toMatchObject({mode: '0640', mtime: '2026-03-03T09:21:00.000Z', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), type: 'file'})
    expect(byPath['/var/data/phi/pipe']).toMatchObject({sha256: null, type: 'fifo'})
    expect(byPath['/var/data/phi/escape']).toMatchObject({sha256: null, target: '/etc/shadow', type: 'symlink'})
    expect(byPath['/var/data/phi/labs']).toMatchObject({type: 'dir'})
    const {stdout} = await execa('sha256sum', [join(run.root, 'var/data/phi/patients.csv')])
    expect(byPath['/var/data/phi/patients.csv']?.sha256).toBe(stdout.split(' ')[0])
  })

  it('lists the same PHI entries with its own walker where find is not installed', async () => {
    const emptyPath = await mkdtemp(join(work, 'nopath-'))
    const out = join(work, 'walk-out')
    const result = await runCli(['collect', '--case', 'IR-WALK', '--out-dir', out, '--root', run.root, '--since', WINDOW_START, '--collectors', 'phi-files', '--json'], {env: {PATH: emptyPath}})
    const walked = parseJson<CollectJson>(result)
    const sorted = async (dir: string) => (await jsonl(join(dir, 'phi-files/recently-modified.jsonl'))).sort((a, b) => String(a.path).localeCompare(String(b.path)))
    expect(await sorted(walked.bundle_dir)).toEqual(await sorted(json.bundle_dir))
  })

  it('writes the posture snapshot with its evidence into posture/, covered by SHA256SUMS', async () => {
    const posture = JSON.parse(await readFile(join(json.bundle_dir, 'posture/posture.json'), 'utf8'))
    const ids = posture.controls.map((c: {id: string}) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['ssh.permit-root-login', 'audit.phi-watch', 'encryption.phi-at-rest', 'phi.permissions']))
    const sums = await readFile(join(json.bundle_dir, 'SHA256SUMS'), 'utf8')
    expect(sums).toContain('  posture/posture.json\n')
  })

  it('signs the tarball and SHA256SUMS so that stock signify-openbsd verifies both, with the one-time public key beside them', async () => {
    const pub = json.tarball.replace(/\.tar\.gz$/, '.pub')
    const detached = await execa('signify-openbsd', ['-V', '-p', pub, '-m', json.tarball], {reject: false})
    expect(detached.stdout + detached.stderr).toContain('Signature Verified')
    const sums = await execa('signify-openbsd', ['-V', '-p', pub, '-m', 'SHA256SUMS'], {cwd: json.bundle_dir, reject: false})
    expect(sums.exitCode).toBe(0)
    expect((json as unknown as {warnings: string[]}).warnings.join('\n')).toContain('one-time key')
  })

  it('records collected, sealed and signed in custody.jsonl, each linked to the line before', async () => {
    const events = await jsonl(join(json.bundle_dir, 'custody.jsonl'))
    expect(events.map((e) => e.action)).toEqual(['collected', 'sealed', 'signed'])
    expect(events[0]?.prev_sha256).toBe('0'.repeat(64))
    const verify = await runCli(['verify', json.tarball, '--json'])
    expect(verify.exitCode, verify.stdout).toBe(0)
  })

  it('writes SHA256SUMS that `sha256sum -c` accepts, covering manifest.json', async () => {
    const {stdout, exitCode} = await execa('sha256sum', ['-c', 'SHA256SUMS'], {cwd: json.bundle_dir, reject: false})
    expect(exitCode).toBe(0)
    expect(stdout).toContain('manifest.json: OK')
    expect(stdout).toContain('acquisition.jsonl: OK')
  })

  it('writes a tarball with one top folder NAME/ that tar lists', async () => {
    const {stdout} = await execa('tar', ['tzf', json.tarball])
    const names = stdout.split('\n')
    expect(names.every((n) => n.startsWith(`${json.name}/`))).toBe(true)
    expect(names).toContain(`${json.name}/manifest.json`)
    expect(names).toContain(`${json.name}/SHA256SUMS`)
  })

  it('writes evidence owner-only: files 0600, folders 0700', async () => {
    expect((await stat(json.tarball)).mode & 0o777).toBe(0o600)
    expect((await stat(json.bundle_dir)).mode & 0o777).toBe(0o700)
    expect((await stat(join(json.bundle_dir, 'auth'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(json.bundle_dir, 'manifest.json'))).mode & 0o777).toBe(0o600)
    expect((await stat(join(json.bundle_dir, 'auth/events.jsonl'))).mode & 0o777).toBe(0o600)
  })

  it('records every command in acquisition.jsonl with argv, exit code, duration and bytes', async () => {
    const steps = await jsonl(join(json.bundle_dir, 'acquisition.jsonl'))
    const ausearch = steps.filter((s) => s.step === 'command' && (s.argv as string[])[0] === 'ausearch')
    expect(ausearch.length).toBe(8) // raw and interpreted, for audit.log and audit.log.1, for phi_access and user_changes
    for (const step of ausearch) {
      expect(step).toHaveProperty('exit_code')
      expect(step).toHaveProperty('duration_ms')
      expect(step).toHaveProperty('bytes')
      expect(step).toHaveProperty('time')
    }
  })

  it('gives the same audit events.jsonl without ausearch on PATH, and says it ran degraded', async () => {
    const degraded = await collect('debian', {PATH: '/usr/bin:/bin'})
    const djson = parseJson<CollectJson>(degraded.result)
    expect(degraded.result.exitCode, degraded.result.stderr).toBe(0)
    expect(djson.collectors.find((c) => c.id === 'audit')).toMatchObject({degraded: true, status: 'ok'})
    const withTool = await readFile(join(json.bundle_dir, 'audit/events.jsonl'), 'utf8')
    const without = await readFile(join(djson.bundle_dir, 'audit/events.jsonl'), 'utf8')
    expect(without).toBe(withTool)
    const raw = await readFile(join(djson.bundle_dir, 'audit/phi_access.raw'), 'utf8')
    expect(raw).toContain('audit(1772529660.100:200)')
    expect(raw).not.toContain(':100)')
  })
})

describe('collect --encrypt-to', () => {
  it('leaves only ciphertext that stock age decrypts to the signed tarball', async () => {
    const key = join(work, 'age.key')
    await execa('age-keygen', ['-o', key])
    const recipient = (await execa('age-keygen', ['-y', key])).stdout.trim()
    const root = await mkdtemp(join(work, 'enc-root-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    const out = join(work, 'enc-out')
    const result = await runCli(['collect', '--case', 'IR-ENC', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--encrypt-to', recipient, '--json'])
    const json = parseJson<{tarball: string; bundle_dir: string | null; encrypted: boolean}>(result)
    expect(result.exitCode).toBe(0)
    expect(json).toMatchObject({bundle_dir: null, encrypted: true})
    expect(json.tarball).toMatch(/\.tar\.gz\.age$/)
    const names = await readdir(out)
    expect(names.filter((n) => n.endsWith('.tar.gz') || !n.includes('.'))).toEqual([])
    const listing = await execa('bash', ['-c', 'age -d -i "$1" "$2" | tar tzf -', '_', key, json.tarball])
    expect(listing.stdout).toContain('/manifest.json')
    const pub = json.tarball.replace(/\.tar\.gz\.age$/, '.pub')
    const sig = await execa('signify-openbsd', ['-V', '-p', pub, '-m', json.tarball], {reject: false})
    expect(sig.exitCode).toBe(0)
  })
})

describe('collect on a RHEL-layout fixture root (secure, classic stamps, dated rotation)', () => {
  it('infers the year, finds the window events in secure and secure-YYYYMMDD, nothing outside', async () => {
    const run = await collect('rhel')
    const json = parseJson<CollectJson>(run.result)
    expect(run.result.exitCode, run.result.stderr).toBe(0)
    const raw = (await readFile(join(json.bundle_dir, 'auth/auth-events.txt'), 'utf8')).trim().split('\n')
    expect(raw).toEqual(RHEL_IN)
    const events = await jsonl(join(json.bundle_dir, 'auth/events.jsonl'))
    expect(events.map((e) => e.time)).toEqual(['2026-03-03T00:05:00.000Z', '2026-03-03T09:15:02.000Z', '2026-03-03T09:31:40.000Z'])
    expect(events[2]).toMatchObject({kind: 'su', source: '/var/log/secure'})
  })
})

describe('collect across New Year (classic stamps without a year)', () => {
  it('puts Dec 31 lines of a file rotated on Jan 1 in the old year and Jan 1 lines in the new one', async () => {
    const root = await mkdtemp(join(work, 'newyear-'))
    await mkdir(join(root, 'var/log'), {recursive: true})
    const rotated = join(root, 'var/log/secure.1')
    await writeFile(rotated, ['Dec 30 10:00:00 h sshd[1]: Accepted password for old from 192.0.2.1 port 1 ssh2', 'Dec 31 23:59:30 h sshd[2]: Accepted password for eve from 192.0.2.2 port 2 ssh2', 'Jan  1 00:00:10 h sshd[3]: Accepted password for ny from 192.0.2.3 port 3 ssh2', ''].join('\n'))
    await utimes(rotated, new Date('2026-01-01T00:05:00Z'), new Date('2026-01-01T00:05:00Z'))
    const out = join(work, 'newyear-out')
    const result = await runCli(['collect', '--case', 'IR-NY', '--out-dir', out, '--root', root, '--since', '2025-12-31T00:00:00Z', '--collectors', 'auth', '--json'])
    const json = parseJson<CollectJson>(result)
    const events = await jsonl(join(json.bundle_dir, 'auth/events.jsonl'))
    expect(events.map((e) => [e.user, e.time])).toEqual([
      ['eve', '2025-12-31T23:59:30.000Z'],
      ['ny', '2026-01-01T00:00:10.000Z'],
    ])
  })
})

describe('collect on a journald-only fixture root', () => {
  it('uses journalctl -D below the root and does not fail on an empty journal', async () => {
    const run = await collect('journal-only')
    const json = parseJson<CollectJson>(run.result)
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8'))
    const auth = manifest.collectors.find((c: {id: string}) => c.id === 'auth')
    expect(auth.commands[0].argv).toEqual(expect.arrayContaining(['journalctl', '-D', `${run.root}/var/log/journal`]))
  })
})
