/**
 * fleet verify / fleet status against the real local S3 server (Ceph RGW): a case of three host
 * bundles and a signed run manifest verifies; a rewritten tarball (a new version on its key) and a
 * rewritten manifest are caught (exit 3); an inventory host without a bundle is named.
 */
import {PutObjectCommand} from '@aws-sdk/client-s3'
import {createHash} from 'node:crypto'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {buildFleetManifest, newRunId, writeFleetManifest, type FleetManifestHost} from '../../src/fleet/manifest.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {pushBundles} from '../../src/storage/push-run.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildBundle} from '../integrity/helpers/bundle-fixture.js'
import {useS3Suite} from '../storage/s3-suite.js'

const CASE = 'IR-FLEET'
const HOSTS = [{address: '10.0.1.11', host: 'web1', name: 'web1.example.org'}, {address: '10.0.1.12', host: 'web2', name: 'web2.example.org'}, {address: '10.0.1.21', host: 'db1', name: 'db1'}]
const t = useS3Suite('hipaa-ir-fleet-')
const examiner = createOneTimeSigner(CASE)
let examinerPub: string
let inventory: string
let inventoryPlusOne: string

interface VerifyJson {
  bundles: Array<{host: string; inventory_name: string; ok: boolean; problems: string[]; sha256: string}>
  manifest: {problems: string[]; signature: string; signer: {source: string}}
  missing: Array<{inventory_name: string; reason: string}>
  ok: boolean
}
interface StatusJson {
  counts: Record<string, number>
  hosts: Array<{address: string; bundle: string; inventory_name: string; state: string}>
}

/** Three collected-shape bundles pushed to CASE/HOST/ and a signed run manifest, as fleet collect leaves them. */
async function fleetCase(bucket: string): Promise<{hosts: FleetManifestHost[]; keys: Record<string, string>}> {
  const hosts: FleetManifestHost[] = []
  const keys: Record<string, string> = {}
  for (const h of HOSTS) {
    const fixture = await buildBundle({name: `${CASE}_${h.host}_20260301T101500Z`, parent: t.work})
    const run = await pushBundles([fixture.tarball], {bucket, mode: 'governance', retainDays: 1})
    expect(run.failed).toEqual([])
    const pushed = run.pushed[0]
    keys[h.host] = pushed?.key ?? ''
    hosts.push({
      address: h.address, bundle: fixture.name, host: h.host, inventory_name: h.name, key: pushed?.key ?? null, note: 'pushed and proven',
      sha256: createHash('sha256').update(await readFile(fixture.tarball)).digest('hex'), state: 'done', version_id: pushed?.versionId ?? null,
    })
  }
  const started = new Date()
  const manifest = buildFleetManifest({bucket, case: CASE, ended: new Date(), hosts, run: newRunId(started), started, tool_version: '0.1.0'})
  const written = await writeFleetManifest(manifest, examiner, {
    bucket, client: t.direct, lock: {legalHold: false, mode: 'GOVERNANCE', retainUntil: new Date(Date.now() + 86_400_000)},
  })
  expect(written.manifest.proof).toBe('etag-md5')
  expect(written.manifest.versionId).toBeTruthy()
  return {hosts, keys}
}

const verify = (bucket: string, extra: string[] = []) => runCli(['fleet', 'verify', '--case', CASE, '--bucket', bucket, '--mode', 'governance', '--json', ...extra], {env: t.s3.env})

beforeAll(async () => {
  Object.assign(process.env, t.s3.env)
  examinerPub = join(t.work, 'examiner.pub')
  await writeFile(examinerPub, examiner.publicKeyText)
  inventory = join(t.work, 'hosts.ini')
  await writeFile(inventory, `[web]\nweb1.example.org ansible_host=10.0.1.11\nweb2.example.org ansible_host=10.0.1.12\n[db]\ndb1 ansible_host=10.0.1.21\n`)
  inventoryPlusOne = join(t.work, 'hosts.yml')
  await writeFile(inventoryPlusOne, `all:\n  children:\n    web:\n      hosts:\n        web1.example.org: {ansible_host: 10.0.1.11}\n        web2.example.org: {ansible_host: 10.0.1.12}\n    db:\n      hosts:\n        db1: {ansible_host: 10.0.1.21}\n        db2: {ansible_host: 10.0.1.22}\n`)
})

describe('a fleet case in the bucket', () => {
  it('three host bundles and the signed manifest verify (exit 0); status shows every host done', async () => {
    const bucket = await t.lockedBucket('fleet-ok')
    await fleetCase(bucket)
    const result = await verify(bucket, ['--inventory', inventory, '--pub', examinerPub])
    expect(result.exitCode, result.stderr + result.stdout).toBe(0)
    const json = parseJson<VerifyJson>(result)
    expect(json.ok).toBe(true)
    expect(json.manifest.signature).toBe('ok')
    expect(json.manifest.signer.source).toBe('flag')
    expect(json.bundles.map((b) => [b.inventory_name, b.ok])).toEqual([['db1', true], ['web1.example.org', true], ['web2.example.org', true]])
    expect(json.missing).toEqual([])

    const status = await runCli(['fleet', 'status', '--case', CASE, '--bucket', bucket, '--inventory', inventory, '--json'], {env: t.s3.env})
    expect(status.exitCode, status.stderr).toBe(0)
    const rows = parseJson<StatusJson>(status)
    expect(rows.hosts.map((h) => [h.inventory_name, h.address, h.state])).toEqual([['db1', '10.0.1.21', 'done'], ['web1.example.org', '10.0.1.11', 'done'], ['web2.example.org', '10.0.1.12', 'done']])
    const table = await runCli(['fleet', 'status', '--case', CASE, '--bucket', bucket], {env: t.s3.env})
    expect(table.stdout).toMatch(/HOST\s+ADDRESS\s+STATE\s+TIME\s+BUNDLE\s+NOTE/)
    expect(table.stdout).toMatch(/web2\.example\.org\s+10\.0\.1\.12\s+done\s+\S+\s+IR-FLEET_web2_20260301T101500Z/)
  })

  it('an inventory host without a bundle is named (verify exit 3, status exit 6 with not-started)', async () => {
    const bucket = await t.lockedBucket('fleet-miss')
    await fleetCase(bucket)
    const result = await verify(bucket, ['--inventory', inventoryPlusOne, '--pub', examinerPub])
    expect(result.exitCode, result.stderr).toBe(3)
    const json = parseJson<VerifyJson>(result)
    expect(json.missing.map((m) => m.inventory_name)).toEqual(['db2'])
    expect(json.bundles.every((b) => b.ok)).toBe(true)
    const text = await runCli(['fleet', 'verify', '--case', CASE, '--bucket', bucket, '--mode', 'governance', '--inventory', inventoryPlusOne], {env: t.s3.env})
    expect(text.exitCode).toBe(3)
    expect(text.stdout).toContain('MISSING db2 (10.0.1.22): no bundle in the bucket')
    const status = await runCli(['fleet', 'status', '--case', CASE, '--bucket', bucket, '--inventory', inventoryPlusOne, '--json'], {env: t.s3.env})
    expect(status.exitCode).toBe(6)
    expect(parseJson<StatusJson>(status).hosts.find((h) => h.inventory_name === 'db2')?.state).toBe('not-started')
  })

  it('a tarball rewritten as a new version, and a rewritten manifest, are caught (exit 3)', async () => {
    const bucket = await t.lockedBucket('fleet-tamper')
    const {keys} = await fleetCase(bucket)
    // What the push credentials allow: a new version of web2's tarball (one byte changed in a copy).
    const original = await t.direct.send(new (await import('@aws-sdk/client-s3')).GetObjectCommand({Bucket: bucket, Key: keys.web2}))
    const bytes = Buffer.from(await original.Body?.transformToByteArray() ?? new Uint8Array())
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff
    await t.direct.send(new PutObjectCommand({Body: bytes, Bucket: bucket, ContentMD5: createHash('md5').update(bytes).digest('base64'), Key: keys.web2}))
    const first = parseJson<VerifyJson>(await verify(bucket, ['--pub', examinerPub]))
    expect(first.ok).toBe(false)
    const web2 = first.bundles.find((b) => b.host === 'web2')
    expect(web2?.ok).toBe(false)
    expect(web2?.problems.join('\n')).toMatch(/superseded/)
    expect(first.bundles.filter((b) => b.host !== 'web2').every((b) => b.ok)).toBe(true)

    // A rewritten manifest (new version of the same key) claiming another SHA-256: the locked first version is the one checked, and the rewrite is named.
    const listed = await runCli(['fleet', 'status', '--case', CASE, '--bucket', bucket, '--json'], {env: t.s3.env})
    const manifestKey = parseJson<{manifest: string}>(listed).manifest
    const manifest = await t.direct.send(new (await import('@aws-sdk/client-s3')).GetObjectCommand({Bucket: bucket, Key: manifestKey}))
    const forged = (await manifest.Body?.transformToString() ?? '').replace(/"sha256": "[0-9a-f]{64}"/, `"sha256": "${'0'.repeat(64)}"`)
    await t.direct.send(new PutObjectCommand({Body: forged, Bucket: bucket, ContentMD5: createHash('md5').update(forged).digest('base64'), Key: manifestKey}))
    const second = await verify(bucket, ['--pub', examinerPub])
    expect(second.exitCode).toBe(3)
    expect(parseJson<VerifyJson>(second).manifest.problems.join('\n')).toMatch(/newer version\(s\) with other content/)

    // A manifest signed by another key than the examiner's.
    const other = join(t.work, 'other.pub')
    await writeFile(other, createOneTimeSigner('x').publicKeyText)
    const third = parseJson<VerifyJson>(await verify(bucket, ['--pub', other]))
    expect(third.manifest.signature).toBe('wrong-key')
  })
})
