import {execa} from 'execa'
import {cp, mkdir, readdir, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gunzipSync, gzipSync} from 'node:zlib'
import {beforeAll, describe, expect, test} from 'vitest'

import {formatSha256Sums, parseSha256Sums} from '../../src/integrity/sha256sums.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'
import {type BundleFixture, buildBundle} from './helpers/bundle-fixture.js'
import {writeTarGz} from './helpers/tar-gz.js'

interface VerifyJson {
  ok: boolean
  problems: {detail: string; kind: string; path: string}[]
  publicKey: {fingerprint: string; path: string; source: string}
}

let bundle: BundleFixture

beforeAll(async () => {
  bundle = await buildBundle()
})

/** `pub` null: no --pub (the key is looked for next to the bundle). */
async function verifyJson(target: string, pub: string | null = bundle.pub, env: Record<string, string> = {}): Promise<{exitCode: number; json: VerifyJson}> {
  const result = await runCli(['verify', target, ...(pub === null ? [] : ['--pub', pub]), '--json'], {env, timeoutMs: 30_000})
  return {exitCode: result.exitCode, json: parseJson<VerifyJson>(result)}
}

async function folderCopy(): Promise<string> {
  const copy = join(await makeTempDir('hipaa-ir-hostile-'), bundle.name)
  await cp(bundle.folder, copy, {recursive: true})
  return copy
}

/** A copy of the tarball (and its .sig) in a fresh folder, under `name` (default: its own). */
async function tarballCopy(name = bundle.name): Promise<string> {
  const tarball = join(await makeTempDir('hipaa-ir-hostile-tar-'), `${name}.tar.gz`)
  await cp(bundle.tarball, tarball)
  await cp(`${bundle.tarball}.sig`, `${tarball}.sig`)
  return tarball
}

async function sign(file: string): Promise<void> {
  await writeFile(`${file}.sig`, bundle.signer.sign(new Uint8Array(await readFile(file))))
}

describe('special files next to or inside a bundle are refused unread: no hang, no unbounded read (M2)', () => {
  test.each(['fifo', 'dev-zero'] as const)('%s as SHA256SUMS.sig and custody.jsonl of a folder, and as NAME.tar.gz.sig: exit 3 at once', async (kind) => {
    const plant = async (path: string): Promise<void> => {
      await rm(path, {force: true})
      if (kind === 'fifo') await execa('mkfifo', [path])
      else await symlink('/dev/zero', path)
    }
    const folder = await folderCopy()
    await plant(join(folder, 'SHA256SUMS.sig'))
    await plant(join(folder, 'custody.jsonl'))
    const started = Date.now()
    const inFolder = await verifyJson(folder)
    expect(inFolder.exitCode).toBe(3)
    for (const path of ['SHA256SUMS.sig', 'custody.jsonl']) {
      expect(inFolder.json.problems).toContainEqual(expect.objectContaining({kind: 'malformed', path}))
    }
    const tarball = await tarballCopy()
    await plant(`${tarball}.sig`)
    const beside = await verifyJson(tarball)
    expect(beside.exitCode).toBe(3)
    expect(beside.json.problems).toContainEqual(expect.objectContaining({detail: expect.stringMatching(/not a regular file/), kind: 'malformed', path: `${bundle.name}.tar.gz.sig`}))
    expect(Date.now() - started).toBeLessThan(25_000)
  })
})

describe('nothing is unpacked unless the tarball signature checks out (M3)', () => {
  test('an unsigned tar bomb under the bundle name: only the missing signature is reported, the temp folder stays empty', async () => {
    const dir = await makeTempDir('hipaa-ir-bomb-')
    const scratch = join(dir, 'tmp')
    await mkdir(scratch)
    const tarball = join(dir, `${bundle.name}.tar.gz`)
    await writeTarGz(tarball, [{name: `${bundle.name}/`, type: 'directory'}, {body: '\0'.repeat(64 * 1024 * 1024), name: `${bundle.name}/bomb.bin`}])
    const {exitCode, json} = await verifyJson(tarball, bundle.pub, {TMPDIR: scratch})
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({detail: expect.stringMatching(/missing; nothing was unpacked/), kind: 'missing', path: `${bundle.name}.tar.gz.sig`})])
    expect(await readdir(scratch)).toEqual([])
  })
})

describe('a bundle must carry the name it was collected under (M5)', () => {
  test('a validly signed tarball copied under another bundle name, and a renamed folder: exit 3', async () => {
    const renamed = await tarballCopy('IR-OTHER_web1_20260101T000000Z')
    const tar = await verifyJson(renamed)
    expect(tar.exitCode).toBe(3)
    expect(tar.json.problems).toContainEqual(expect.objectContaining({detail: expect.stringMatching(/top folder is IR-7_web1_20260301T101500Z\/.*renamed/), kind: 'malformed'}))
    expect(tar.json.problems).toContainEqual(expect.objectContaining({detail: expect.stringMatching(/manifest.json names the bundle IR-7_web1_20260301T101500Z/), kind: 'malformed'}))

    const folder = join(await makeTempDir('hipaa-ir-renamed-'), 'IR-8_web2_20260301T101500Z')
    await cp(bundle.folder, folder, {recursive: true})
    const dir = await verifyJson(folder)
    expect(dir.exitCode).toBe(3)
    expect(dir.json.problems).toContainEqual(expect.objectContaining({detail: expect.stringMatching(/case IR-7, host web1/), kind: 'malformed'}))
  })
})

describe('keys next to the bundle (M6)', () => {
  test('hipaa-ir.pub is preferred over a NAME.pub dropped beside it: a bundle re-signed with another key fails', async () => {
    const tarball = await tarballCopy()
    const dir = join(tarball, '..')
    // The organisation's key as the docs suggest, and the bundle re-signed by someone else who also wrote NAME.pub.
    await writeFile(join(dir, 'hipaa-ir.pub'), createOneTimeSigner('org').publicKeyText)
    await writeFile(join(dir, `${bundle.name}.pub`), bundle.signer.publicKeyText)
    const {exitCode, json} = await verifyJson(tarball, null)
    expect(exitCode).toBe(3)
    expect(json.publicKey).toMatchObject({path: join(dir, 'hipaa-ir.pub'), source: 'next-to-bundle'})
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'wrong-key'}))
  })

  test('a key found next to the bundle is printed with its fingerprint and "integrity, NOT origin"', async () => {
    const result = await runCli(['verify', bundle.tarball])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/FOUND NEXT TO THE BUNDLE, key [0-9a-f]{16}/)
    expect(result.stdout).toMatch(/proves integrity, NOT origin/)
    expect(result.stdout).toMatch(/OK: .* \(integrity only: signed by key [0-9a-f]{16}, found next to the bundle\)/)
  })

  test('a bundle whose signed SHA256SUMS leaves out custody.jsonl, and has none: missing', async () => {
    const folder = await folderCopy()
    await rm(join(folder, 'custody.jsonl'))
    const sums = parseSha256Sums(await readFile(join(folder, 'SHA256SUMS'), 'utf8')).entries.filter((entry) => entry.path !== 'custody.jsonl')
    const text = formatSha256Sums(sums)
    await writeFile(join(folder, 'SHA256SUMS'), text)
    await writeFile(join(folder, 'SHA256SUMS.sig'), bundle.signer.sign(new TextEncoder().encode(text)))
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({kind: 'missing', path: 'custody.jsonl'})])
  })
})

describe('planted names and folders (L1, L2)', () => {
  test('a non-UTF-8 file name (even one that decodes like a listed name) is extra, never a crash', async () => {
    const folder = await folderCopy()
    const planted = Buffer.concat([Buffer.from(join(folder, 'sessions/who')), Buffer.from([0xff]), Buffer.from('.txt')])
    await writeFile(planted, 'planted')
    const {exitCode, json} = await verifyJson(folder)
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({kind: 'extra', path: String.raw`sessions/who\xff.txt`})])
  })

  test('an extra empty folder, in a folder and in a signed tarball, is extra', async () => {
    const folder = await folderCopy()
    await mkdir(join(folder, 'sessions/empty/deeper'), {recursive: true})
    const dir = await verifyJson(folder)
    expect(dir.exitCode).toBe(3)
    expect(dir.json.problems).toEqual([expect.objectContaining({kind: 'extra', path: 'sessions/empty/'})])

    const tarball = join(await makeTempDir('hipaa-ir-emptydir-'), `${bundle.name}.tar.gz`)
    await execa('tar', ['czf', tarball, '-C', join(folder, '..'), bundle.name])
    await sign(tarball)
    const tar = await verifyJson(tarball)
    expect(tar.exitCode).toBe(3)
    expect(tar.json.problems).toEqual([expect.objectContaining({kind: 'extra', path: 'sessions/empty/'})])
  })
})

describe('tar reading stops at the end-of-archive marker, as GNU tar does (L3)', () => {
  async function extraTar(): Promise<Buffer> {
    const dir = await makeTempDir('hipaa-ir-late-')
    await mkdir(join(dir, bundle.name))
    await writeFile(join(dir, bundle.name, 'late.txt'), 'hidden from tar xzf')
    return (await execa('tar', ['cf', '-', '-C', dir, `${bundle.name}/late.txt`], {encoding: 'buffer'})).stdout as unknown as Buffer
  }

  test('entries after the marker, in the same gzip member or in a second one: exit 3', async () => {
    const plain = gunzipSync(await readFile(bundle.tarball))
    const late = await extraTar()
    const variants = {
      'one member': gzipSync(Buffer.concat([plain, late])),
      'second member': Buffer.concat([await readFile(bundle.tarball), gzipSync(late)]),
    }
    for (const [what, bytes] of Object.entries(variants)) {
      const tarball = join(await makeTempDir('hipaa-ir-eoa-'), `${bundle.name}.tar.gz`)
      await writeFile(tarball, bytes)
      await sign(tarball)
      const {exitCode, json} = await verifyJson(tarball)
      expect(exitCode, what).toBe(3)
      expect(json.problems, what).toContainEqual(expect.objectContaining({detail: expect.stringMatching(/data after its end-of-archive marker/), kind: 'malformed'}))
    }
  })
})

describe('no raw terminal escapes from a bundle reach the terminal (M4)', () => {
  test('a tar member name with ESC, CR and a bidi override is shown escaped', async () => {
    const tarball = join(await makeTempDir('hipaa-ir-ansi-'), `${bundle.name}.tar.gz`)
    const dir = await makeTempDir('hipaa-ir-ansi-src-')
    await cp(bundle.folder, join(dir, bundle.name), {recursive: true})
    await writeFile(join(dir, bundle.name, 'x\r\u001B[2K\u001B[32mOK: intact\u001B[8m\u202E.txt'), 'planted')
    await execa('tar', ['czf', tarball, '-C', dir, bundle.name])
    await sign(tarball)
    const result = await runCli(['verify', tarball, '--pub', bundle.pub])
    expect(result.exitCode).toBe(3)
    expect(result.stdout + result.stderr).not.toMatch(/[\u001B\r\u202E]/)
    expect(result.stdout).toContain(String.raw`extra         x\x0d\x1b[2K\x1b[32mOK: intact\x1b[8m\u202e.txt`)
  })
})
