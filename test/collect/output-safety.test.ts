import {execa} from 'execa'
import {chmod, chown, lstat, mkdir, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {bundleName} from '../../src/bundle/naming.js'
import {HipaaIrError} from '../../src/core/errors.js'
import {DEFAULT_PHI_DIR} from '../../src/core/system-path.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {collectCase, type CollectOptions} from '../../src/workflows/collect-case.js'
import {projectRoot} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

const NOBODY = 65534
const STARTED = new Date('2026-03-03T12:00:00Z')
const NAME = bundleName('IR-SAFE', 'phi-db', STARTED)

let work: string
let root: string
let victim: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-outsafe-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
})
beforeEach(async () => {
  victim = join(await makeTempDir('victim-', work), 'important.conf')
  await writeFile(victim, 'precious\n')
  await chmod(victim, 0o644)
})

async function expectVictimUntouched(path = victim): Promise<void> {
  expect(await readFile(path, 'utf8')).toBe('precious\n')
  expect((await stat(path)).mode & 0o7777).toBe(0o644)
}

function collect(outDir: string, more: Partial<CollectOptions> = {}): Promise<unknown> {
  return collectCase({
    caseId: 'IR-SAFE',
    ctime: false,
    examiner: 'test',
    includeContents: false,
    now: () => new Date(STARTED),
    outDir,
    phiDirs: [DEFAULT_PHI_DIR],
    root,
    selected: ['phi-files'],
    signer: createOneTimeSigner('IR-SAFE'),
    since: new Date(WINDOW_START),
    toolVersion: '0.0.0-test',
    ...more,
  })
}

async function refusal(work: Promise<unknown>): Promise<HipaaIrError> {
  const error = await work.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(HipaaIrError)
  return error as HipaaIrError
}

async function freshOut(label: string): Promise<string> {
  const out = join(await makeTempDir(`out-${label}-`, work), 'evidence')
  await mkdir(out, {mode: 0o700})
  return out
}

describe('collect never writes through a link planted in --out-dir (security H1)', () => {
  it.each(['pub', 'tar.gz.sig', 'custody.jsonl', 'push.json', 'tar.gz.partial'])('NAME.%s planted before the run: refused up front (exit 1), nothing collected', async (suffix) => {
    const out = await freshOut(suffix.replaceAll('.', '-'))
    const planted = join(out, `${NAME}.${suffix}`)
    await symlink(victim, planted)
    const error = await refusal(collect(out))
    expect(error.exitCode).toBe(1)
    expect(error.code).toBe('E_OUTPUT_LINK')
    expect(error.message).toContain(`${planted} is a symbolic link (to ${victim})`)
    expect(error.suggestions.join(' ')).toMatch(/folder only you can write/)
    await expectVictimUntouched()
    expect(await readdir(out)).toEqual([`${NAME}.${suffix}`])
  })

  it('NAME.tar.gz.sig and NAME.pub planted while collecting: sealing refuses them and keeps the evidence as .incomplete', async () => {
    const out = await freshOut('race')
    const otherVictim = join(work, 'other.conf')
    await writeFile(otherVictim, 'precious\n')
    await chmod(otherVictim, 0o644)
    const plant = collect(out, {
      onProgress: (event) => {
        if (event.id !== 'seal' || event.phase !== 'start') return
        void symlink(victim, join(out, `${NAME}.tar.gz.sig`))
        void symlink(otherVictim, join(out, `${NAME}.pub`))
      },
    })
    const error = await refusal(plant)
    expect(error.code).toBe('E_OUTPUT_LINK')
    expect(error.message).toContain(`${NAME}.tar.gz.sig is a symbolic link`)
    expect(error.message).toContain(`${NAME}.incomplete`)
    await expectVictimUntouched()
    await expectVictimUntouched(otherVictim)
    expect((await lstat(join(out, `${NAME}.tar.gz.sig`))).isSymbolicLink()).toBe(true)
  })
})

describe('an --out-dir other users can write (security H1)', () => {
  it('is refused (exit 2) with why and what to do, before anything is written', async () => {
    expect(process.getuid?.(), 'chown to nobody needs root (CI runs as root)').toBe(0)
    const shared = join(await makeTempDir('shared-', work), 'drop')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await chown(shared, NOBODY, NOBODY)
    const error = await refusal(collect(shared))
    expect(error.exitCode).toBe(2)
    expect(error.code).toBe('E_OUTPUT_DIR_SHARED')
    expect(error.message).toMatch(/--out-dir .*drop can be written by other users: it belongs to uid 65534/)
    expect(error.suggestions.join(' ')).toMatch(/mkdir -m 700/)
    expect(await readdir(shared)).toEqual([])
  })
})

describe('an --out-dir inside what collect reads (newcomer M3)', () => {
  it('inside a --phi-dir below --root: exit 2 naming both, and nothing is written into the PHI tree', async () => {
    const phi = join(root, 'var/data/phi')
    const before = await readdir(phi)
    const out = join(phi, 'hipaa-ir-evidence')
    const error = await refusal(collect(out, {phiDirs: ['/var/data/phi']}))
    expect(error.exitCode).toBe(2)
    expect(error.code).toBe('E_OUT_DIR_IN_SOURCE')
    expect(error.message).toContain(`--out-dir ${out} is inside the PHI folder /var/data/phi (${phi} below --root)`)
    expect(error.suggestions.join(' ')).toMatch(/outside the PHI tree and off the suspect disk/)
    expect(await readdir(phi)).toEqual(before)
  })

  it('inside the default PHI folder, reached through a link, or anywhere inside an image --root: exit 2', async () => {
    const linkToPhi = join(work, 'phi-link')
    await symlink(join(root, 'var/data/phi/labs'), linkToPhi)
    expect((await refusal(collect(join(linkToPhi, 'out')))).message).toContain(`the PHI folder ${DEFAULT_PHI_DIR}`)
    expect((await refusal(collect(join(root, 'srv', 'evidence')))).message).toContain(`is inside --root ${root}`)
  })

  it('`cd` into the PHI folder and collect with the default --out-dir (the CLI): exit 2, the folder is unchanged', async () => {
    const phi = join(root, 'var/data/phi')
    const before = await readdir(phi)
    const result = await execa(process.execPath, [join(projectRoot, 'bin/run.js'), 'collect', '--root', root, '--phi-dir', '/var/data/phi', '--collectors', 'phi-files', '--since', WINDOW_START], {cwd: phi, reject: false, env: {NO_COLOR: '1'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/hipaa-ir-evidence is inside the PHI folder \/var\/data\/phi/)
    expect(await readdir(phi)).toEqual(before)
  })
})

describe('modes under any umask (security L6)', () => {
  async function modes(dir: string): Promise<Array<[string, string]>> {
    const found: Array<[string, string]> = []
    const walk = async (at: string) => {
      for (const entry of await readdir(at, {withFileTypes: true})) {
        const path = join(at, entry.name)
        found.push([relative(dir, path), ((await lstat(path)).mode & 0o7777).toString(8)])
        if (entry.isDirectory()) await walk(path)
      }
    }
    found.push(['.', ((await lstat(dir)).mode & 0o7777).toString(8)])
    await walk(dir)
    return found
  }

  it.each(['0777', '0000'])('umask %s: every file in the bundle and out-dir is 0600, every folder 0700', async (mask) => {
    const out = join(await makeTempDir(`umask-${mask}-`, work), 'new', 'evidence')
    const run = `umask ${mask}; exec "$0" "$@"`
    const result = await execa('bash', ['-c', run, process.execPath, join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-UMASK', '--root', root, '--out-dir', out, '--since', WINDOW_START, '--include-contents', '--json'], {reject: false, env: {NO_COLOR: '1', PATH: process.env.PATH ?? '/usr/bin:/bin'}})
    expect([0, 4]).toContain(result.exitCode)
    const found = await modes(join(out, '..'))
    // Every file, the tarball included (io/archive.ts opens it through the same primitive).
    const checked = found
    expect(checked.some(([path]) => path.endsWith('.tar.gz'))).toBe(true)
    expect(checked.length).toBeGreaterThan(20)
    const wrong = await Promise.all(checked.map(async ([path, mode]) => [path, mode, (await lstat(join(out, '..', path))).isDirectory() ? '700' : '600'] as const))
    expect(wrong.filter(([, mode, want]) => mode !== want)).toEqual([])
  })
})
