// Benchmark 6: push. `hipaa-ir push` of a 1 GiB bundle to a local Object Lock server (Ceph RGW,
// scripts/local-s3.sh) against `s3cmd put` of the same tarball, interleaved. hipaa-ir's figure is the
// whole push (upload of tarball, .sig and .pub, retention, read-back of every object on its
// VersionId, state).
// Needs a running server: scripts/local-s3.sh start (or BENCH_S3_ENV=path/to/env from another DIR).
// Usage: node bench/push.mjs [MIB]   (default 1024; quick: 64)
import {CreateBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, S3Client} from '@aws-sdk/client-s3'
import {existsSync} from 'node:fs'
import {link, mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {dataDir, interleave, measure, prng, projectRoot, quick, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

const BUCKET = 'bench-worm'
const PLAIN = 'bench-plain'

async function serverEnv() {
  const file = process.env.BENCH_S3_ENV ?? join(projectRoot, '.s3', 'env')
  if (!existsSync(file)) throw new Error(`no ${file}: start a server with scripts/local-s3.sh start (or set BENCH_S3_ENV)`)
  const env = {}
  for (const m of (await readFile(file, 'utf8')).matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2]
  return env
}

/** A real sealed bundle around one incompressible file, so the tarball is about MIB MiB. */
export async function bundle(mib) {
  const dir = join(dataDir, `push-${mib}m`)
  const done = join(dir, '.ready')
  if (existsSync(done)) return {dir, name: (await readFile(done, 'utf8')).trim()}
  await rm(dir, {force: true, recursive: true})
  const name = 'BENCH_bench01_20260303T000000Z'
  const folder = join(dir, name, 'phi-files')
  await mkdir(folder, {recursive: true})
  const random = prng(99)
  const block = Buffer.alloc(8 * 1024 * 1024)
  const {createWriteStream} = await import('node:fs')
  const {once} = await import('node:events')
  const out = createWriteStream(join(folder, 'scan.bin'))
  for (let i = 0; i < mib / 8; i++) {
    for (let j = 0; j < block.length; j += 4) block.writeUInt32LE(Math.floor(random() * 2 ** 32), j)
    if (!out.write(Buffer.from(block))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  await measure([process.execPath, join(projectRoot, 'bench', 'drivers', 'seal.mjs'), join(dir, name), dir], {stdout: 'ignore'})
  await rm(join(dir, name), {force: true, recursive: true})
  await writeFile(done, name)
  return {dir, name}
}

async function emptyBucket(client, bucket) {
  const listed = await client.send(new ListObjectVersionsCommand({Bucket: bucket}))
  for (const v of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) {
    await client.send(new DeleteObjectCommand({Bucket: bucket, BypassGovernanceRetention: true, Key: v.Key, VersionId: v.VersionId}))
  }
}

export async function push(mib) {
  const env = await serverEnv()
  const client = new S3Client({credentials: {accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY}, endpoint: env.AWS_ENDPOINT_URL_S3, forcePathStyle: true, region: env.AWS_REGION})
  for (const [bucket, lock] of [[BUCKET, true], [PLAIN, false]]) {
    await client.send(new CreateBucketCommand({Bucket: bucket, ObjectLockEnabledForBucket: lock})).catch((error) => {
      if (!/BucketAlreadyOwnedByYou|BucketAlreadyExists/.test(error.name)) throw error
    })
  }
  const {dir, name} = await bundle(mib)
  const tarball = join(dir, `${name}.tar.gz`)
  const endpoint = new URL(env.AWS_ENDPOINT_URL_S3)
  const s3cfg = join(dataDir, 'push.s3cfg')
  await writeFile(s3cfg, [
    '[default]', `access_key = ${env.AWS_ACCESS_KEY_ID}`, `secret_key = ${env.AWS_SECRET_ACCESS_KEY}`, `host_base = ${endpoint.host}`,
    `host_bucket = ${endpoint.host}`, 'use_https = False', 'signature_v2 = False', `bucket_location = ${env.AWS_REGION}`, 'progress_meter = False', '',
  ].join('\n'), {mode: 0o600})
  const run = join(dataDir, 'out-push')
  const childEnv = {...process.env, ...env}
  await waitForQuiet()
  const runs = await interleave(
    rounds,
    async (i) => {
      await emptyBucket(client, BUCKET)
      await rm(run, {force: true, recursive: true})
      await mkdir(run, {recursive: true})
      for (const file of await readdir(dir)) if (file.startsWith(name)) await link(join(dir, file), join(run, file))
      return measure([process.execPath, join(projectRoot, 'bin', 'run.js'), 'push', join(run, `${name}.tar.gz`), '--bucket', BUCKET, '--prefix', `r${i}`,
        '--mode', 'governance', '--retain-days', '1', '--endpoint', env.AWS_ENDPOINT_URL_S3, '--json'], {env: childEnv, stdout: 'ignore'})
    },
    async (i) => {
      await emptyBucket(client, PLAIN)
      return measure(['s3cmd', '--config', s3cfg, '--no-progress', 'put', tarball, `s3://${PLAIN}/r${i}/${name}.tar.gz`], {stdout: 'ignore'})
    },
  )
  await emptyBucket(client, BUCKET)
  await emptyBucket(client, PLAIN)
  const result = summarize(`push ${mib} MiB bundle to the local Object Lock server`, runs, {mib})
  result.throughputMiBs = {baseline: mib / result.baseline.wall, ours: mib / result.ours.wall}
  result.throughputRatio = result.throughputMiBs.ours / result.throughputMiBs.baseline
  console.log(`  throughput: hipaa-ir ${result.throughputMiBs.ours.toFixed(1)} MiB/s (whole push incl. read-back), s3cmd ${result.throughputMiBs.baseline.toFixed(1)} MiB/s; ratio ${result.throughputRatio.toFixed(2)}× (target ≥ 2×)`)
  return [result]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2])
  await saveResults('push', await push(arg > 0 ? arg : quick ? 64 : 1024))
}
