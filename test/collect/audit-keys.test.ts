import {appendFile, mkdtemp, readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface CollectJson {
  bundle_dir: string
  collectors: {counts?: Record<string, number>; degraded?: boolean; files: string[]; id: string; status: string}[]
}

/** One SYSCALL+PATH+EOE event; `key` is written as audit does: quoted, or hex with \x01 between several keys. */
function event(iso: string, serial: number, key: string, path: string): string {
  const stamp = `${Date.parse(iso) / 1000}.200:${serial}`
  const keyField = key.includes(',') ? Buffer.from(key.split(',').join('\u0001')).toString('hex').toUpperCase() : `"${key}"`
  return [
    `type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=87 success=yes exit=0 a0=7ffd a1=0 a2=0 a3=0 items=2 ppid=4100 pid=${serial + 5000} auid=1001 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=7 comm="rm" exe="/usr/bin/rm" subj=unconfined key=${keyField}`,
    `type=PATH msg=audit(${stamp}): item=0 name="${path}" inode=99 dev=fd:01 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=DELETE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=EOE msg=audit(${stamp}): `,
  ].join('\n')
}

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-audit-keys-')
})

async function collect(root: string, extra: string[], env: Record<string, string> = {}) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`)
  const result = await runCli(['collect', '--case', 'IR-TEST-1', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--collectors', 'audit', '--json', ...extra], {env})
  return {json: parseJson<CollectJson>(result), result}
}

describe('collect: the audit collector searches the hardening guide\'s keys and --audit-key (contract "More collectors")', () => {
  let root: string
  let withTool: Awaited<ReturnType<typeof collect>>
  let without: Awaited<ReturnType<typeof collect>>
  beforeAll(async () => {
    root = await mkdtemp(join(work, 'root-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    // Besides the fixture's phi_access (200, 300) and user_changes (250): a deletion under two keys,
    // a sudoers change, a key of the site's own (--audit-key) and one nobody asked for.
    await appendFile(join(root, 'var/log/audit/audit.log'), [
      event('2026-03-03T09:30:00Z', 400, 'phi_access,file_deletion', '/var/data/phi/patients.csv'),
      event('2026-03-03T09:31:00Z', 410, 'sudoers_changes', '/etc/sudoers'),
      event('2026-03-03T09:32:00Z', 420, 'ehr_export', '/srv/export/batch.csv'),
      event('2026-03-03T09:33:00Z', 430, 'unasked', '/tmp/x'),
    ].join('\n') + '\n')
    withTool = await collect(root, ['--audit-key', 'ehr_export'])
    without = await collect(root, ['--audit-key', 'ehr_export'], {PATH: '/usr/bin:/bin'})
  })

  it('through ausearch: every key found in the logs plus --audit-key, each event once with its key', async () => {
    expect(withTool.result.exitCode, withTool.result.stderr).toBe(0)
    const audit = withTool.json.collectors.find((c) => c.id === 'audit')
    expect(audit?.degraded).toBeUndefined()
    const events = (await readFile(join(withTool.json.bundle_dir, 'audit/events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as {key: string; keys: string[]; serial: number})
    expect(events.map((e) => [e.serial, e.key])).toEqual([
      [200, 'phi_access'], [300, 'phi_access'], [400, 'phi_access,file_deletion'], [250, 'user_changes'], [410, 'sudoers_changes'], [420, 'ehr_export'],
    ])
    expect(audit?.counts).toEqual({events: 6, keys: 5})
    const names = (await readdir(join(withTool.json.bundle_dir, 'audit'))).sort()
    expect(names).toEqual([
      'ehr_export.raw', 'ehr_export.txt', 'events.jsonl', 'file_deletion.raw', 'file_deletion.txt', 'phi_access.raw', 'phi_access.txt',
      'sudoers_changes.raw', 'sudoers_changes.txt', 'user_changes.raw', 'user_changes.txt',
    ])
    const deletion = await readFile(join(withTool.json.bundle_dir, 'audit/file_deletion.raw'), 'utf8')
    expect(deletion).toContain(':400)')
    expect(deletion).not.toContain(':200)')
    expect(await readFile(join(withTool.json.bundle_dir, 'audit/ehr_export.txt'), 'utf8')).toContain('key=ehr_export')
  })

  it('through hipaa-ir\'s own parser (no ausearch): the same events.jsonl, byte for byte, and the same raw records', async () => {
    expect(without.result.exitCode, without.result.stderr).toBe(0)
    expect(without.json.collectors.find((c) => c.id === 'audit')).toMatchObject({degraded: true, status: 'ok'})
    const a = await readFile(join(withTool.json.bundle_dir, 'audit/events.jsonl'), 'utf8')
    const b = await readFile(join(without.json.bundle_dir, 'audit/events.jsonl'), 'utf8')
    expect(b).toBe(a)
    for (const key of ['phi_access', 'file_deletion', 'user_changes', 'sudoers_changes', 'ehr_export']) {
      const serials = (text: string) => [...text.matchAll(/audit\(\d+\.\d+:(\d+)\)/g)].map((m) => m[1])
      const viaTool = await readFile(join(withTool.json.bundle_dir, `audit/${key}.raw`), 'utf8')
      const viaParser = await readFile(join(without.json.bundle_dir, `audit/${key}.raw`), 'utf8')
      expect(new Set(serials(viaParser)), key).toEqual(new Set(serials(viaTool)))
    }
  })

  it('refuses an --audit-key that is not a rule key, naming it', async () => {
    const bad = await runCli(['collect', '--case', 'IR-TEST-1', '--out-dir', join(work, 'never'), '--root', root, '--audit-key', '../x y'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--audit-key: "../x y" is not an audit rule key (1 to 31 letters, digits, _ or -)')
  })
})
