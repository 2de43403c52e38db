import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdir, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {formatSha256Sums} from '../../src/integrity/sha256sums.js'
import {writeTarGz} from '../../src/io/archive.js'
import {startSealCheck} from '../../src/workflows/seal-check.js'
import {makeTempDir} from '../helpers/temp.js'

const sha = (text: string) => createHash('sha256').update(text).digest('hex')
const NAMES = ['a\\b', 'a/b', 'new\nline', 'tab\tname', 'caf\u00e9', `deep/${'d'.repeat(120)}/${'f'.repeat(120)}`]

async function bundle(): Promise<{base: string; dir: string}> {
  const base = await makeTempDir('hipaa-ir-archive-')
  const dir = join(base, 'NAME')
  for (const name of NAMES) {
    await mkdir(join(dir, name, '..'), {recursive: true})
    await writeFile(join(dir, name), `body ${name}`)
  }
  return {base, dir}
}

describe('writeTarGz (security H3)', () => {
  it('keeps every name exactly (a backslash is not a folder), as GNU tar reads it, and checks itself in the same pass', async () => {
    const {base, dir} = await bundle()
    const sums = formatSha256Sums(NAMES.map((path) => ({path, sha256: sha(`body ${path}`)})).sort((a, b) => (a.path < b.path ? -1 : 1)))
    const check = await startSealCheck('NAME', sums)
    const out = join(base, 'NAME.tar.gz')
    const written = await writeTarGz(out, 'NAME', dir, NAMES, undefined, check.observer)
    expect(await check.problems()).toEqual([])
    expect(written.sha256).toBe(createHash('sha256').update(await readFile(out)).digest('hex'))
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    const listed = (await execa('tar', ['--quoting-style=literal', '-tzf', out])).stdout.split('\n')
    for (const name of NAMES.filter((n) => !n.includes('\n'))) expect(listed, name).toContain(`NAME/${name}`)
    const unpacked = join(base, 'x')
    await mkdir(unpacked)
    await execa('tar', ['-xzf', out, '-C', unpacked])
    for (const name of NAMES) expect(await readFile(join(unpacked, 'NAME', name), 'utf8')).toBe(`body ${name}`)
  })

  it('the self-check reports a member that does not match SHA256SUMS, and one it does not list', async () => {
    const {base, dir} = await bundle()
    const listed = NAMES.filter((n) => n !== 'a\\b').map((path) => ({path, sha256: path === 'a/b' ? sha('other') : sha(`body ${path}`)}))
    const check = await startSealCheck('NAME', formatSha256Sums(listed))
    await writeTarGz(join(base, 'NAME.tar.gz'), 'NAME', dir, NAMES, undefined, check.observer)
    const problems = await check.problems()
    expect(problems.map((p) => `${p.kind} ${p.path}`).sort()).toEqual(['extra a\\b', 'hash-mismatch a/b'])
  })

  it('never writes the tarball through a link planted at NAME.tar.gz.partial', async () => {
    const {base, dir} = await bundle()
    const victim = join(base, 'victim')
    await writeFile(victim, 'keep me')
    await symlink(victim, join(base, 'NAME.tar.gz.partial'))
    await writeTarGz(join(base, 'NAME.tar.gz'), 'NAME', dir, NAMES)
    expect(await readFile(victim, 'utf8')).toBe('keep me')
  })
})
