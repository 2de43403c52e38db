import {DeleteObjectCommand, GetObjectRetentionCommand, GetObjectTaggingCommand, type S3Client} from '@aws-sdk/client-s3'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DrillRunResult} from '../../src/drills/run-drill.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {clientFor, createBucket, emptyBucket, startLocalS3, uniqueBucket, type LocalS3} from '../storage/local-s3.js'
import {makeTempDir} from '../helpers/temp.js'

let s3: LocalS3
let client: S3Client
let bucket: string
let work: string

beforeAll(async () => {
  s3 = await startLocalS3()
  client = clientFor(s3)
  bucket = uniqueBucket('drill')
  await createBucket(client, bucket, true)
  work = await makeTempDir('drill-push-')
}, 300_000)

afterAll(async () => {
  await emptyBucket(client, bucket).catch(() => undefined)
  client.destroy()
  await rm(work, {force: true, recursive: true})
})

describe('drill run --push against the real local S3 with Object Lock', () => {
  it('puts the bundle under drills/SCENARIO/, GOVERNANCE for about a day, tagged drill=true, and it stays deletable', {timeout: 180_000}, async () => {
    const dir = join(work, 'run')
    const result = await runCli(['drill', 'run', 'ssh-credential-stuffing', '--out-dir', dir, '--push', '--bucket', bucket, '--json'], {env: s3.env})
    const out = parseJson<DrillRunResult>(result)
    expect(out.push_error).toBeNull()
    expect(result.exitCode).toBe(0)
    const push = out.push
    expect(push).not.toBeNull()
    if (push === null) return
    expect(push.prefix).toBe('drills/ssh-credential-stuffing')
    expect(push.mode).toBe('GOVERNANCE')
    expect(push.objects.length).toBeGreaterThanOrEqual(2)
    const dayish = Date.parse(push.retainUntil ?? '') - Date.now()
    expect(dayish).toBeGreaterThan(0)
    expect(dayish).toBeLessThanOrEqual(86_400_000 + 60_000)

    for (const object of push.objects) {
      expect(object.key.startsWith('drills/ssh-credential-stuffing/')).toBe(true)
      expect(object.tagged).toBe(true)
      const versionId = object.versionId ?? undefined
      const retention = await client.send(new GetObjectRetentionCommand({Bucket: bucket, Key: object.key, VersionId: versionId}))
      expect(retention.Retention?.Mode).toBe('GOVERNANCE')
      const tags = await client.send(new GetObjectTaggingCommand({Bucket: bucket, Key: object.key, VersionId: versionId}))
      expect(tags.TagSet).toContainEqual({Key: 'drill', Value: 'true'})
    }

    // Exercise data is never locked for years: GOVERNANCE lets an administrator remove it.
    const first = push.objects[0]
    if (first === undefined) return
    await client.send(new DeleteObjectCommand({BypassGovernanceRetention: true, Bucket: bucket, Key: first.key, VersionId: first.versionId ?? undefined}))

    const report = await readFile(out.report, 'utf8')
    expect(report).toContain('## WORM push (exercise)')
    expect(report).toContain('Never COMPLIANCE mode for a drill')
  })
})
