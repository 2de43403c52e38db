/** `verify s3://…` against the real local S3 server: a collected, pushed bundle verifies; weak or missing retention is exit 3. */
import type {S3Client} from '@aws-sdk/client-s3'
import {execa} from 'execa'
import {mkdtemp, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {clientFor, createBucket, emptyBucket, startLocalS3, uniqueBucket, type LocalS3} from './local-s3.js'
import {makeTempDir} from '../helpers/temp.js'

let s3: LocalS3
let client: S3Client
let work: string
let root: string
const buckets: string[] = []

interface VerifyJson {
  ok: boolean
  problems: {kind: string; path: string; detail: string}[]
  filesChecked: number
}

async function collectAndPush(bucket: string, extra: string[]): Promise<string> {
  const out = await mkdtemp(join(work, 'out-'))
  const result = await runCli(['collect', '--case', 'IR-S3', '--root', root, '--out-dir', out, '--since', WINDOW_START, '--push', '--bucket', bucket, '--retain-days', '1', ...extra, '--json'], {env: s3.env})
  expect(result.exitCode, result.stderr).toBe(0)
  const json = parseJson<{push: {status: string; key: string}}>(result)
  expect(json.push.status).toBe('pushed')
  return `s3://${bucket}/${json.push.key}`
}

beforeAll(async () => {
  s3 = await startLocalS3()
  client = clientFor(s3)
  work = await makeTempDir('hipaa-ir-verify-s3-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
})

afterAll(async () => {
  for (const b of buckets) await emptyBucket(client, b).catch(() => undefined)
  await rm(work, {force: true, recursive: true})
})

describe('verify s3://', () => {
  it('streams an intact locked object down and verifies it like a local bundle (exit 0)', async () => {
    const bucket = uniqueBucket('vok')
    await createBucket(client, bucket, true)
    buckets.push(bucket)
    const url = await collectAndPush(bucket, ['--mode', 'governance'])
    const result = await runCli(['verify', url, '--mode', 'governance', '--json'], {env: s3.env})
    expect(result.exitCode, result.stdout).toBe(0)
    const json = parseJson<VerifyJson>(result)
    expect(json.ok).toBe(true)
    expect(json.filesChecked).toBeGreaterThan(5)
  })

  it('pushes and verifies an age-encrypted bundle (NAME.tar.gz.age and its signature)', async () => {
    const bucket = uniqueBucket('venc')
    await createBucket(client, bucket, true)
    buckets.push(bucket)
    const key = join(work, 'age.key')
    await execa('age-keygen', ['-o', key])
    const recipient = (await execa('age-keygen', ['-y', key])).stdout.trim()
    const url = await collectAndPush(bucket, ['--mode', 'governance', '--encrypt-to', recipient])
    expect(url).toMatch(/\.tar\.gz\.age$/)
    const result = await runCli(['verify', url, '--mode', 'governance', '--json'], {env: s3.env})
    expect(result.exitCode, result.stdout).toBe(0)
  })

  it('exits 3 naming retention when the object is held in a weaker mode than required', async () => {
    const bucket = uniqueBucket('vweak')
    await createBucket(client, bucket, true)
    buckets.push(bucket)
    const url = await collectAndPush(bucket, ['--mode', 'governance'])
    const result = await runCli(['verify', url, '--json'], {env: s3.env})
    expect(result.exitCode).toBe(3)
    const json = parseJson<VerifyJson>(result)
    expect(json.problems.some((p) => p.kind === 'retention' && /GOVERNANCE/.test(p.detail))).toBe(true)
  })

  it('exits 3 naming retention for an object without any retention (unlocked bucket, drills only)', async () => {
    const bucket = uniqueBucket('vnone')
    await createBucket(client, bucket, false)
    buckets.push(bucket)
    const url = await collectAndPush(bucket, ['--allow-unlocked'])
    const result = await runCli(['verify', url, '--mode', 'governance', '--json'], {env: s3.env})
    expect(result.exitCode).toBe(3)
    expect(parseJson<VerifyJson>(result).problems.filter((p) => p.kind === 'retention').length).toBeGreaterThan(0)
  })
})
