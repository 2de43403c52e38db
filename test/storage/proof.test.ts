/**
 * Push's proof without a read-back, on the real local S3 server (Ceph RGW): the server's ETag
 * against the MD5s of the bytes sent, for single-part and multipart uploads, and faults on top of
 * the real server (a proxy that changes an ETag, an SDK middleware that drops a part) that must
 * fail the push (exit 5) and keep the bundle pending. --read-back still works.
 */
import {GetObjectCommand, HeadObjectCommand} from '@aws-sdk/client-s3'
import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {pushBundles} from '../../src/storage/push-run.js'
import {multipartEtag} from '../../src/storage/upload.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {startFaultProxy} from './fault-proxy.js'
import {clientFor, makeBundle} from './local-s3.js'
import {useS3Suite} from './s3-suite.js'

const MiB = 1024 * 1024
const fastRetry = {attempts: 3, baseDelayMs: 5, maxDelayMs: 20}
const t = useS3Suite('hipaa-ir-proof-')
const lockedBucket = t.lockedBucket

interface PushJson {
  pushed: Array<{key: string; multipart: boolean; objects: Record<string, {proof: string; sha256: string; versionId: string}>; proof: string; sha256: string; versionId: string}>
}


const receipt = async (tarball: string) => JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {
  lastError?: string; objects?: Record<string, {proof?: string}>; proof?: string; status: string
}
const sha256Of = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex')

describe('proof by ETag (the default)', () => {
  it('single part: the ETag is the MD5 of the bytes sent; the receipt and --json name the proof', async () => {
    const b = await lockedBucket('single')
    const tarball = await makeBundle(join(t.work, 'single'), 'IR-40_web1_20260301T101500Z', 64 * 1024)
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--json'], {env: t.s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const [pushed] = parseJson<PushJson>(result).pushed
    expect(pushed?.multipart).toBe(false)
    expect(pushed?.proof).toBe('etag-md5')
    expect(pushed?.sha256).toBe(await sha256Of(tarball))
    expect(Object.values(pushed?.objects ?? {}).map((o) => o.proof)).toEqual(['etag-md5', 'etag-md5'])
    const head = await t.direct.send(new HeadObjectCommand({Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId}))
    expect(head.ETag).toBe(`"${createHash('md5').update(await readFile(tarball)).digest('hex')}"`)
    expect(await receipt(tarball)).toMatchObject({proof: 'etag-md5', status: 'pushed'})
  })

  it('multipart: the ETag is MD5(part MD5s)-N, and the bytes on the server are the local file', async () => {
    const b = await lockedBucket('multi')
    const tarball = await makeBundle(join(t.work, 'multi'), 'IR-41_db1_20260301T101500Z', 12 * MiB)
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--part-size', '5', '--json'], {env: t.s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const [pushed] = parseJson<PushJson>(result).pushed
    expect(pushed?.multipart).toBe(true)
    expect(pushed?.proof).toBe('etag-md5')
    const bytes = await readFile(tarball)
    const parts = [0, 1, 2].map((i) => createHash('md5').update(bytes.subarray(i * 5 * MiB, (i + 1) * 5 * MiB)).digest())
    const head = await t.direct.send(new HeadObjectCommand({Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId}))
    expect(head.ETag).toBe(`"${multipartEtag(parts)}"`)
    expect(head.ObjectLockMode).toBe('GOVERNANCE')
    const body = await t.direct.send(new GetObjectCommand({Bucket: b, Key: pushed?.key, VersionId: pushed?.versionId}))
    expect(createHash('sha256').update(await body.Body?.transformToByteArray() ?? new Uint8Array()).digest('hex')).toBe(await sha256Of(tarball))
    expect(pushed?.sha256).toBe(await sha256Of(tarball))
  })

  it('--read-back streams every object back and says so', async () => {
    const b = await lockedBucket('readback')
    const tarball = await makeBundle(join(t.work, 'readback'), 'IR-42_db2_20260301T101500Z', 7 * MiB)
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--part-size', '5', '--read-back', '--json'], {env: t.s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const [pushed] = parseJson<PushJson>(result).pushed
    expect(pushed?.multipart).toBe(true)
    expect(pushed?.proof).toBe('read-back')
    expect(await receipt(tarball)).toMatchObject({objects: {sig: {proof: 'read-back'}, tarball: {proof: 'read-back'}}, proof: 'read-back', status: 'pushed'})
  })
})

describe('what cannot be proven fails the push (exit 5, bundle pending)', () => {
  it('a part whose ETag is not the MD5 of the bytes sent', async () => {
    const b = await lockedBucket('badpart')
    const tarball = await makeBundle(join(t.work, 'badpart'), 'IR-43_web2_20260301T101500Z', 11 * MiB)
    t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) =>
      req.method === 'PUT' && /partNumber=2(&|$)/.test(req.url ?? '') ? 'corrupt-etag' : 'pass')
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--part-size', '5', '--endpoint', t.proxy.endpoint], {env: t.s3.env})
    expect(result.exitCode, result.stderr).toBe(5)
    expect(result.stderr).toMatch(/part 2 of .*the server's ETag is [0-9a-f]{32}, but the MD5 of the bytes sent is [0-9a-f]{32}/)
    expect(result.stderr).toContain('push --pending')
    expect(await receipt(tarball)).toMatchObject({status: 'pending'})
    expect((await receipt(tarball)).lastError).toMatch(/ETag/)
  })

  it('a single PUT whose stored object reports another ETag (HeadObject)', async () => {
    const b = await lockedBucket('badhead')
    const tarball = await makeBundle(join(t.work, 'badhead'), 'IR-44_web3_20260301T101500Z', 4096)
    t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) => (req.method === 'HEAD' ? 'corrupt-etag' : 'pass'))
    const result = await runCli(['push', tarball, '--bucket', b, '--mode', 'governance', '--retain-days', '1', '--endpoint', t.proxy.endpoint], {env: t.s3.env})
    expect(result.exitCode, result.stderr).toBe(5)
    expect(result.stderr).toMatch(/proof of s3:\/\/.*failed: the server's ETag is [0-9a-f]{32}, but the MD5 of the bytes sent give/)
    expect(await receipt(tarball)).toMatchObject({status: 'pending'})
  })

  it('multipart: a stored object whose ETag is not MD5(part MD5s)-N (HeadObject)', async () => {
    const b = await lockedBucket('badmulti')
    const tarball = await makeBundle(join(t.work, 'badmulti'), 'IR-46_db4_20260301T101500Z', 11 * MiB)
    t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) => (req.method === 'HEAD' ? 'corrupt-etag' : 'pass'))
    const run = await pushBundles([tarball], {bucket: b, client: clientFor(t.s3, t.proxy.endpoint), mode: 'governance', partSize: 5 * MiB, retainDays: 1, retry: fastRetry})
    expect(run.pushed).toEqual([])
    expect(run.failed[0]?.error).toMatch(/the server's ETag is [0-9a-f]{32}-3, but the MD5s of the parts of the bytes sent give [0-9a-f]{32}-3/)
    expect(await receipt(tarball)).toMatchObject({status: 'pending'})
  })

  it('a part dropped from CompleteMultipartUpload (an SDK middleware on the real server) never ends as pushed', async () => {
    const b = await lockedBucket('dropped')
    const tarball = await makeBundle(join(t.work, 'dropped'), 'IR-45_db3_20260301T101500Z', 12 * MiB)
    const client = clientFor(t.s3)
    let dropped = 0
    client.middlewareStack.add((next) => async (args) => {
      const input = args.input as {MultipartUpload?: {Parts?: unknown[]}}
      if (input.MultipartUpload?.Parts !== undefined) {
        input.MultipartUpload.Parts = input.MultipartUpload.Parts.slice(0, -1)
        dropped++
      }
      return next(args)
    }, {name: 'dropLastPart', step: 'initialize'})
    const run = await pushBundles([tarball], {bucket: b, client, mode: 'governance', partSize: 5 * MiB, retainDays: 1, retry: fastRetry})
    expect(dropped).toBeGreaterThan(0)
    expect(run.pushed).toEqual([])
    // RGW 16 refuses a completion that leaves out an uploaded part (InvalidPart); a server that took it would fail the proof on size and ETag.
    expect(run.failed[0]?.error).toMatch(/InvalidPart|the server holds \d+ bytes/)
    expect(run.failed[0]?.error).toContain('marked pending')
    expect(await receipt(tarball)).toMatchObject({status: 'pending'})
  })
})
