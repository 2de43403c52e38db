import {cp, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import {resolveBundleTarget} from '../../src/integrity/bundle-target.js'
import {appendCustodyEvent} from '../../src/integrity/custody.js'
import {appendSidecarEvent, bundleDigest} from '../../src/integrity/custody-files.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'
import {type BundleFixture, buildBundle} from './helpers/bundle-fixture.js'

interface ShowJson {
  intact: boolean
  problems: {file: string; kind: string; line: number}[]
}

let a: BundleFixture
let b: BundleFixture
const custodian = createOneTimeSigner('custodian')
let custodianPub: string

beforeAll(async () => {
  a = await buildBundle({name: 'IR-7_web1_20260301T101500Z'})
  b = await buildBundle({name: 'IR-8_web2_20260302T101500Z'})
  custodianPub = join(await makeTempDir('hipaa-ir-custodian-'), 'custodian.pub')
  await writeFile(custodianPub, custodian.publicKeyText)
})

/** A fresh copy of bundle A (tarball, .sig, NAME.pub) without a sidecar. */
async function copyOfA(): Promise<{dir: string; sidecar: string; tarball: string}> {
  const dir = await makeTempDir('hipaa-ir-bind-')
  const tarball = join(dir, `${a.name}.tar.gz`)
  for (const suffix of ['.tar.gz', '.tar.gz.sig', '.pub']) await cp(join(a.dir, `${a.name}${suffix}`), join(dir, `${a.name}${suffix}`))
  return {dir, sidecar: join(dir, `${a.name}.custody.jsonl`), tarball}
}

async function show(tarball: string, pubs: string[]): Promise<{exitCode: number; json: ShowJson}> {
  const result = await runCli(['custody', 'show', tarball, ...pubs.flatMap((pub) => ['--pub', pub]), '--json'])
  return {exitCode: result.exitCode, json: parseJson<ShowJson>(result)}
}

describe('a custody sidecar is bound to its bundle (H4)', () => {
  test('K9: another bundle\'s fresh-start sidecar copied over A\'s: foreign-bundle and unlinked, exit 3 in custody show and verify', async () => {
    const {sidecar, tarball} = await copyOfA()
    // Written as for an encrypted B: a chain of its own, naming B's SHA-256.
    const bSha = await bundleDigest(await resolveBundleTarget(b.tarball))
    await appendCustodyEvent(sidecar, {action: 'transferred', actor: 'Ops', bundleSha256: bSha, to: 'Forensics Inc'}, custodian)
    const {exitCode, json} = await show(tarball, [a.pub, custodianPub])
    expect(exitCode).toBe(3)
    expect(json.intact).toBe(false)
    expect(json.problems.map((problem) => problem.kind)).toEqual(expect.arrayContaining(['unlinked', 'foreign-bundle']))
    const verify = await runCli(['verify', tarball, '--pub', a.pub, '--json'])
    expect(verify.exitCode).toBe(3)
    expect(parseJson<{problems: {detail: string; path: string}[]}>(verify).problems).toContainEqual(
      expect.objectContaining({detail: expect.stringMatching(/foreign-bundle/), path: `${a.name}.custody.jsonl`}),
    )
  })

  test('a linked sidecar event naming another SHA-256: foreign-bundle, exit 3 (not a warning)', async () => {
    const {sidecar, tarball} = await copyOfA()
    await appendSidecarEvent(await resolveBundleTarget(tarball), {action: 'copied', actor: 'Ops', bundleSha256: 'b'.repeat(64)}, custodian)
    const {exitCode, json} = await show(tarball, [a.pub, custodianPub])
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({file: `${a.name}.custody.jsonl`, kind: 'foreign-bundle', line: 1})])
    expect((await runCli(['verify', tarball, '--pub', a.pub])).exitCode).toBe(3)
    // The genuine binding passes.
    await rm(sidecar)
    await appendSidecarEvent(await resolveBundleTarget(tarball), {action: 'copied', actor: 'Ops'}, custodian)
    expect((await show(tarball, [a.pub, custodianPub])).exitCode).toBe(0)
    expect((await runCli(['verify', tarball, '--pub', a.pub])).exitCode).toBe(0)
  })

  test('K10: with --pub, a key dropped next to the bundle is not trusted: lines it signed are wrong-key', async () => {
    const {dir, tarball} = await copyOfA()
    const mallory = createOneTimeSigner('mallory')
    await writeFile(join(dir, 'hipaa-ir.pub'), mallory.publicKeyText)
    await appendSidecarEvent(await resolveBundleTarget(tarball), {action: 'transferred', actor: 'Mallory', to: 'Mallory'}, mallory)
    const {exitCode, json} = await show(tarball, [a.pub])
    expect(exitCode).toBe(3)
    expect(json.problems).toEqual([expect.objectContaining({kind: 'wrong-key', line: 1})])
  })

  test('a sidecar that is a FIFO is refused at once (exit 3)', async () => {
    const {sidecar, tarball} = await copyOfA()
    const {execa} = await import('execa')
    await execa('mkfifo', [sidecar])
    const result = await runCli(['custody', 'show', tarball, '--pub', a.pub], {timeoutMs: 30_000})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toMatch(/FIFO/)
  })
})

describe('custody show for a person (m14, M4)', () => {
  test('the person and the host are apart, and an actor or note cannot steer the terminal', async () => {
    const {tarball} = await copyOfA()
    await appendSidecarEvent(await resolveBundleTarget(tarball), {action: 'transferred', actor: 'J. Doe', host: 'vm', to: 'A. Smith (counsel)'}, custodian)
    await appendSidecarEvent(
      await resolveBundleTarget(tarball),
      {action: 'accessed', actor: 'x\r\u001B[2Kcustody chain intact\u001B[8m', host: 'vm', note: 'n\u202Eote\u001B]0;t\u0007'},
      custodian,
    )
    const result = await runCli(['custody', 'show', tarball, '--pub', a.pub, '--pub', custodianPub])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/transferred\s+by J\. Doe \(on host vm\) to A\. Smith \(counsel\)/)
    expect(result.stdout).not.toContain('J. Doe@vm')
    expect(result.stdout + result.stderr).not.toMatch(/[\u001B\r\u0007\u202E]/)
    expect(result.stdout).toContain(String.raw`by x\x0d\x1b[2Kcustody chain intact\x1b[8m (on host vm)`)
    expect(await readFile(join(tarball, '..', `${a.name}.custody.jsonl`), 'utf8')).toContain('\\u001b[2K')
  })
})
