/**
 * The whole path on a built multi-host intrusion: brute force on web-1, a login there, a login from
 * web-1 to phi-db (lateral movement), then mass reads of patient files with tar on phi-db, while the
 * EHR's own service account keeps reading charts as it does every day. Both hosts are collected from
 * image roots, analyzed together with a patient map, and the facts draft is fed to timeline.
 */
import {mkdir, mkdtemp, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

const rfc = (iso: string) => iso.replace('Z', '.000000+00:00')
const at = (day: number, h: number, m: number, s = 0) => new Date(Date.UTC(2026, 2, day, h, m, s)).toISOString().replace('.000Z', 'Z')
const chart = (i: number) => `/var/data/phi/charts/MRN-${String(i).padStart(4, '0')}/note.txt`
const lab = (i: number) => `/var/data/phi/labs/MRN-${String(i).padStart(4, '0')}-cbc.csv`

let serial = 1000
function read(iso: string, path: string, who: {auid: number | 'unset'; uid: number; comm: string; exe: string}): string {
  const stamp = `${Date.parse(iso) / 1000}.000:${++serial}`
  const auid = who.auid === 'unset' ? 4294967295 : who.auid
  return [
    `type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=0 a3=0 items=1 ppid=4100 pid=${serial} auid=${auid} uid=${who.uid} gid=${who.uid} euid=${who.uid} suid=${who.uid} fsuid=${who.uid} egid=${who.uid} sgid=${who.uid} fsgid=${who.uid} tty=${who.auid === 'unset' ? '(none)' : 'pts0'} ses=${who.auid === 'unset' ? 4294967295 : 7} comm="${who.comm}" exe="${who.exe}" subj=unconfined key="phi_access"`,
    `type=PATH msg=audit(${stamp}): item=0 name="${path}" inode=${serial} dev=fd:01 mode=0100600 ouid=998 ogid=998 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=EOE msg=audit(${stamp}): `,
  ].join('\n')
}

const EHR = {auid: 'unset' as const, comm: 'ehr-server', exe: '/opt/ehr/bin/ehr-server', uid: 998}
const DEPLOY = {auid: 1001, comm: 'tar', exe: '/usr/bin/tar', uid: 1001}
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nehr:x:998:998:EHR service:/opt/ehr:/usr/sbin/nologin\ndeploy:x:1001:1001:Deploy:/home/deploy:/bin/bash\n'
const GROUP = 'root:x:0:\nehr:x:998:\ndeploy:x:1001:\nsudo:x:27:deploy\n'

async function put(root: string, path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), {recursive: true})
  await writeFile(join(root, path), text)
}

async function host(root: string, name: string, address: string, auth: string[], audit: string[]): Promise<void> {
  await put(root, 'etc/hostname', `${name}\n`)
  await put(root, 'etc/hosts', `127.0.0.1 localhost\n127.0.1.1 ${name}\n${address} ${name}.clinic.example ${name}\n`)
  await put(root, 'etc/timezone', 'UTC\n')
  await put(root, 'etc/passwd', PASSWD)
  await put(root, 'etc/group', GROUP)
  await put(root, 'var/log/auth.log', auth.map((l) => `${l}\n`).join(''))
  await put(root, 'var/log/audit/audit.log', audit.map((l) => `${l}\n`).join(''))
  await mkdir(join(root, 'var/data/phi'), {recursive: true})
}

let work: string
let out: string
let json: {
  bundles: {name: string; host: string; verified: boolean}[]
  events: number
  facts_draft: string | null
  findings: {rule: string; host: string; hosts?: string[]; user: string | null; ip: string | null; severity: string; first: string | null}[]
  scope: {start: string; end: string; accounts: string[]; sources: string[]; phi_files: number; individuals: number; by_state: Record<string, number>; phi_paths_file: string}
}
let facts: string

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-intrusion-')
  const web = await mkdtemp(join(work, 'web-1-'))
  const db = await mkdtemp(join(work, 'phi-db-'))
  const attacker = '203.0.113.50'
  // cron's hourly root session on each host, as any server logs, over the same days as the EHR's reads
  // below (February 27 to March 6).
  const cronHours = (Date.UTC(2026, 2, 7) - Date.UTC(2026, 1, 27)) / 3_600_000
  const cron = (name: string) => Array.from({length: cronHours}, (_, h) => {
    const when = new Date(Date.UTC(2026, 1, 27, h, 17)).toISOString().replace('.000Z', 'Z')
    return `${rfc(when)} ${name} CRON[${5000 + h}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`
  })
  const webAuth = [
    ...Array.from({length: 8}, (_, i) => `${rfc(at(3, 1, 40 + i))} web-1 sshd[${2000 + i}]: Failed password for deploy from ${attacker} port ${41000 + i} ssh2`),
    `${rfc(at(3, 1, 49))} web-1 sshd[2100]: Accepted password for deploy from ${attacker} port 41100 ssh2`,
    ...cron('web-1'),
  ].sort()
  await host(web, 'web-1', '10.10.0.11', webAuth, [])
  const dbAuth = [
    `${rfc(at(1, 8, 0))} phi-db sshd[900]: Accepted publickey for deploy from 10.10.0.5 port 50000 ssh2: ED25519 SHA256:ops`,
    `${rfc(at(3, 1, 55))} phi-db sshd[3100]: Accepted publickey for deploy from 10.10.0.11 port 52000 ssh2: ED25519 SHA256:stolen`,
    ...cron('phi-db'),
  ].sort()
  const audit: string[] = []
  // The EHR reads 150 charts every day at 08:00-08:30, before and during the incident.
  for (let day = 27; day <= 31 + 3; day++) {
    const d = day > 28 ? day - 28 : day
    const month = day > 28 ? 2 : 1
    for (let i = 0; i < 150; i++) audit.push(read(new Date(Date.UTC(2026, month, d, 8, Math.floor(i / 5), i % 60)).toISOString(), chart(i), EHR))
  }
  // deploy packs 100 charts and 20 lab files with tar between 02:00 and 02:12 on March 3.
  for (let i = 0; i < 100; i++) audit.push(read(at(3, 2, Math.floor(i / 10), i % 60), chart(i), DEPLOY))
  for (let i = 0; i < 20; i++) audit.push(read(at(3, 2, 11, i), lab(i), DEPLOY))
  audit.sort((a, b) => Number(/audit\((\d+)/.exec(a)?.[1]) - Number(/audit\((\d+)/.exec(b)?.[1]))
  await host(db, 'phi-db', '10.10.0.21', dbAuth, audit)
  out = join(work, 'bundles')
  for (const root of [web, db]) {
    const result = await runCli(['collect', '--case', 'IR-2026-031', '--out-dir', out, '--root', root, '--since', '2026-02-26T00:00:00Z', '--json'], {timeoutMs: 240_000})
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(0)
  }
  // 60 patients in CA, 30 in NV, 10 in TX; charts by folder glob, labs by exact path.
  const state = (i: number) => (i < 60 ? 'CA' : i < 90 ? 'NV' : 'TX')
  const rows = ['path,patient_id,state']
  for (let i = 0; i < 150; i++) rows.push(`/var/data/phi/charts/MRN-${String(i).padStart(4, '0')}/**,MRN-${i},${state(i % 100)}`)
  for (let i = 0; i < 20; i++) rows.push(`${lab(i)},MRN-${i},${state(i)}`)
  await writeFile(join(work, 'patients.csv'), `${rows.join('\n')}\n`)
  facts = join(work, 'facts-draft.yaml')
  const analysis = await runCli(['analyze', out, '--out-dir', join(work, 'analysis'), '--patient-map', join(work, 'patients.csv'), '--facts-out', facts, '--json'], {timeoutMs: 240_000})
  expect(analysis.exitCode, analysis.stderr).toBe(0)
  json = parseJson(analysis)
}, 600_000)

describe('analyze end to end: a multi-host intrusion', () => {
  it('verifies both bundles and loads both hosts into one case', () => {
    expect(json.bundles.map((b) => [b.host, b.verified]).sort()).toEqual([['phi-db', true], ['web-1', true]])
  })

  it('finds the brute force and login on web-1, the lateral movement to phi-db, and the mass read with tar', () => {
    const rules = (host: string) => json.findings.filter((f) => f.host === host).map((f) => f.rule)
    expect(rules('web-1')).toContain('auth.bruteforce-then-success')
    const lateral = json.findings.find((f) => f.rule === 'auth.lateral-movement')
    expect(lateral).toMatchObject({host: 'phi-db', hosts: ['web-1', 'phi-db'], ip: '10.10.0.11', user: 'deploy'})
    expect(rules('phi-db')).toEqual(expect.arrayContaining(['phi.mass-read', 'phi.exfil-tool']))
    // The EHR's service account reads charts every day: no finding names it.
    expect(json.findings.filter((f) => f.user === 'ehr')).toEqual([])
  })

  it('raises no high finding for the benign background: every high or critical finding lies in the intrusion', () => {
    // The background: the EHR's daily reads, cron's hourly root sessions, and deploy's daytime login on
    // March 1 from its own address.
    const serious = json.findings.filter((f) => f.severity === 'high' || f.severity === 'critical')
    expect(serious.length).toBeGreaterThan(0)
    for (const f of serious) expect(Date.parse(f.first ?? '') >= Date.parse(at(3, 1, 40)), `${f.rule} ${f.first}`).toBe(true)
  })

  it('draws the scope exactly: the intruder\'s 120 files, 100 people, by state', async () => {
    expect(json.scope).toMatchObject({
      accounts: ['deploy'],
      by_state: {CA: 60, NV: 30, TX: 10},
      individuals: 100,
      phi_files: 120,
    })
    expect(json.scope.sources).toEqual(expect.arrayContaining(['203.0.113.50', '10.10.0.11']))
    expect(json.scope.start).toBe('2026-03-03T01:40:00.000Z')
    expect(json.scope.end).toBe('2026-03-03T02:11:19.000Z')
    const listed = (await readFile(json.scope.phi_paths_file, 'utf8')).trim().split('\n').slice(1)
    expect(listed).toHaveLength(120)
  })

  it('writes a facts draft that timeline accepts, with the decisions left open', async () => {
    expect(json.facts_draft).toBe(facts)
    const draft = parse(await readFile(facts, 'utf8')) as Record<string, unknown>
    expect(draft).toMatchObject({affected: {CA: 60, NV: 30, TX: 10}, breach: {end: '2026-03-03', phi_types: ['lab-results', 'clinical-notes'], start: '2026-03-03'}, id: 'IR-2026-031'})
    expect(String(draft.discovered)).toMatch(/^\[\[DECIDE: /)
    const timeline = await runCli(['timeline', '--facts', facts, '--as-of', '2026-03-10', '--json'])
    expect(timeline.exitCode, timeline.stderr).toBe(0)
    const t = parseJson<{deadlines: {id: string}[]; warnings: string[]}>(timeline)
    expect(t.warnings[0]).toMatch(/^PROVISIONAL/)
    expect(t.deadlines.map((d) => d.id)).toEqual(expect.arrayContaining(['individuals', 'hhs-annual', 'state:CA:individuals']))
  })

  it('writes report.md and report.html with the findings, the evidence lines and one timeline across hosts', async () => {
    const files = await readdir(join(work, 'analysis'))
    expect(files).toEqual(expect.arrayContaining(['report.md', 'report.html', 'case.duckdb', 'events.parquet', 'timeline.csv', 'findings.json']))
    const html = await readFile(join(work, 'analysis', 'report.html'), 'utf8')
    expect(html).toContain('<svg')
    expect(html).toContain('auth.lateral-movement')
    expect(html).toContain('web-1 → phi-db')
    const md = await readFile(join(work, 'analysis', 'report.md'), 'utf8')
    expect(md).toMatch(/Individuals: \*\*100\*\*; by state: CA 60, NV 30, TX 10/)
    expect(md).toContain('Failed password for deploy from 203.0.113.50')
    expect(md).toContain('One story across phi-db, web-1: a finding crosses these hosts')
  })
})

describe('analyze --param: the rules\' parameters from the command line', () => {
  it('raises a threshold for one rule, and refuses a parameter no rule declares (exit 2)', async () => {
    const raised = await runCli(['analyze', out, '--out-dir', join(work, 'analysis-param'), '--param', 'phi.mass-read.threshold=1000', '--json'], {timeoutMs: 240_000})
    expect(raised.exitCode, raised.stderr).toBe(0)
    const rules = parseJson<typeof json>(raised).findings.map((f) => f.rule)
    expect(rules).not.toContain('phi.mass-read')
    expect(rules).toContain('phi.exfil-tool')
    const bad = await runCli(['analyze', out, '--out-dir', join(work, 'analysis-bad'), '--param', 'no.such-rule.threshold=1'])
    expect(bad.exitCode).toBe(2)
  }, 300_000)

  it('a --patient-map that is not there is exit 2 before any bundle is read, saying so and what to give', async () => {
    const missing = await runCli(['analyze', out, '--out-dir', join(work, 'analysis-nomap'), '--patient-map', join(work, 'no-such.csv')])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain(`--patient-map ${join(work, 'no-such.csv')}: no such file`)
    expect(missing.stderr).toContain('path,patient_id,state')
  })

  it('a HIPAA_IR_DUCKDB_MEMORY that is not a size is exit 2 before any bundle is read, naming it and an example', async () => {
    const bad = await runCli(['analyze', out, '--out-dir', join(work, 'analysis-badmem')], {env: {HIPAA_IR_DUCKDB_MEMORY: 'lots'}})
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('HIPAA_IR_DUCKDB_MEMORY="lots" is not a size')
    expect(bad.stderr).toContain('768MB or 2GB')
  })
})
