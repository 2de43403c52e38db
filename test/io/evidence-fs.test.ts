import {execa} from 'execa'
import {chmod, chown, link, lstat, mkdir, readdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {HipaaIrError} from '../../src/core/errors.js'
import {
  appendEvidenceFile,
  appendEvidenceFileSync,
  checkOutputFolder,
  createEvidenceFile,
  ensureEvidenceDir,
  JsonlWriter,
  prepareOutputFolder,
  replaceEvidenceFile,
} from '../../src/io/evidence-fs.js'
import {makeTempDir} from '../helpers/temp.js'

const NOBODY = 65534
const isRoot = process.getuid?.() === 0

let work: string
let victim: string
beforeEach(async () => {
  work = await makeTempDir('hipaa-ir-efs-')
  victim = join(work, 'victim.conf')
  await writeFile(victim, 'precious\n', {mode: 0o644})
  await chmod(victim, 0o644)
})

async function expectVictimUntouched(): Promise<void> {
  expect(await readFile(victim, 'utf8')).toBe('precious\n')
  expect((await stat(victim)).mode & 0o7777).toBe(0o644)
}

async function refusal(work: Promise<unknown> | (() => unknown)): Promise<HipaaIrError> {
  try {
    await (typeof work === 'function' ? work() : work)
  } catch (error) {
    expect(error).toBeInstanceOf(HipaaIrError)
    return error as HipaaIrError
  }
  throw new Error('expected a refusal')
}

describe('writing through a planted link (security H1)', () => {
  it('createEvidenceFile refuses a link, names it and its target, and leaves the victim alone', async () => {
    const out = join(work, 'NAME.pub')
    await symlink(victim, out)
    const error = await refusal(createEvidenceFile(out, 'attacker wins'))
    expect(error.code).toBe('E_OUTPUT_LINK')
    expect(error.exitCode).toBe(1)
    expect(error.message).toContain(out)
    expect(error.message).toContain(victim)
    expect(error.suggestions.join(' ')).toMatch(/mkdir -m 700/)
    await expectVictimUntouched()
  })

  it('createEvidenceFile never overwrites a file, nor a hard link to one', async () => {
    const out = join(work, 'SHA256SUMS')
    await link(victim, out)
    expect((await refusal(createEvidenceFile(out, 'x'))).code).toBe('E_OUTPUT_EXISTS')
    await expectVictimUntouched()
  })

  it('replaceEvidenceFile refuses a link; over a hard link it replaces the name, not the victim', async () => {
    const linked = join(work, 'report.md')
    await symlink(victim, linked)
    expect((await refusal(replaceEvidenceFile(linked, 'x'))).code).toBe('E_OUTPUT_LINK')
    const hard = join(work, 'timeline.md')
    await link(victim, hard)
    await replaceEvidenceFile(hard, 'new\n')
    expect(await readFile(hard, 'utf8')).toBe('new\n')
    expect((await stat(hard)).mode & 0o7777).toBe(0o600)
    await expectVictimUntouched()
    expect((await readdir(work)).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('appends refuse a link, a hard link, a FIFO and (as root) another user\'s file', async () => {
    const sidecar = join(work, 'NAME.custody.jsonl')
    await symlink(victim, sidecar)
    expect((await refusal(appendEvidenceFile(sidecar, 'line\n'))).code).toBe('E_OUTPUT_LINK')
    expect((await refusal(() => appendEvidenceFileSync(sidecar, 'line\n'))).code).toBe('E_OUTPUT_LINK')
    const hard = join(work, 'NAME.push.json')
    await link(victim, hard)
    expect((await refusal(appendEvidenceFile(hard, 'line\n'))).message).toMatch(/2 hard links/)
    await expectVictimUntouched()
    const fifo = join(work, 'acquisition.jsonl')
    await execa('mkfifo', [fifo])
    expect((await refusal(appendEvidenceFile(fifo, 'x'))).code).toBe('E_OUTPUT_NOT_FILE')
    expect(isRoot, 'the ownership check needs root to chown (CI runs as root)').toBe(true)
    const foreign = join(work, 'foreign.jsonl')
    await writeFile(foreign, '')
    await chown(foreign, NOBODY, NOBODY)
    const owner = await refusal(appendEvidenceFile(foreign, 'x'))
    expect(owner.code).toBe('E_OUTPUT_OWNER')
    expect(owner.message).toContain(`uid ${NOBODY}`)
  })

  it('a JSONL writer never opens a planted link', async () => {
    const out = join(work, 'events.jsonl')
    await symlink(victim, out)
    expect(() => new JsonlWriter(out)).toThrow(/symbolic link/)
    await expectVictimUntouched()
  })

  it('ensureEvidenceDir refuses a link where a folder should be and chmods nothing through it', async () => {
    const target = join(work, 'elsewhere')
    await mkdir(target, {mode: 0o755})
    await chmod(target, 0o755)
    await symlink(target, join(work, 'letters'))
    expect((await refusal(ensureEvidenceDir(join(work, 'letters')))).code).toBe('E_OUTPUT_LINK')
    expect((await stat(target)).mode & 0o7777).toBe(0o755)
  })
})

describe('modes whatever the umask (security L6)', () => {
  let old: number
  beforeEach(() => {
    old = process.umask()
  })
  afterEach(() => {
    process.umask(old)
  })

  it.each([0o777, 0o000])('umask %o: files 0600, folders 0700 (with parents), JSONL and appends too', async (mask) => {
    process.umask(mask)
    const dir = join(work, `u${mask}`, 'a', 'b')
    await ensureEvidenceDir(dir)
    await createEvidenceFile(join(dir, 'new.txt'), 'x')
    await replaceEvidenceFile(join(dir, 'replaced.txt'), 'x')
    await appendEvidenceFile(join(dir, 'appended.jsonl'), 'x\n')
    appendEvidenceFileSync(join(dir, 'appended-sync.jsonl'), 'x\n')
    const writer = new JsonlWriter(join(dir, 'rows.jsonl'))
    await writer.write({a: 1})
    await writer.close()
    for (const folder of [join(work, `u${mask}`), join(work, `u${mask}`, 'a'), dir]) expect((await stat(folder)).mode & 0o7777).toBe(0o700)
    for (const name of await readdir(dir)) expect([name, (await stat(join(dir, name))).mode & 0o7777]).toEqual([name, 0o600])
  })
})

describe('output folders other users can write (security H1)', () => {
  it('refuses a folder chmod 0777 owned by another user (exit 2), saying why and what to do', async () => {
    expect(isRoot, 'chown to nobody needs root (CI runs as root)').toBe(true)
    const shared = join(work, 'shared')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await chown(shared, NOBODY, NOBODY)
    const error = await refusal(prepareOutputFolder(shared, {label: '--out-dir'}))
    expect(error.exitCode).toBe(2)
    expect(error.code).toBe('E_OUTPUT_DIR_SHARED')
    expect(error.message).toContain(`--out-dir ${shared} can be written by other users`)
    expect(error.suggestions.join(' ')).toMatch(/only you can write.*mkdir -m 700/)
    // Nor a fresh folder inside it: its owner could swap it for one of theirs.
    expect((await refusal(prepareOutputFolder(join(shared, 'fresh'), {label: '--letters'}))).message).toMatch(/is inside .*shared, which other users could change/)
    expect(await readdir(shared)).toEqual([])
  })

  it('refuses a private-looking folder that belongs to someone else, and a world-writable one of ours', async () => {
    const theirs = join(work, 'theirs')
    await mkdir(theirs, {mode: 0o700})
    await chown(theirs, NOBODY, NOBODY)
    expect((await refusal(checkOutputFolder(theirs, {label: '--out-dir'}))).message).toMatch(/belongs to uid 65534/)
    const open = join(work, 'open')
    await mkdir(open)
    await chmod(open, 0o777)
    expect((await refusal(checkOutputFolder(open, {label: '--out-dir'}))).message).toMatch(/mode 0777/)
  })

  it('refuses a sticky shared folder itself (/tmp) but creates a fresh private folder inside it', async () => {
    const sticky = join(work, 'tmp')
    await mkdir(sticky)
    await chmod(sticky, 0o1777)
    expect((await refusal(checkOutputFolder(sticky, {label: '--out-dir'}))).message).toMatch(/mode 1777/)
    const fresh = join(sticky, 'evidence')
    await prepareOutputFolder(fresh, {label: '--out-dir'})
    const info = await lstat(fresh)
    expect(info.isDirectory()).toBe(true)
    expect(info.mode & 0o7777).toBe(0o700)
  })
})
