import {execa} from 'execa'
import {appendFile, cp, mkdir, readdir, readFile, rm, truncate, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import {formatSha256Sums, parseSha256Sums} from '../../src/integrity/sha256sums.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {type BundleFixture, buildBundle} from './helpers/bundle-fixture.js'
import {writeTarGz} from './helpers/tar-gz.js'
import {makeTempDir} from '../helpers/temp.js'

interface VerifyJson {
  ok: boolean
  problems: {detail: string; kind: string; path: string}[]
  publicKey: {source: string}
  warnings: string[]
}

let bundle: BundleFixture

beforeAll(async () => {
  bundle = await buildBundle()
})

/** A fresh copy of the extracted bundle folder to tamper with. */
async function folderCopy(): Promise<string> {
  const parent = await makeTempDir('hipaa-ir-tamper-')
  const copy = join(parent, bundle.name)
  await cp(bundle.folder, copy, {recursive: true})
  return copy
}

async function verifyJson(target: string, pub = bundle.pub): Promise<{exitCode: number; json: VerifyJson}> {
  const result = await runCli(['verify', target, '--pub', pub, '--json'])
  return {exitCode: result.exitCode, json: parseJson<VerifyJson>(result)}
}

function flipByte(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes)
  copy[at] = (copy[at] ?? 0) ^ 0x01
  return copy
}

describe('stock tools verify a bundle without hipaa-ir', () => {
  test('signify-openbsd -V checks both signatures and sha256sum -c passes inside NAME/', async () => {
    await execa('signify-openbsd', ['-V', '-p', bundle.pub, '-m', bundle.tarball])
    const out = await makeTempDir('hipaa-ir-stock-')
    await execa('tar', ['xzf', bundle.tarball, '-C', out])
    const folder = join(out, bundle.name)
    await execa('signify-openbsd', ['-V', '-p', bundle.pub, '-m', 'SHA256SUMS'], {cwd: folder})
    const sums = await execa('sha256sum', ['-c', 'SHA256SUMS'], {cwd: folder})
    expect(sums.stdout).toContain('manifest.json: OK')
    expect(sums.stdout).toContain('custody.jsonl: OK')
  })

  test('SHA256SUMS round-trips through the GNU format, odd names included', () => {
    const entries = [
      {path: 'a b/c.txt', sha256: 'a'.repeat(64)},
      {path: 'back\\slash\nnewline', sha256: 'b'.repeat(64)},
    ]
    expect(parseSha256Sums(formatSha256Sums(entries))).toEqual({entries, errors: []})
  })
})

describe('verify accepts an intact bundle', () => {
  test('the tarball (key found next to it, with the integrity-not-origin warning) and the folder (--pub)', async () => {
    const tarball = await runCli(['verify', bundle.tarball, '--json'])
    expect(tarball.exitCode).toBe(0)
    const json = parseJson<VerifyJson>(tarball)
    expect(json.ok).toBe(true)
    expect(json.publicKey.source).toBe('next-to-bundle')
    expect(json.warnings.join(' ')).toMatch(/intact.*NOT who signed it/)

    const folder = await verifyJson(bundle.folder)
    expect(folder.exitCode).toBe(0)
    expect(folder.json.problems).toEqual([])

    const human = await runCli(['verify', bundle.tarball, '--pub', bundle.pub])
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toMatch(/OK: .* is intact/)
  })
})

describe('verify names every kind of tampering and exits 3', () => {
  test('one flipped byte in an artifact: hash-mismatch', async () => {
    const folder = await folderCopy()
    const path = join(folder, 'auth/events.jsonl')
    await writeFile(path, flipByte(await readFile(path), 10))
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'hash-mismatch', path: 'auth/events.jsonl'}))
  })

  test('an added file: extra; a removed file: missing', async () => {
    const folder = await folderCopy()
    await writeFile(join(folder, 'sessions/planted.txt'), 'planted')
    await rm(join(folder, 'phi-files/recently-modified.jsonl'))
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'extra', path: 'sessions/planted.txt'}))
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'missing', path: 'phi-files/recently-modified.jsonl'}))
  })

  test('oversize SHA256SUMS, signature and manifest (sparse files of 300 MiB) are named malformed without being read', async () => {
    const folder = await folderCopy()
    for (const name of ['SHA256SUMS', 'SHA256SUMS.sig', 'manifest.json']) await truncate(join(folder, name), 300 * 1024 * 1024)
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    for (const path of ['SHA256SUMS', 'SHA256SUMS.sig', 'manifest.json']) {
      expect(json.problems).toContainEqual(expect.objectContaining({detail: expect.stringContaining('not read'), kind: 'malformed', path}))
    }
  })

  test('an edited manifest.json: hash-mismatch', async () => {
    const folder = await folderCopy()
    const manifest = await readFile(join(folder, 'manifest.json'), 'utf8')
    await writeFile(join(folder, 'manifest.json'), manifest.replace('"host": "web1"', '"host": "web2"'))
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'hash-mismatch', path: 'manifest.json'}))
  })

  test('a file edited together with its SHA256SUMS line: bad-signature', async () => {
    const folder = await folderCopy()
    await appendFile(join(folder, 'acquisition.jsonl'), '{"step":"forged"}\n')
    const {sha256} = await import('../../src/io/evidence-fs.js').then(async (m) => m.hashFile(join(folder, 'acquisition.jsonl')))
    const sums = parseSha256Sums(await readFile(join(folder, 'SHA256SUMS'), 'utf8')).entries.map((entry) => (entry.path === 'acquisition.jsonl' ? {...entry, sha256} : entry))
    await writeFile(join(folder, 'SHA256SUMS'), formatSha256Sums(sums))
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({kind: 'bad-signature', path: 'SHA256SUMS.sig'})])
  })

  test('a flipped byte in the tarball: bad-signature on NAME.tar.gz.sig', async () => {
    const dir = await makeTempDir('hipaa-ir-flip-')
    const tarball = join(dir, `${bundle.name}.tar.gz`)
    const bytes = await readFile(bundle.tarball)
    await writeFile(tarball, flipByte(bytes, bytes.length - 12))
    await cp(`${bundle.tarball}.sig`, `${tarball}.sig`)
    const {exitCode, json} = await verifyJson(tarball)
    expect(exitCode).toBe(3)
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'bad-signature', path: `${bundle.name}.tar.gz.sig`}))
  })

  test('the wrong public key: wrong-key on the tarball (nothing unpacked) and on SHA256SUMS.sig of the folder', async () => {
    const dir = await makeTempDir('hipaa-ir-wrongkey-')
    await writeFile(join(dir, 'other.pub'), createOneTimeSigner('other').publicKeyText)
    const {exitCode, json} = await verifyJson(bundle.tarball, join(dir, 'other.pub'))
    expect(exitCode).toBe(3)
    expect(json.problems.map((problem) => [problem.kind, problem.path])).toEqual([['wrong-key', `${bundle.name}.tar.gz.sig`]])
    expect(json.problems[0]?.detail).toMatch(/nothing was unpacked/)
    const folder = await verifyJson(bundle.folder, join(dir, 'other.pub'))
    expect(folder.json.problems.map((problem) => [problem.kind, problem.path])).toContainEqual(['wrong-key', 'SHA256SUMS.sig'])
  })

  test('human output names the problem and exits 3', async () => {
    const folder = await folderCopy()
    await rm(join(folder, 'SHA256SUMS.sig'))
    const result = await runCli(['verify', folder, '--pub', bundle.pub])
    expect(result.exitCode).toBe(3)
    expect(result.stdout).toMatch(/missing\s+SHA256SUMS\.sig/)
  })

  test('hostile tarballs (traversal, absolute path, symlink escape) are refused and write nothing outside', async () => {
    const sandbox = await makeTempDir('hipaa-ir-hostile-cli-')
    const scratch = join(sandbox, 'tmp')
    await mkdir(scratch)
    const cases: Record<string, Parameters<typeof writeTarGz>[1]> = {
      absolute: [{name: 'H/', type: 'directory'}, {body: 'pwned', name: join(sandbox, 'abs.txt')}],
      symlink: [{name: 'H/', type: 'directory'}, {linkname: '../../..', name: 'H/up', type: 'symlink'}, {body: 'pwned', name: 'H/up/sym.txt'}],
      traversal: [{name: 'H/', type: 'directory'}, {body: 'pwned', name: 'H/../../../trav.txt'}],
    }
    for (const [what, entries] of Object.entries(cases)) {
      const tarball = join(sandbox, `${what}.tar.gz`)
      await writeTarGz(tarball, entries)
      await writeFile(`${tarball}.sig`, bundle.signer.sign(await readFile(tarball)))
      const result = await runCli(['verify', tarball, '--pub', bundle.pub, '--json'], {env: {TMPDIR: scratch}})
      expect(result.exitCode, what).toBe(3)
      expect(parseJson<VerifyJson>(result).problems[0]?.kind).toBe('malformed')
    }
    expect(await readdir(scratch)).toEqual([])
    const left = (await readdir(sandbox)).filter((name) => !name.endsWith('.tar.gz') && !name.endsWith('.sig'))
    expect(left).toEqual(['tmp'])
  })
})
