import {execa} from 'execa'
import {mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface CollectJson {
  bundle_dir: string
  name: string
  status: string
  host: string
}

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-confine-')
})

/** Every file below dir, with its bytes. */
async function allFiles(dir: string): Promise<{path: string; bytes: Buffer}[]> {
  const out: {path: string; bytes: Buffer}[] = []
  for (const entry of await readdir(dir, {recursive: true, withFileTypes: true})) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name)
      out.push({bytes: await readFile(path), path})
    }
  }
  return out
}

const steps = async (bundleDir: string) =>
  (await readFile(join(bundleDir, 'acquisition.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as {step: string; note?: string; path?: string; reason?: string})

async function collectRoot(root: string, extra: string[] = []) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`)
  const result = await runCli(['collect', '--case', 'IR-ROOT-1', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--json', ...extra], {timeoutMs: 60_000})
  return {out, result}
}

describe('collect --root stays inside the image (security H2)', () => {
  it('absolute links to files outside the image bring none of the outside data into the bundle, and are recorded', async () => {
    // The examiner's machine: a host name, an auth log and a PHI tree the image's links point at.
    const outside = await mkdtemp(join(work, 'examiner-side-'))
    await mkdir(join(outside, 'log'), {recursive: true})
    await writeFile(join(outside, 'log', 'auth.log'), '2026-03-03T10:00:00.000000+00:00 outsidehost sshd[1]: Accepted publickey for OUTSIDE-ONLY-USER from 192.0.2.99 port 1 ssh2\n')
    await mkdir(join(outside, 'data', 'phi'), {recursive: true})
    await writeFile(join(outside, 'data', 'phi', 'OUTSIDE-ONLY-FILE.txt'), 'OUTSIDE-ONLY-CONTENT\n')
    await writeFile(join(outside, 'hostname'), 'outside-only-host\n')
    const now = new Date()
    for (const file of ['log/auth.log', 'data/phi/OUTSIDE-ONLY-FILE.txt']) await utimes(join(outside, file), now, now)

    const root = await mkdtemp(join(work, 'image-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    await rm(join(root, 'var/log/auth.log'))
    await symlink(join(outside, 'log', 'auth.log'), join(root, 'var/log/auth.log'))
    await rm(join(root, 'var/data'), {force: true, recursive: true})
    await symlink(join(outside, 'data'), join(root, 'var/data'))
    await rm(join(root, 'etc/hostname'))
    await symlink(join(outside, 'hostname'), join(root, 'etc/hostname'))

    const {result} = await collectRoot(root, ['--include-contents'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    expect(json.name).toMatch(/^IR-ROOT-1_unknown-host_/)
    for (const file of await allFiles(json.bundle_dir)) {
      const text = file.bytes.toString('latin1')
      expect(text, file.path).not.toContain('OUTSIDE-ONLY')
      expect(text, file.path).not.toContain('outside-only-host')
    }
    const notes = (await steps(json.bundle_dir)).map((s) => `${s.note ?? ''} ${s.reason ?? ''}`)
    expect(notes.some((n) => n.includes('/var/log/auth.log') && n.includes(join(outside, 'log', 'auth.log')))).toBe(true)
    expect(notes.some((n) => n.includes('/var/data') && n.includes(join(outside, 'data')))).toBe(true)
    expect(notes.some((n) => n.startsWith('host name unknown: /etc/hostname'))).toBe(true)
  })

  it('absolute links that stay inside the image are followed inside it, as chroot would', async () => {
    const root = await mkdtemp(join(work, 'image-in-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    await mkdir(join(root, 'srv'), {recursive: true})
    await writeFile(join(root, 'srv', 'hostname.real'), 'image-host\n')
    await rm(join(root, 'etc/hostname'))
    await symlink('/srv/hostname.real', join(root, 'etc/hostname'))
    // /var/data -> /srv/data (absolute, inside the image): the PHI folder is the image's /srv/data/phi.
    await execa('mv', [join(root, 'var/data'), join(root, 'srv/data')])
    await symlink('/srv/data', join(root, 'var/data'))
    // A `..` link that climbs above the image's top stays at the image's top.
    await symlink('../../../../../../../../srv/hostname.real', join(root, 'etc/hostname.up'))

    const {result} = await collectRoot(root)
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    expect(json.name).toMatch(/^IR-ROOT-1_image-host_/)
    const rows = (await readFile(join(json.bundle_dir, 'phi-files', 'recently-modified.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as {path: string; sha256: string | null})
    expect(rows.map((r) => r.path)).toContain('/var/data/phi/patients.csv')
    expect(rows.find((r) => r.path === '/var/data/phi/patients.csv')?.sha256).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('--phi-dir with ".." (security L4)', () => {
  it('is refused with exit 2 and a clear message', async () => {
    const root = await mkdtemp(join(work, 'image-dotdot-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    const {result} = await collectRoot(root, ['--phi-dir', '/../../../../tmp'])
    expect(result.exitCode).toBe(2)
    expect(parseJson<{error: {message: string}}>(result).error.message).toBe('--phi-dir: /../../../../tmp has a ".." part; name the folder by its plain absolute path on that system')
  })
})

describe('hostile image: special files (security L7)', () => {
  it('an /etc/hostname FIFO neither hangs collect nor names the bundle; the reason is recorded', async () => {
    const root = await mkdtemp(join(work, 'image-fifo-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    await rm(join(root, 'etc/hostname'))
    await execa('mkfifo', [join(root, 'etc/hostname')])
    await rm(join(root, 'etc/timezone'), {force: true})
    await execa('mkfifo', [join(root, 'etc/timezone')])
    const started = Date.now()
    const {result} = await collectRoot(root, ['--collectors', 'auth'])
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    expect(json.name).toMatch(/^IR-ROOT-1_unknown-host_/)
    const host = (await steps(json.bundle_dir)).find((s) => s.step === 'host-name')
    expect(host?.note).toBe('host name unknown: /etc/hostname is not a regular file')
  })

  it.runIf(process.getuid?.() === 0)('an /etc/hostname link to the image\'s /dev/zero is refused without reading it', async () => {
    const root = await mkdtemp(join(work, 'image-zero-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    await mkdir(join(root, 'dev'))
    await execa('mknod', [join(root, 'dev/zero'), 'c', '1', '5'])
    await rm(join(root, 'etc/hostname'))
    await symlink('/dev/zero', join(root, 'etc/hostname'))
    const {result} = await collectRoot(root, ['--collectors', 'auth'])
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<CollectJson>(result)
    expect(json.name).toMatch(/^IR-ROOT-1_unknown-host_/)
    const host = (await steps(json.bundle_dir)).find((s) => s.step === 'host-name')
    expect(host?.note).toBe('host name unknown: /etc/hostname is not a regular file')
  })
})
