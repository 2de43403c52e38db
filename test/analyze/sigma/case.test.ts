import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {type CaseDb, openCaseDb} from '../../../src/analyze/case-db.js'
import {eventColumns} from '../../../src/analyze/event.js'
import type {CaseEvent} from '../../../src/analyze/event.js'
import {caseEventRows, sigmaFindings, sigmaSkippedEntry} from '../../../src/analyze/sigma/case.js'
import {sqlString} from '../../../src/analyze/sql.js'
import {makeTempDir} from '../../helpers/temp.js'
import {authRows, caseEvent, SIGMA_REFERENCE} from './helpers.js'

let db: CaseDb | undefined
afterEach(() => {
  db?.close()
  db = undefined
})

function literal(value: CaseEvent[keyof CaseEvent]): string {
  if (value === null) return 'NULL'
  if (typeof value === 'boolean' || typeof value === 'number') return String(value)
  if (Array.isArray(value)) return `[${value.map((v) => sqlString(String(v))).join(', ')}]::VARCHAR[]`
  return sqlString(value as string)
}

async function caseDb(rows: readonly CaseEvent[]): Promise<CaseDb> {
  const work = await makeTempDir('sigma-case-')
  db = await openCaseDb(join(work, 'case.duckdb'))
  for (const row of rows) {
    const values = eventColumns.map((c) => (c === 'time' && row.time !== null ? `${sqlString(row.time)}::TIMESTAMPTZ` : literal(row[c])))
    await db.connection.run(`INSERT INTO events VALUES (${values.join(', ')})`)
  }
  return db
}

const BUNDLE = 'IR-1_web1_20260303T000000Z'

describe('sigmaFindings over a case database', () => {
  it('runs the community rules over auth rows, shell history and the bundle\'s raw audit records', async () => {
    const rows = [
      ...authRows(['Mar  3 10:18:00 web1 useradd[1337]: new user: name=john, UID=0, GID=0, home=/home/john, shell=/bin/bash', 'Mar  3 10:19:00 web1 sshd[2241]: Accepted password for alice from 203.0.113.7 port 50522 ssh2']).map((r) => ({...r, bundle: BUNDLE})),
      caseEvent({bundle: BUNDLE, data: JSON.stringify({command: 'history -c', n: 9, path: '/root/.bash_history', shell: 'bash', user: 'root'}), kind: 'command', ref: 'shell-history/history.jsonl:9', source: 'shell-history', time: null, user: 'root'}),
      caseEvent({bundle: BUNDLE, data: '{"path": "/srv/phi/a.csv"}', kind: 'file', ref: 'phi-files/recently-modified.jsonl:1', source: 'phi-files'}),
    ]
    const {connection} = await caseDb(rows)
    const read: CaseEvent[] = []
    for await (const row of caseEventRows(connection)) read.push(row)
    expect(read.map((r) => r.source).sort()).toEqual(['auth', 'auth', 'shell-history'])
    expect(read.find((r) => r.source === 'auth')?.time).toBe('2026-03-03T10:18:00.000Z')

    const dir = await makeTempDir('sigma-bundle-')
    await mkdir(join(dir, 'audit'))
    await writeFile(join(dir, 'audit', 'root_commands.raw'), [
      'type=SYSCALL msg=audit(1772531701.100:7): arch=c000003e syscall=59 success=yes exit=0 items=1 ppid=1 pid=2 auid=1000 uid=0 euid=0 comm="getcap" exe="/usr/sbin/getcap" key="root_commands"',
      'type=EXECVE msg=audit(1772531701.100:7): argc=3 a0="getcap" a1="-r" a2="/"',
      'type=EOE msg=audit(1772531701.100:7):',
    ].join('\n'))
    const out = await sigmaFindings({bundles: [{dir, name: BUNDLE, verified: false}], connection, dirs: [SIGMA_REFERENCE]})
    expect(out.rules).toBe(72)
    expect(out.skipped).toHaveLength(3)
    expect(out.read).toEqual({audit: 1, 'audit-summary': 0, auth: 2, 'shell-history': 1})
    // Worst first; a finding without a time after those with one.
    expect(out.findings.map((f) => [f.title, f.host, f.severity, f.refs, f.unverified ?? false])).toEqual([
      ['Privileged User Has Been Created', 'web1', 'high', [`${BUNDLE}/auth/events.jsonl:1`], false],
      ['Linux Command History Tampering', 'web1', 'high', [`${BUNDLE}/shell-history/history.jsonl:9`], false],
      ['Linux Capabilities Discovery', 'web1', 'low', [`${BUNDLE}/audit/root_commands.raw:1`], true],
    ])
    // The analysis window applies to the rows and the raw audit records; an event without a time is read.
    const late = await sigmaFindings({bundles: [{dir, name: BUNDLE, verified: true}], connection, dirs: [SIGMA_REFERENCE], since: '2026-03-03T10:18:30Z'})
    expect(late.read).toEqual({audit: 0, 'audit-summary': 0, auth: 1, 'shell-history': 1})
    const early = await sigmaFindings({bundles: [{dir, name: BUNDLE, verified: true}], connection, dirs: [SIGMA_REFERENCE], until: '2026-03-03T09:55:01.100Z'})
    expect(early.read).toEqual({audit: 1, 'audit-summary': 0, auth: 0, 'shell-history': 1})
  })

  it('lists skipped rules as sigma_skipped names them: rule (id, else file), file, id and title when known, reason', async () => {
    const {connection} = await caseDb([])
    const [clamav] = (await sigmaFindings({connection, dirs: [SIGMA_REFERENCE]})).skipped
    if (clamav === undefined) throw new Error('nothing skipped')
    expect(sigmaSkippedEntry(clamav)).toEqual({
      file: 'builtin/clamav/lnx_clamav_relevant_message.yml', id: '36aa86ca-fd9d-4456-814e-d3b1b8e1e0bb',
      reason: "logsource service 'clamav': hipaa-ir does not collect that log (supported: auditd, auth, sshd, sudo, cron, syslog, or none)",
      rule: '36aa86ca-fd9d-4456-814e-d3b1b8e1e0bb', title: 'Relevant ClamAV Message',
    })
    expect(sigmaSkippedEntry({file: 'x.yml', id: null, reason: 'not valid YAML: …', title: null})).toEqual({file: 'x.yml', reason: 'not valid YAML: …', rule: 'x.yml'})
  })

  it('lists a rule id already loaded from an earlier --sigma folder as skipped', async () => {
    const {connection} = await caseDb([])
    const out = await sigmaFindings({connection, dirs: [SIGMA_REFERENCE, join(SIGMA_REFERENCE, 'builtin', 'sshd')]})
    expect(out.rules).toBe(72)
    expect(out.skipped.filter((s) => /already loaded/.test(s.reason)).map((s) => s.file)).toEqual([`${join(SIGMA_REFERENCE, 'builtin', 'sshd')}/lnx_sshd_susp_ssh.yml`])
  })
})
