/** Test helpers: the real local S3 server (scripts/local-s3.sh), buckets, bundles, and cleanup. */
import {
  CreateBucketCommand, DeleteObjectCommand, ListObjectVersionsCommand, PutObjectLegalHoldCommand, type S3Client,
} from '@aws-sdk/client-s3'
import {execa} from 'execa'
import {randomBytes} from 'node:crypto'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createS3Client} from '../../src/storage/s3-client.js'
import {projectRoot} from '../helpers/cli.js'

export interface LocalS3 {
  dir: string
  env: Record<string, string>
}

const script = join(projectRoot, 'scripts/local-s3.sh')

/** Starts (or finds running) the server for DIR and returns the variables from DIR/env. Idempotent. */
export async function startLocalS3(dir = join(projectRoot, '.s3'), ports: {mon?: number; s3?: number} = {}): Promise<LocalS3> {
  await execa('bash', [script, 'start', dir], {env: portEnv(ports), stdout: 'ignore', timeout: 300_000})
  return {dir, env: await readEnvFile(join(dir, 'env'))}
}

export async function stopLocalS3(dir: string, ports: {mon?: number; s3?: number} = {}): Promise<void> {
  await execa('bash', [script, 'stop', dir], {env: portEnv(ports), timeout: 120_000})
}

function portEnv(ports: {mon?: number; s3?: number}): Record<string, string> {
  return {
    ...(ports.s3 === undefined ? {} : {S3_PORT: String(ports.s3)}),
    ...(ports.mon === undefined ? {} : {S3_MON_PORT: String(ports.mon)}),
  }
}

export async function readEnvFile(file: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {}
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line)
    if (match !== null) env[match[1] as string] = match[2] as string
  }
  return env
}

/** A client through the tool's own factory; credentials reach it the standard way, from the environment. */
export function clientFor(s3: LocalS3, endpoint = s3.env.AWS_ENDPOINT_URL_S3): S3Client {
  Object.assign(process.env, s3.env)
  return createS3Client({endpoint})
}

export function uniqueBucket(label: string): string {
  return `t-${label}-${randomBytes(4).toString('hex')}`
}

export async function createBucket(client: S3Client, bucket: string, locked: boolean): Promise<void> {
  await client.send(new CreateBucketCommand({Bucket: bucket, ObjectLockEnabledForBucket: locked}))
}

/** Every version and delete marker in the bucket. */
export async function listVersions(client: S3Client, bucket: string) {
  const out = await client.send(new ListObjectVersionsCommand({Bucket: bucket}))
  return {markers: out.DeleteMarkers ?? [], versions: out.Versions ?? []}
}

/** Removes what GOVERNANCE allows (legal hold off, bypass); COMPLIANCE versions stay until the throw-away server stops. */
export async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  const {markers, versions} = await listVersions(client, bucket)
  for (const v of [...versions, ...markers]) {
    await client.send(new PutObjectLegalHoldCommand({Bucket: bucket, Key: v.Key, LegalHold: {Status: 'OFF'}, VersionId: v.VersionId})).catch(() => undefined)
    await client.send(new DeleteObjectCommand({BypassGovernanceRetention: true, Bucket: bucket, Key: v.Key, VersionId: v.VersionId})).catch(() => undefined)
  }
}

/** A bundle-shaped tarball `DIR/NAME.tar.gz` (with NAME/manifest.json and incompressible data) and a `.sig` beside it. */
export async function makeBundle(dir: string, name: string, dataBytes: number): Promise<string> {
  const [caseId, host] = name.split('_') as [string, string]
  const folder = join(dir, 'src', name)
  await mkdir(folder, {recursive: true})
  await writeFile(join(folder, 'manifest.json'), JSON.stringify({case: caseId, host, name}))
  await writeFile(join(folder, 'data.bin'), randomBytes(dataBytes))
  const tarball = join(dir, `${name}.tar.gz`)
  await execa('tar', ['czf', tarball, '-C', join(dir, 'src'), name])
  await writeFile(`${tarball}.sig`, `untrusted comment: test signature\nRWQ${randomBytes(72).toString('base64')}\n`)
  return tarball
}

/** The buckets one test file makes, so afterAll can empty them (as far as their retention allows). */
export function testBuckets(client: () => S3Client) {
  const made: string[] = []
  return {
    async cleanup(): Promise<void> {
      for (const b of made.splice(0)) await emptyBucket(client(), b).catch(() => undefined)
    },
    async make(label: string, locked = true): Promise<string> {
      const name = uniqueBucket(label)
      await createBucket(client(), name, locked)
      made.push(name)
      return name
    },
  }
}
