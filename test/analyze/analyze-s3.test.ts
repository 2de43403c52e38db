/**
 * `hipaa-ir analyze s3://BUCKET/CASE/` against the real local S3 server (scripts/local-s3.sh): two
 * hosts' bundles pushed by collect under CASE/HOST/ are listed, streamed down, verified (retention
 * included) and analyzed as one case.
 */
import type {S3Client} from '@aws-sdk/client-s3'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'
import {clientFor, createBucket, emptyBucket, startLocalS3, uniqueBucket, type LocalS3} from '../storage/local-s3.js'

let s3: LocalS3
let client: S3Client
let work: string
let pub: string
const bucket = uniqueBucket('analyze')

beforeAll(async () => {
  s3 = await startLocalS3()
  client = clientFor(s3)
  await createBucket(client, bucket, true)
  work = await makeTempDir('hipaa-ir-analyze-s3-')
  expect((await runCli(['keys', 'generate', '--out-dir', join(work, 'keys'), '--json'])).exitCode).toBe(0)
  pub = join(work, 'keys', 'hipaa-ir.pub')
  for (const [host, layout] of [['phi-db', 'debian'], ['phi-app', 'rhel']] as const) {
    const root = join(work, host)
    await buildFixtureRoot(root, {layout})
    await writeFile(join(root, 'etc/hostname'), `${host}\n`)
    const result = await runCli([
      'collect', '--case', 'IR-S3', '--root', root, '--out-dir', join(work, `out-${host}`), '--since', WINDOW_START, '--key', join(work, 'keys', 'hipaa-ir.sec'),
      '--push', '--bucket', bucket, '--retain-days', '1', '--mode', 'governance', '--json',
    ], {env: s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(parseJson<{push: {key: string}}>(result).push.key).toMatch(new RegExp(`^IR-S3/${host}/IR-S3_${host}_\\d{8}T\\d{6}Z\\.tar\\.gz$`))
  }
}, 300_000)

afterAll(async () => {
  await emptyBucket(client, bucket).catch(() => undefined)
})

describe('analyze s3://BUCKET/CASE/', () => {
  it('reads every bundle below the case prefix, verified, into one case', async () => {
    const out = join(work, 'analysis')
    const result = await runCli(['analyze', `s3://${bucket}/IR-S3/`, '--pub', pub, '--mode', 'governance', '--out-dir', out, '--json'], {env: s3.env})
    expect(result.exitCode, result.stderr).toBe(0)
    const json = parseJson<{case: string; bundles: Array<{host: string; target: string; verified: boolean}>; events: number}>(result)
    expect(json.case).toBe('IR-S3')
    expect(json.bundles.map((b) => [b.host, b.verified]).sort()).toEqual([['phi-app', true], ['phi-db', true]])
    for (const bundle of json.bundles) expect(bundle.target).toMatch(new RegExp(`^s3://${bucket}/IR-S3/${bundle.host}/IR-S3_${bundle.host}_.*\\.tar\\.gz$`))
    expect(json.events).toBeGreaterThan(10)
  }, 180_000)

  it('retention weaker than required is refused like verify does (exit 3)', async () => {
    const result = await runCli(['analyze', `s3://${bucket}/IR-S3/`, '--pub', pub, '--out-dir', join(work, 'refused')], {env: s3.env})
    expect(result.exitCode).toBe(3)
    expect(result.stderr).toContain('retention')
  }, 180_000)

  it('a prefix with no bundle is a usage error', async () => {
    const result = await runCli(['analyze', `s3://${bucket}/NO-SUCH-CASE/`, '--pub', pub, '--out-dir', join(work, 'none')], {env: s3.env})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('holds no bundle')
  })
})
