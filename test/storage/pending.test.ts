/** Outage then recovery: `collect --push` while the server is down (exit 5, pending), restart, `push --pending` (exit 0, verified). */
import {HeadObjectCommand} from '@aws-sdk/client-s3'
import {readFile, rm, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {clientFor, createBucket, startLocalS3, stopLocalS3, type LocalS3} from './local-s3.js'
import {makeTempDir} from '../helpers/temp.js'

// Its own server (own folder and ports), since this test stops it while other test files run.
const dir = join(projectRoot, '.s3', 'pending-test')
const ports = {mon: 40889, s3: 7490}
let s3: LocalS3
let work: string

beforeAll(async () => {
  s3 = await startLocalS3(dir, ports)
  work = await makeTempDir('hipaa-ir-pending-')
})

afterAll(async () => {
  await stopLocalS3(dir, ports)
  if (work !== undefined) await rm(work, {force: true, recursive: true})
})

it('keeps a bundle pending through an outage and pushes it with --pending afterwards', async () => {
  const bucket = 'pending-evidence'
  await createBucket(clientFor(s3), bucket, true)
  const out = join(work, 'out')
  const root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})

  await stopLocalS3(dir, ports)
  const failed = await runCli(
    ['collect', '--case', 'IR-20', '--root', root, '--out-dir', out, '--since', WINDOW_START, '--push', '--bucket', bucket, '--mode', 'governance', '--retain-days', '1', '--json'],
    {env: s3.env},
  )
  expect(failed.exitCode, failed.stderr).toBe(5)
  const collected = parseJson<{tarball: string; push: {status: string; error: string}; warnings: string[]}>(failed)
  expect(collected.push.status).toBe('pending')
  // The warning gives the retry command with every setting collect was given; it is run as given below.
  const retry = collected.warnings.map((w) => /Retry with: (.+)$/.exec(w)?.[1]).find((c) => c !== undefined) as string
  expect(retry).toBe(`hipaa-ir push --pending --out-dir ${out} --bucket ${bucket} --mode governance --retain-days 1`)
  const tarball = collected.tarball
  const statePath = tarball.replace(/\.tar\.gz$/, '.push.json')
  expect(JSON.parse(await readFile(statePath, 'utf8'))).toMatchObject({status: 'pending'})
  await expect(stat(tarball)).resolves.toBeTruthy()

  // A fresh cluster: the bucket has to be made again (memstore keeps nothing across a restart).
  s3 = await startLocalS3(dir, ports)
  const client = clientFor(s3)
  await createBucket(client, bucket, true)
  const retried = await runCli([...retry.split(' ').slice(1), '--json'], {env: s3.env})
  expect(retried.exitCode, retried.stderr).toBe(0)
  const result = parseJson<{pushed: Array<{bundle: string; key: string; versionId: string}>}>(retried)
  expect(result.pushed.map((p) => p.bundle)).toEqual([tarball])
  const state = JSON.parse(await readFile(statePath, 'utf8')) as {status: string; verifiedAt: string; versionId: string}
  expect(state.status).toBe('pushed')
  expect(state.versionId).toBe(result.pushed[0]?.versionId)
  const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: result.pushed[0]?.key, VersionId: state.versionId}))
  expect(head.ObjectLockMode).toBe('GOVERNANCE')

  // Nothing is left pending afterwards.
  const idle = await runCli(['push', '--pending', '--out-dir', out, '--bucket', bucket, '--json'], {env: s3.env})
  expect(idle.exitCode).toBe(0)
  expect(parseJson<{pushed: unknown[]}>(idle).pushed).toEqual([])
})
