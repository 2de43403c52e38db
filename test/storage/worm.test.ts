/** WORM push against the real local S3 server (Ceph RGW from scripts/local-s3.sh). */
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client,
} from '@aws-sdk/client-s3'
import {execa} from 'execa'
import {readFile, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {pushBundles} from '../../src/storage/push-run.js'
import {downloadAndCheckRetention} from '../../src/storage/verify-remote.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {
  clientFor, createBucket, emptyBucket, listVersions, makeBundle, startLocalS3, uniqueBucket, type LocalS3,
} from './local-s3.js'
import {makeTempDir} from '../helpers/temp.js'

let s3: LocalS3
let client: S3Client
let work: string
let keyFile: string
const buckets: string[] = []

async function bucket(label: string, locked = true): Promise<string> {
  const name = uniqueBucket(label)
  await createBucket(client, name, locked)
  buckets.push(name)
  return name
}

interface PushJson {
  pushed: Array<{bucket: string; custodyRecorded: boolean; key: string; mode: string; multipart: boolean; objects: Record<string, {key: string; versionId: string}>; retainUntil: string; sha256: string; versionId: string}>
}

beforeAll(async () => {
  s3 = await startLocalS3()
  client = clientFor(s3)
  work = await makeTempDir('hipaa-ir-worm-')
  await runCli(['keys', 'generate', '--out-dir', join(work, 'keys')])
  keyFile = join(work, 'keys', 'hipaa-ir.sec')
})

afterAll(async () => {
  for (const b of buckets) await emptyBucket(client, b).catch(() => undefined)
  if (work !== undefined) await rm(work, {force: true, recursive: true})
})

describe('push to a locked bucket', () => {
  it('uploads, reads back on the VersionId, records custody, and marks the bundle pushed', async () => {
    const b = await bucket('rt')
    const tarball = await makeBundle(join(work, 'rt'), 'IR-7_web1_20260301T101500Z', 4096)
    const result = await runCli(['push', tarball, '--bucket', b, '--prefix', 'evidence', '--mode', 'governance', '--retain-days', '1', '--key', keyFile, '--json'], {env: s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const [pushed] = parseJson<PushJson>(result).pushed
    expect(pushed?.key).toBe('evidence/IR-7/web1/IR-7_web1_20260301T101500Z.tar.gz')
    expect(pushed?.mode).toBe('GOVERNANCE')
    expect(pushed?.custodyRecorded).toBe(true)
    expect(result.stdout).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY)
    expect(result.stderr).not.toContain(s3.env.AWS_SECRET_ACCESS_KEY)

    // Retention as the server reports it, on the exact version.
    const head = await client.send(new HeadObjectCommand({Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId}))
    expect(head.ObjectLockMode).toBe('GOVERNANCE')
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(pushed?.retainUntil)
    const dayAhead = Date.now() + 86_400_000
    expect(Math.abs((head.ObjectLockRetainUntilDate?.getTime() ?? 0) - dayAhead)).toBeLessThan(120_000)
    expect(head.ContentLength).toBe((await stat(tarball)).size)
    expect(Object.keys(pushed?.objects ?? {}).sort()).toEqual(['custody', 'sig', 'tarball'])

    const state = JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as Record<string, unknown>
    expect(state).toMatchObject({bucket: b, mode: 'GOVERNANCE', status: 'pushed', versionId: pushed?.versionId})
    expect((await stat(tarball.replace(/\.tar\.gz$/, '.push.json'))).mode & 0o777).toBe(0o600)

    // The custody sidecar in the bucket carries the signed retention-verified event with the VersionId.
    const custody = await client.send(new GetObjectCommand({Bucket: b, Key: pushed?.objects.custody?.key}))
    const line = JSON.parse((await custody.Body?.transformToString() ?? '').trim().split('\n').pop() ?? '{}') as Record<string, string>
    expect(line.action).toBe('retention-verified')
    expect(line.note).toContain(pushed?.versionId)
    // security H5: the signed event names the VersionId of every object uploaded before it; the receipt names all of them.
    expect(line.note).toContain(`.sig version ${pushed?.objects.sig?.versionId}`)
    const objects = (state as {objects: Record<string, {versionId?: string}>}).objects
    for (const role of ['tarball', 'sig', 'custody']) expect(objects[role]?.versionId, role).toMatch(/\S/)
    expect(line.bundle_sha256).toBe(pushed?.sha256)
    expect(line.sig).toMatch(/^[A-Za-z0-9+/]+=*$/)

    // A second push does nothing new: the bundle is already proven.
    const again = await runCli(['push', tarball, '--bucket', b, '--json'], {env: s3.env})
    expect(again.exitCode).toBe(0)
    expect((await listVersions(client, b)).versions).toHaveLength(3)
  })

  it('COMPLIANCE: deleting the locked version is refused; a plain delete only adds a marker', async () => {
    const b = await bucket('cmp')
    const tarball = await makeBundle(join(work, 'cmp'), 'IR-8_db1_20260302T000000Z', 1024)
    // Short retention: long enough to prove the refusal, gone soon after on this throw-away server.
    const run = await pushBundles([tarball], {bucket: b, client, retainUntil: new Date(Date.now() + 120_000).toISOString()})
    const pushed = run.pushed[0]
    expect(pushed?.mode).toBe('COMPLIANCE')
    const key = pushed?.key as string
    const versionId = pushed?.versionId as string

    await expect(client.send(new DeleteObjectCommand({BypassGovernanceRetention: true, Bucket: b, Key: key, VersionId: versionId})))
      .rejects.toMatchObject({$metadata: {httpStatusCode: 403}})
    const marker = await client.send(new DeleteObjectCommand({Bucket: b, Key: key}))
    expect(marker.DeleteMarker).toBe(true)
    const {markers, versions} = await listVersions(client, b)
    expect(markers.map((m) => m.Key)).toContain(key)
    expect(versions.some((v) => v.VersionId === versionId)).toBe(true)
    const body = await client.send(new GetObjectCommand({Bucket: b, Key: key, VersionId: versionId}))
    expect(Buffer.from(await body.Body?.transformToByteArray() ?? []).equals(await readFile(tarball))).toBe(true)
  })

  it('refuses a bucket without Object Lock with exit 5, writes nothing, and keeps the bundle pending', async () => {
    const b = await bucket('plain', false)
    const tarball = await makeBundle(join(work, 'plain'), 'IR-9_app1_20260303T000000Z', 512)
    const result = await runCli(['push', tarball, '--bucket', b], {env: s3.env})
    expect(result.exitCode).toBe(5)
    expect(result.stderr).toContain('has no Object Lock')
    expect(result.stderr).toContain('--object-lock-enabled-for-bucket')
    const {markers, versions} = await listVersions(client, b)
    expect(versions).toEqual([])
    expect(markers).toEqual([])
    const state = JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {lastError: string; status: string}
    expect(state.status).toBe('pending')
    expect(state.lastError).toContain('no Object Lock')
    await expect(stat(tarball)).resolves.toBeTruthy()
  })

  it('multipart above the part size, with retention in force on the completed object', async () => {
    const b = await bucket('mp')
    const tarball = await makeBundle(join(work, 'mp'), 'IR-10_big1_20260304T000000Z', 12 * 1024 * 1024)
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--legal-hold', '--part-size', '5', '--json'], {env: s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const [pushed] = parseJson<PushJson>(result).pushed
    expect(pushed?.multipart).toBe(true)
    const head = await client.send(new HeadObjectCommand({Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId}))
    expect(head.ObjectLockMode).toBe('GOVERNANCE')
    expect(head.ObjectLockLegalHoldStatus).toBe('ON')
    expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now() + 86_000_000)
    expect(head.ETag).toMatch(/-3"$/)
    // Legal hold blocks even a governance bypass.
    await expect(client.send(new DeleteObjectCommand({BypassGovernanceRetention: true, Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId})))
      .rejects.toMatchObject({$metadata: {httpStatusCode: 403}})
  })
})

describe('downloadAndCheckRetention (verify s3://)', () => {
  it('downloads an intact locked object with its .sig and reports no problems', async () => {
    const b = await bucket('vr')
    const tarball = await makeBundle(join(work, 'vr'), 'IR-11_web2_20260305T000000Z', 2048)
    const run = await pushBundles([tarball], {bucket: b, client, mode: 'governance', retainDays: 1})
    const check = await downloadAndCheckRetention(`s3://${b}/${run.pushed[0]?.key}`, {client, requiredMode: 'governance'})
    expect(check.problems).toEqual([])
    expect(check.retention.mode).toBe('GOVERNANCE')
    expect(check.versionId).toBe(run.pushed[0]?.versionId)
    expect((await readFile(check.localTarball)).equals(await readFile(tarball))).toBe(true)
    expect(check.sigPath).not.toBeNull()
    expect((await readFile(check.sigPath as string)).equals(await readFile(`${tarball}.sig`))).toBe(true)
    // The stricter default (COMPLIANCE) is not met by a GOVERNANCE object.
    const strict = await downloadAndCheckRetention(`s3://${b}/${run.pushed[0]?.key}`, {client})
    expect(strict.problems.map((p) => p.detail).join('\n')).toContain('expected COMPLIANCE')
    await rm(check.downloadDir, {force: true, recursive: true})
    await rm(strict.downloadDir, {force: true, recursive: true})
  })

  it('reports an object without retention and a missing .sig', async () => {
    const b = await bucket('nolock', false)
    const tarball = await makeBundle(join(work, 'nolock'), 'IR-12_web3_20260306T000000Z', 2048)
    const run = await pushBundles([tarball], {allowUnlocked: true, bucket: b, client})
    expect(run.locked).toBe(false)
    const key = run.pushed[0]?.key as string
    await client.send(new DeleteObjectCommand({Bucket: b, Key: `${key}.sig`}))
    const check = await downloadAndCheckRetention(`s3://${b}/${key}`, {client})
    expect(check.retention.mode).toBeNull()
    expect(check.problems).toContainEqual(expect.objectContaining({detail: expect.stringContaining('no Object Lock retention'), kind: 'retention'}))
    expect(check.problems).toContainEqual(expect.objectContaining({detail: expect.stringContaining('missing from the bucket'), kind: 'missing', path: expect.stringMatching(/\.sig$/)}))
    await rm(check.downloadDir, {force: true, recursive: true})
  })
})

describe('local-s3.sh', () => {
  it('is idempotent: a second start while up reuses the running server and the same credentials', async () => {
    const out = await execa('bash', ['scripts/local-s3.sh', 'start', s3.dir], {cwd: join(import.meta.dirname, '../..')})
    expect(out.stdout).toContain(`export AWS_ENDPOINT_URL_S3=${s3.env.AWS_ENDPOINT_URL_S3}`)
    expect(out.stdout).toContain(`export AWS_ACCESS_KEY_ID=${s3.env.AWS_ACCESS_KEY_ID}`)
    expect((await stat(join(s3.dir, 'env'))).mode & 0o777).toBe(0o600)
  })
})
