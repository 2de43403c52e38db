/** Throttling, connection resets and resume, injected by an in-process proxy in front of the real server. */
import {HeadObjectCommand} from '@aws-sdk/client-s3'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {expect, it} from 'vitest'

import {pushBundles} from '../../src/storage/push-run.js'
import {startFaultProxy} from './fault-proxy.js'
import {clientFor, makeBundle} from './local-s3.js'
import {useS3Suite} from './s3-suite.js'

const MiB = 1024 * 1024
const fastRetry = {attempts: 4, baseDelayMs: 5, maxDelayMs: 20}
const t = useS3Suite('hipaa-ir-faults-')
const lockedBucket = t.lockedBucket

it('retries 503 SlowDown and connection resets, and still proves the upload', async () => {
  const bucket = await lockedBucket('flaky')
  const tarball = await makeBundle(join(t.work, 'flaky'), 'IR-30_web1_20260320T000000Z', 11 * MiB)
  // Every first try of each request is throttled; every PUT's second try is cut off mid-body.
  const tries = new Map<string, number>()
  t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) => {
    const id = `${req.method} ${req.url}`
    const n = (tries.get(id) ?? 0) + 1
    tries.set(id, n)
    if (n === 1) return 'slowdown'
    if (n === 2 && req.method === 'PUT') return 'reset'
    return 'pass'
  })
  const run = await pushBundles([tarball], {
    bucket, client: clientFor(t.s3, t.proxy.endpoint), mode: 'governance', partSize: 5 * MiB, retainDays: 1, retry: fastRetry,
  })
  expect(run.failed).toEqual([])
  const pushed = run.pushed[0]
  expect(pushed?.multipart).toBe(true)
  expect(t.proxy.seen.length).toBeGreaterThan(2 * tries.size - 1)
  const head = await t.direct.send(new HeadObjectCommand({Bucket: bucket, Key: pushed?.key, VersionId: pushed?.versionId ?? undefined}))
  expect(head.ObjectLockMode).toBe('GOVERNANCE')
  expect(head.ContentLength).toBe(pushed?.size)
})

it('gives up after the retry budget with exit-5 semantics, then resumes the multipart upload', async () => {
  const bucket = await lockedBucket('resume')
  const tarball = await makeBundle(join(t.work, 'resume'), 'IR-31_db1_20260321T000000Z', 16 * MiB)
  // Part 3 can never get through: the push fails, but parts 1, 2 (and 4) are on the server.
  t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) =>
    req.method === 'PUT' && /partNumber=3(&|$)/.test(req.url ?? '') ? 'reset' : 'pass')
  const options = {bucket, concurrency: 1, mode: 'governance', partSize: 5 * MiB, retainDays: 1, retry: fastRetry}
  const first = await pushBundles([tarball], {...options, client: clientFor(t.s3, t.proxy.endpoint)})
  expect(first.failed).toHaveLength(1)
  expect(first.failed[0]?.error).toContain('marked pending')
  const pending = JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {multipart?: {uploadId: string}; status: string}
  expect(pending.status).toBe('pending')
  expect(pending.multipart?.uploadId).toBeTruthy()
  await t.proxy.close()

  let partsSent = 0
  t.proxy = await startFaultProxy(t.s3.env.AWS_ENDPOINT_URL_S3 as string, (req) => {
    if (req.method === 'PUT' && /partNumber=/.test(req.url ?? '')) partsSent++
    return 'pass'
  })
  const second = await pushBundles([tarball], {...options, client: clientFor(t.s3, t.proxy.endpoint)})
  expect(second.failed).toEqual([])
  expect(second.pushed[0]?.resumedParts).toBe(2)
  expect(partsSent).toBe(2)
  const head = await t.direct.send(new HeadObjectCommand({Bucket: bucket, Key: second.pushed[0]?.key, VersionId: second.pushed[0]?.versionId ?? undefined}))
  expect(head.ObjectLockMode).toBe('GOVERNANCE')
  expect(head.ContentLength).toBe(second.pushed[0]?.size)
})
