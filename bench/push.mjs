// Benchmark 6: push. `hipaa-ir push` of a 1 GiB bundle to a local Object Lock server (Ceph RGW,
// scripts/local-s3.sh) against `s3cmd put` of the same tarball, interleaved, plus `push --read-back`.
// hipaa-ir's figure is the whole command (start-up, preflight, upload of tarball and .sig with
// retention, proof of every object on its VersionId: by ETag by default, by a full download with
// --read-back, and NAME.push.json). s3cmd puts into a bucket without Object Lock (it cannot set
// retention), with its defaults (15 MiB parts, one at a time, MD5 of every part checked against the ETag).
// BENCH_PART_MIB overrides push's part size (for tuning).
// Needs a running server: scripts/local-s3.sh start (or BENCH_S3_ENV=path/to/env from another DIR).
// Usage: node bench/push.mjs [MIB]   (default 1024; quick: 64)
import {CreateBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, S3Client} from '@aws-sdk/client-s3'
import {existsSync} from 'node:fs'
import {link, mkdir, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {dataDir, interleave, measure, median, prng, projectRoot, quick, rounds, saveResults, summarize, waitForQuiet} from './lib.mjs'

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
  const tuning = process.env.BENCH_PART_MIB === undefined ? [] : ['--part-size', process.env.BENCH_PART_MIB]
  const ours = async (i, extra) => {
    await emptyBucket(client, BUCKET)
    await rm(run, {force: true, recursive: true})
    await mkdir(run, {recursive: true})
    for (const file of await readdir(dir)) if (file.startsWith(name)) await link(join(dir, file), join(run, file))
    return measure([process.execPath, join(projectRoot, 'bin', 'run.js'), 'push', join(run, `${name}.tar.gz`), '--bucket', BUCKET, '--prefix', `r${i}`,
      '--mode', 'governance', '--retain-days', '1', '--endpoint', env.AWS_ENDPOINT_URL_S3, '--json', ...tuning, ...extra], {env: childEnv, stdout: 'ignore'})
  }
  const s3cmd = async (i) => {
    await emptyBucket(client, PLAIN)
    return measure(['s3cmd', '--config', s3cfg, '--no-progress', 'put', tarball, `s3://${PLAIN}/r${i}/${name}.tar.gz`], {stdout: 'ignore'})
  }
  await waitForQuiet()
  // Interleaved: ours, s3cmd, ours --read-back, then again, so drift in the machine's load hits all three.
  const readBack = []
  const runs = await interleave(rounds, (i) => ours(i, []), async (i) => {
    const base = await s3cmd(i)
    readBack.push(await ours(i, ['--read-back']))
    return base
  })
  await emptyBucket(client, BUCKET)
  await emptyBucket(client, PLAIN)
  const result = summarize(`push ${mib} MiB bundle to the local Object Lock server`, runs, {mib})
  const readBackSide = summarize(`push --read-back ${mib} MiB bundle`, {baseline: runs.baseline, ours: readBack}, {mib})
  const wall = (xs) => median(xs.map((r) => r.wall))
  result.throughputMiBs = {baseline: mib / wall(runs.baseline), ours: mib / wall(runs.ours), oursReadBack: mib / wall(readBack)}
  result.throughputRatio = result.throughputMiBs.ours / result.throughputMiBs.baseline
  result.readBackRatio = result.throughputMiBs.oursReadBack / result.throughputMiBs.baseline
  result.readBack = readBackSide.ours
  console.log(`  throughput: hipaa-ir ${result.throughputMiBs.ours.toFixed(1)} MiB/s (proof by ETag), ${result.throughputMiBs.oursReadBack.toFixed(1)} MiB/s (--read-back); `
    + `s3cmd ${result.throughputMiBs.baseline.toFixed(1)} MiB/s; ratio ${result.throughputRatio.toFixed(2)}× (target ≥ 1.5×), with --read-back ${result.readBackRatio.toFixed(2)}×`)
  return [result]
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = Number(process.argv[2])
  await saveResults('push', await push(arg > 0 ? arg : quick ? 64 : 1024))
}
