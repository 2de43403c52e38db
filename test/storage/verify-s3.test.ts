/** `verify s3://…` against the real local S3 server: a collected, pushed bundle verifies; weak or missing retention is exit 3. */
import {PutObjectCommand, type S3Client} from '@aws-sdk/client-s3'
import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
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
  publicKey: {path: string; source: string}
  warnings: string[]
}

interface Pushed {
  out: string
  receipt: string
  tarball: string
  url: string
}

async function collectAndPushTo(bucket: string, extra: string[], fromRoot = root): Promise<Pushed> {
  const out = await mkdtemp(join(work, 'out-'))
  const result = await runCli(['collect', '--case', 'IR-S3', '--root', fromRoot, '--out-dir', out, '--since', WINDOW_START, '--push', '--bucket', bucket, '--retain-days', '1', ...extra, '--json'], {env: s3.env})
  expect(result.exitCode, result.stderr).toBe(0)
  const json = parseJson<{push: {status: string; key: string}; tarball: string}>(result)
  expect(json.push.status).toBe('pushed')
  return {out, receipt: json.tarball.replace(/\.tar\.gz(\.age)?$/, '.push.json'), tarball: json.tarball, url: `s3://${bucket}/${json.push.key}`}
}

async function collectAndPush(bucket: string, extra: string[]): Promise<string> {
  return (await collectAndPushTo(bucket, extra)).url
}

/** What the push credentials allow: a new version on the same key, with its own retention. */
async function putNewVersion(bucket: string, key: string, body: Buffer): Promise<void> {
  await client.send(new PutObjectCommand({
    Body: body, Bucket: bucket, ContentMD5: createHash('md5').update(body).digest('base64'), Key: key,
    ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
  }))
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
    // The one-time key came from the bucket: named by its S3 key and version, never a vanished temporary path.
    expect(json.publicKey.source).toBe('bucket')
    expect(json.publicKey.path).toMatch(new RegExp(`^s3://${bucket}/IR-S3/.+\\.pub version \\S+ of \\d{4}-`))
    expect(json.warnings.join('\n')).toMatch(/same bucket.*not who signed it.*--pub/)
    const text = await runCli(['verify', url, '--mode', 'governance'], {env: s3.env})
    expect(text.exitCode, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^public key: s3:\/\/.+\.pub version .+ from the same bucket\)$/m)
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/hipaa-ir-verify-|\/tmp\//)
  })

  it('security H5: new versions of the tarball, .sig and .pub uploaded with the push credentials are superseded (exit 3); the pushed version is the one verified', async () => {
    const bucket = uniqueBucket('vnew')
    await createBucket(client, bucket, true)
    buckets.push(bucket)
    const pushed = await collectAndPushTo(bucket, ['--mode', 'governance'])
    const receiptText = await readFile(pushed.receipt, 'utf8')
    const receipt = JSON.parse(receiptText) as {objects: Record<string, {key: string; versionId: string}>}
    expect(Object.keys(receipt.objects).sort()).toEqual(['custody', 'pub', 'sig', 'tarball'])
    for (const object of Object.values(receipt.objects)) expect(object.versionId).toMatch(/\S/)

    // The attacker's bundle: collected from an altered root (one auth line gone), signed by its own one-time key.
    const altered = join(work, 'root-altered')
    await buildFixtureRoot(altered, {layout: 'debian'})
    const auth = join(altered, 'var/log/auth.log')
    await writeFile(auth, (await readFile(auth, 'utf8')).split('\n').slice(1).join('\n'))
    const forged = await collectAndPushTo(bucket, ['--mode', 'governance', '--prefix', 'scratch'], altered)
    const key = pushed.url.replace(`s3://${bucket}/`, '')
    const forgedName = forged.tarball.replace(/\.tar\.gz$/, '')
    await putNewVersion(bucket, key, await readFile(forged.tarball))
    await putNewVersion(bucket, `${key}.sig`, await readFile(`${forged.tarball}.sig`))
    await putNewVersion(bucket, key.replace(/\.tar\.gz$/, '.pub'), await readFile(`${forgedName}.pub`))

    const result = await runCli(['verify', pushed.url, '--mode', 'governance', '--json'], {env: s3.env})
    expect(result.exitCode, result.stdout).toBe(3)
    const json = parseJson<VerifyJson>(result)
    const superseded = json.problems.filter((p) => p.kind === 'superseded')
    expect(superseded.map((p) => p.path).sort()).toEqual([key, `${key}.sig`, key.replace(/\.tar\.gz$/, '.pub')].sort())
    const tarballProblem = superseded.find((p) => p.path === key)?.detail ?? ''
    // Both VersionIds and both dates are named.
    expect(tarballProblem).toContain(receipt.objects.tarball?.versionId)
    expect(tarballProblem.match(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/g)).toHaveLength(2)
    // The pushed bytes themselves are intact: the only problems are the newer versions.
    expect(json.problems.every((p) => p.kind === 'superseded')).toBe(true)

    // With the receipt (given, or found in the current folder) the recorded versions are verified: same finding.
    const withReceipt = await runCli(['verify', pushed.url, '--mode', 'governance', '--receipt', pushed.receipt, '--json'], {env: s3.env})
    expect(withReceipt.exitCode).toBe(3)
    expect(parseJson<VerifyJson>(withReceipt).warnings.join('\n')).toContain('push receipt')
    const found = await runCli(['verify', pushed.url, '--mode', 'governance'], {cwd: pushed.out, env: s3.env})
    expect(found.exitCode).toBe(3)
    expect(found.stdout).toMatch(/^superseded +\S+\.tar\.gz: version \S+ \(.+\) was written after the verified version/m)
    expect(found.stderr).toContain(`push receipt ${pushed.receipt}`)
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
