import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {bundleAuditEvidence} from '../../../src/analyze/sigma/audit-files.js'
import {runSigma, type SigmaInput} from '../../../src/analyze/sigma/run.js'
import {makeTempDir} from '../../helpers/temp.js'
import {authRows, caseEvent, inlineRule, referenceRule} from './helpers.js'

const BUNDLE = 'IR-1_web1_20260303T000000Z'
const chattr = (serial: number, second: string, auid = 1000) => [
  `type=SYSCALL msg=audit(17725317${second}.100:${serial}): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=2 auid=${auid} uid=0 euid=0 comm="chattr" exe="/usr/bin/chattr" key="root_commands"`,
  `type=EXECVE msg=audit(17725317${second}.100:${serial}): argc=3 a0="chattr" a1="-i" a2="/srv/phi/a.csv"`,
  `type=PATH msg=audit(17725317${second}.100:${serial}): item=0 name="/usr/bin/chattr" nametype=NORMAL`,
  `type=EOE msg=audit(17725317${second}.100:${serial}):`,
].join('\n')

/** The audit/events.jsonl row of the same event, as the case database holds it. */
const summaryRow = (serial: number, second: string, bundle = BUNDLE) => caseEvent({
  auid: 1000, bundle, data: JSON.stringify({auid: '1000', comm: 'chattr', euid: '0', exe: '/usr/bin/chattr', key: 'root_commands', keys: ['root_commands'], paths: ['/usr/bin/chattr'], serial, source: '/var/log/audit/audit.log', success: true, time: new Date(Number(`17725317${second}.100`) * 1000).toISOString(), types: ['SYSCALL', 'EXECVE', 'PATH'], uid: '0'}),
  exe: '/usr/bin/chattr', kind: 'root_commands', ref: `audit/events.jsonl:${serial}`, source: 'audit',
})

async function bundleDir(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir('sigma-bundle-')
  await mkdir(join(dir, 'audit'))
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

async function* asyncOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item
}

describe('runSigma', () => {
  it('groups matches per rule and host: first, last, count of distinct events, user, paths, refs', async () => {
    const rule = await referenceRule('auditd/execve/lnx_auditd_chattr_immutable_removal.yml')
    // The same event under two keys (two files) counts once.
    const dir = await bundleDir({'audit/phi_access.raw': `${chattr(1, '01')}\n${chattr(2, '05')}\n`, 'audit/root_commands.raw': `${chattr(1, '01')}\n`})
    const evidence = bundleAuditEvidence({bundle: BUNDLE, dir, host: 'web1', verified: true})
    const {findings, read} = await runSigma([rule], evidence)
    expect(read.audit).toBe(3)
    expect(findings).toEqual([{
      count: 2, details: {author: rule.author, references: [...rule.references], status: rule.status}, first: '2026-03-03T09:55:01.100Z', host: 'web1',
      id: expect.stringMatching(/^[0-9a-f]{16}$/) as string, ip: null, last: '2026-03-03T09:55:05.100Z',
      paths: ['/usr/bin/chattr'], refs: [`${BUNDLE}/audit/phi_access.raw:1`, `${BUNDLE}/audit/phi_access.raw:5`, `${BUNDLE}/audit/root_commands.raw:1`], rule: rule.id,
      rule_file: 'auditd/execve/lnx_auditd_chattr_immutable_removal.yml', severity: 'medium', source: 'sigma', title: 'Remove Immutable File Attribute - Auditd', user: '1000',
    }])
    // The id is stable across runs of the same evidence.
    const again = await runSigma([rule], bundleAuditEvidence({bundle: BUNDLE, dir, host: 'web1', verified: true}))
    expect(again.findings[0]?.id).toBe(findings[0]?.id)
  })

  it('reads rows of the events table (auth lines), async or not, one finding per host, most severe first', async () => {
    const sshd = await referenceRule('builtin/sshd/lnx_sshd_susp_ssh.yml')
    const user = await referenceRule('builtin/lnx_privileged_user_creation.yml')
    const rows = authRows([
      'Mar  3 10:15:01 web1 sshd[2231]: Corrupted MAC on input. [preauth]',
      'Mar  3 10:16:01 db1 sshd[812]: Corrupted MAC on input. [preauth]',
      'Mar  3 10:17:01 web1 sshd[2240]: error in libcrypto',
      'Mar  3 10:18:00 web1 useradd[1337]: new user: name=john, UID=0, GID=0, home=/home/john, shell=/bin/bash',
      'Mar  3 10:19:00 web1 sshd[2241]: Accepted password for alice from 203.0.113.7 port 50522 ssh2',
    ])
    for (const input of [rows, asyncOf(rows)]) {
      const {findings, read} = await runSigma([sshd, user], input)
      expect(read.auth).toBe(5)
      expect(findings.map((f) => [f.title, f.host, f.count, f.severity, f.first, f.refs])).toEqual([
        ['Privileged User Has Been Created', 'web1', 1, 'high', '2026-03-03T10:18:00.000Z', [`${BUNDLE}/auth/events.jsonl:4`]],
        ['Suspicious OpenSSH Daemon Error', 'web1', 2, 'medium', '2026-03-03T10:15:01.000Z', [`${BUNDLE}/auth/events.jsonl:1`, `${BUNDLE}/auth/events.jsonl:3`]],
        ['Suspicious OpenSSH Daemon Error', 'db1', 1, 'medium', '2026-03-03T10:16:01.000Z', [`${BUNDLE}/auth/events.jsonl:2`]],
      ])
    }
  })

  it('uses audit rows rebuilt from events.jsonl only for a bundle without raw records, and marks unverified evidence', async () => {
    const rule = inlineRule('title: chattr by exe\nid: t-1\nlogsource: {product: linux, service: auditd}\nlevel: high\ndetection:\n  sel: {type: SYSCALL, exe|endswith: /chattr}\n  condition: sel\n')
    const dir = await bundleDir({'audit/phi_access.raw': chattr(1, '01')})
    const raw = [] as SigmaInput[]
    for await (const e of bundleAuditEvidence({bundle: BUNDLE, dir, host: 'web1', verified: true})) raw.push(e)
    // Bundle A: raw and rebuilt rows for the same event: one event, from the raw records.
    const a = await runSigma([rule], [summaryRow(1, '01'), ...raw])
    expect(a.findings.map((f) => [f.count, f.refs, f.unverified])).toEqual([[1, [`${BUNDLE}/audit/phi_access.raw:1`], undefined]])
    // Bundle B (unverified): rebuilt rows only, so they stand in.
    const other = 'IR-1_web1_20260304T000000Z'
    const b = await runSigma([rule], [{...summaryRow(7, '09', other), verified: false}])
    expect(b.findings.map((f) => [f.count, f.refs, f.unverified])).toEqual([[1, [`${other}/audit/events.jsonl:7`], true]])
    expect(b.read['audit-summary']).toBe(1)
  })

  it('ignores rows Sigma has nothing to read in, and reads no evidence for a missing audit folder', async () => {
    const rule = await referenceRule('builtin/lnx_file_copy.yml')
    const rows = [caseEvent({data: '{"path": "/srv/phi/a.csv"}', source: 'phi-files'}), caseEvent({data: 'not json', source: 'auth'}), caseEvent({data: '{"no": "raw"}', source: 'auth'})]
    expect(await runSigma([rule], rows)).toEqual({findings: [], read: {audit: 0, 'audit-summary': 0, auth: 0, 'shell-history': 0}})
    const empty = await makeTempDir('sigma-bundle-')
    const none = []
    for await (const e of bundleAuditEvidence({bundle: BUNDLE, dir: empty, host: 'web1', verified: true})) none.push(e)
    expect(none).toEqual([])
  })
})

describe('runSigma lists', () => {
  it('keeps the first 50 refs and paths and says how many there were', async () => {
    const rule = await referenceRule('auditd/execve/lnx_auditd_chattr_immutable_removal.yml')
    const text = Array.from({length: 60}, (_, i) => chattr(i + 1, '01').replace(/\/usr\/bin\/chattr"/g, `/usr/bin/chattr${i}"`)).join('\n')
    const dir = await bundleDir({'audit/phi_access.raw': text})
    const [finding] = (await runSigma([rule], bundleAuditEvidence({bundle: BUNDLE, dir, host: 'web1', verified: true}))).findings
    expect(finding?.count).toBe(60)
    expect(finding?.refs).toHaveLength(50)
    expect(finding?.refs_total).toBe(60)
    expect(finding?.paths).toHaveLength(50)
    expect(finding?.paths_total).toBe(60)
  })
})
