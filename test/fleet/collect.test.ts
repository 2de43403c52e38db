/**
 * `hipaa-ir fleet collect` / `fleet retry` on three namespaced lab hosts (scripts/fleet-lab.sh) with
 * the real release tarball and the real local S3 server: one host unreachable then retried, one that
 * cannot reach S3 (pending, then pushed on retry), the relay transport, and no S3 secret on any host's
 * disk or in any `ps` sample taken during the runs.
 */
import {HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client} from '@aws-sdk/client-s3'
import {execa} from 'execa'
import {readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {FleetResult} from '../../src/fleet/fleet-command.js'
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {sharedRelease} from '../helpers/release.js'
import {makeTempDir} from '../helpers/temp.js'
import {clientFor, createBucket, emptyBucket, startLocalS3, uniqueBucket, type LocalS3} from '../storage/local-s3.js'
import {startLab, type Lab} from './lab.js'

let s3: LocalS3
let client: S3Client
let bucket: string
let lab: Lab
let release: string
let work: string
const psSamples: string[] = []

beforeAll(async () => {
  // HIPAA_IR_FLEET_RELEASE: a release already built from this checkout (saves a build when iterating).
  const prebuilt = process.env.HIPAA_IR_FLEET_RELEASE
  const building = prebuilt === undefined ? sharedRelease().then((path) => ({stdout: path})) : Promise.resolve({stdout: prebuilt})
  s3 = await startLocalS3()
  client = clientFor(s3)
  bucket = uniqueBucket('fleet')
  await createBucket(client, bucket, true)
  lab = await startLab(3, Number(new URL(s3.env.AWS_ENDPOINT_URL_S3 as string).port))
  work = await makeTempDir('hipaa-ir-fleet-work-')
  release = (await building).stdout.trim().split('\n').at(-1) as string
}, 900_000)

afterAll(async () => {
  await lab?.down()
  await emptyBucket(client, bucket).catch(() => undefined)
  client?.destroy()
})

/** Runs the CLI while sampling every process's argv, as an onlooker on the machine would see them. */
async function fleet(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      psSamples.push((await execa('ps', ['-eo', 'args'], {reject: false})).stdout)
      await new Promise((r) => setTimeout(r, 150))
    }
  })()
  try {
    return await runCli(args, {cwd: work, env: {...s3.env, ...env}, timeoutMs: 600_000})
  } finally {
    sampling = false
    await sampler
  }
}

function common(caseId: string): string[] {
  return [
    '--inventory', lab.inventory, '--case', caseId, '--bucket', bucket, '--release', release,
    '--mode', 'governance', '--retain-days', '1', '--phi-dir', '/srv/phi', '--evidence-dir', '/srv/hipaa-ir', '--no-become', '--timeout', '5m',
  ]
}

function byHost(result: FleetResult): Record<string, FleetResult['hosts'][number]> {
  return Object.fromEntries(result.hosts.map((h) => [h.inventory_name, h]))
}

describe('fleet collect and fleet retry on three lab hosts', () => {
  it('collects: h1 done, h2 (no S3) pending with its bundle kept, h3 (unreachable) no-answer; exit 6', async () => {
    await lab.host('s3-off', 'h2')
    await lab.host('cut', 'h3')
    const run = await fleet(['fleet', 'collect', ...common('IR-FLEET-1'), '--json'])
    expect(run.exitCode, run.stderr).toBe(6)
    const result = parseJson<FleetResult>(run)
    const hosts = byHost(result)
    expect(hosts.h1).toMatchObject({address: '10.231.0.11', host: 'h1', state: 'done'})
    expect(hosts.h1?.bundle).toMatch(/^IR-FLEET-1_h1_\d{8}T\d{6}Z$/)
    expect(hosts.h1?.key).toBe(`IR-FLEET-1/h1/${hosts.h1?.bundle}.tar.gz`)
    const head = await client.send(new HeadObjectCommand({Bucket: bucket, Key: hosts.h1?.key as string, VersionId: hosts.h1?.version_id as string}))
    expect(head.ObjectLockMode).toBe('GOVERNANCE')
    expect(hosts.h2).toMatchObject({host: 'h2', state: 'pending'})
    expect(hosts.h2?.note).toMatch(/kept on the host/)
    expect(hosts.h3).toMatchObject({bundle: null, state: 'no-answer'})
    expect(result.manifest).toMatch(new RegExp(`^s3://${bucket}/IR-FLEET-1/_fleet/\\d{8}T\\d{6}Z-[0-9a-f]{6}/fleet-manifest\\.json$`))
    expect(result.retry).toMatch(/^hipaa-ir fleet retry --case IR-FLEET-1 --inventory \S+ --release \S+ --bucket /)
  }, 600_000)

  it('retries: only the hosts not done run; h2 pushes its kept bundle, h3 is collected; the table says so; exit 0', async () => {
    await lab.host('s3-on', 'h2')
    await lab.host('mend', 'h3')
    const run = await fleet(['fleet', 'retry', ...common('IR-FLEET-1')])
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[1]).toMatch(/^HOST\s+ADDRESS\s+STATE\s+TIME\s+BUNDLE\s+NOTE$/)
    for (const h of ['h1', 'h2', 'h3']) expect(run.stdout).toMatch(new RegExp(`^${h}\\s+10\\.231\\.0\\.1${h.slice(1)}\\s+done\\s+\\d+s\\s+IR-FLEET-1_${h}_`, 'm'))
    expect(run.stdout).toMatch(/^3 done$/m)
    expect(run.stdout).toMatch(/^all hosts done$/m)
    // Every bundle verifies from S3.
    for (const h of ['h1', 'h2', 'h3']) {
      const bundle = /IR-FLEET-1_h\d_\d{8}T\d{6}Z/.exec(lines.find((l) => l.startsWith(`${h} `)) as string)?.[0] as string
      const verify = await runCli(['verify', `s3://${bucket}/IR-FLEET-1/${h}/${bundle}.tar.gz`, '--mode', 'governance'], {env: s3.env})
      expect(verify.exitCode, verify.stderr).toBe(0)
    }
  }, 600_000)

  it('a retry with every host stored does nothing and says so', async () => {
    const run = await fleet(['fleet', 'retry', ...common('IR-FLEET-1')])
    expect(run.exitCode, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/nothing to retry/)
  }, 300_000)

  it('fleet verify passes on the case, and catches a tampered object (a newer version of h1\'s tarball)', async () => {
    const ok = await runCli(['fleet', 'verify', '--case', 'IR-FLEET-1', '--bucket', bucket, '--inventory', lab.inventory, '--mode', 'governance'], {env: s3.env})
    expect(ok.exitCode, `${ok.stdout}\n${ok.stderr}`).toBe(0)
    const listed = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: 'IR-FLEET-1/h1/'}))
    const key = listed.Contents?.map((o) => o.Key as string).find((k) => k.endsWith('.tar.gz')) as string
    await client.send(new PutObjectCommand({Body: 'not the evidence', Bucket: bucket, Key: key, ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000)}))
    const bad = await runCli(['fleet', 'verify', '--case', 'IR-FLEET-1', '--bucket', bucket, '--inventory', lab.inventory, '--mode', 'governance'], {env: s3.env})
    expect(bad.exitCode, bad.stdout).toBe(3)
    expect(`${bad.stdout}\n${bad.stderr}`).toMatch(/h1/)
  }, 300_000)

  it('relay: hosts with no S3 egress hand their bundle to the controller over SSH, which pushes it', async () => {
    // One host is enough here: an inventory of h2 alone, with the lab's connection variables.
    const inventory = join(work, 'relay.ini')
    await writeFile(inventory, (await readFile(lab.inventory, 'utf8')).split('\n').filter((l) => !/^h[13] /.test(l)).join('\n'))
    await lab.host('s3-off', 'h2')
    const relayDir = join(work, 'relay')
    const args = common('IR-FLEET-R')
    args[1] = inventory
    const run = await fleet(['fleet', 'collect', ...args, '--transport', 'relay', '--relay-dir', relayDir, '--json'])
    await lab.host('s3-on', 'h2')
    expect(run.exitCode, run.stderr).toBe(0)
    const h2 = byHost(parseJson<FleetResult>(run)).h2
    expect(h2?.state, h2?.note).toBe('done')
    expect((await stat(relayDir)).mode & 0o777).toBe(0o700)
    const files = await readdir(join(relayDir, 'h2'))
    expect(files).toEqual(expect.arrayContaining([`${h2?.bundle}.tar.gz`, `${h2?.bundle}.tar.gz.sig`, `${h2?.bundle}.push.json`]))
    for (const f of files) expect((await stat(join(relayDir, 'h2', f))).mode & 0o777, f).toBe(0o600)
    const verify = await runCli(['verify', `s3://${bucket}/${h2?.key}`, '--mode', 'governance'], {env: s3.env})
    expect(verify.exitCode, verify.stderr).toBe(0)
  }, 600_000)

  it('--canary 1 pauses the run when the canary is not stored: the other hosts are not-started; exit 6', async () => {
    await lab.host('cut', 'h1')
    const run = await fleet(['fleet', 'collect', ...common('IR-FLEET-C'), '--canary', '1', '--json'])
    await lab.host('mend', 'h1')
    expect(run.exitCode, run.stderr).toBe(6)
    const result = parseJson<FleetResult>(run)
    expect(result.paused).toBe(true)
    expect(result.hosts.map((h) => [h.inventory_name, h.state])).toEqual([['h1', 'no-answer'], ['h2', 'not-started'], ['h3', 'not-started']])
  }, 300_000)

  it('--timeout bounds each host\'s collection: a host that runs past it is failed (no bundle), named in the table; exit 6', async () => {
    const inventory = join(work, 'only-h1.ini')
    await writeFile(inventory, (await readFile(lab.inventory, 'utf8')).split('\n').filter((l) => !/^h[23] /.test(l)).join('\n'))
    const args = common('IR-FLEET-T').map((a) => (a === '5m' ? '1s' : a === lab.inventory ? inventory : a))
    const run = await fleet(['fleet', 'collect', ...args, '--json'])
    expect(run.exitCode, run.stderr).toBe(6)
    const result = parseJson<FleetResult>(run)
    expect(result.hosts.map((h) => [h.inventory_name, h.state])).toEqual([['h1', 'failed']])
    expect(result.hosts[0]?.bundle ?? null).toBeNull()
  }, 300_000)

  it('no S3 secret on any host\'s disk, nor in any process list sampled during the runs', async () => {
    const secret = s3.env.AWS_SECRET_ACCESS_KEY as string
    expect(secret.length).toBeGreaterThan(8)
    expect(psSamples.length).toBeGreaterThan(20)
    expect(psSamples.filter((s) => s.includes(secret))).toEqual([])
    for (const h of ['h1', 'h2', 'h3']) {
      const grep = await execa('grep', ['-r', '-l', '-F', secret, join(lab.dir, h)], {reject: false})
      expect(grep.stdout, `secret found on ${h}`).toBe('')
      expect(grep.exitCode).toBe(1)
    }
  })
})
