import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {delimiter, join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {AuditEventAssembler, eventMatchesKey, type AuditEvent} from '../../../src/collectors/parsers/audit.js'
import {peerDataPath} from '../../helpers/peer-data.js'

/** The 37 public raw audit logs (go-libaudit, audit-userspace, laurel test data). */
const LOGS = ['audit-userspace', 'go-libaudit', 'laurel'].flatMap((set) => readdirSync(peerDataPath('audit', set)).sort().map((name) => `${set}/${name}`))

function assemble(text: string): AuditEvent[] {
  const assembler = new AuditEventAssembler('peer')
  const events: AuditEvent[] = []
  for (const line of text.split('\n')) events.push(...assembler.push(line))
  events.push(...assembler.flush())
  return events
}

const id = (event: AuditEvent) => `${event.time}:${event.serial}`
const fields = (event: AuditEvent) =>
  JSON.stringify({auid: event.auid, comm: event.comm, euid: event.euid, exe: event.exe, key: event.key, keys: event.keys, paths: event.paths, success: event.success, types: [...event.types].sort(), uid: event.uid})

/**
 * Debian's auditd installs ausearch in /usr/sbin, which a PATH without the sbin folders misses: then
 * every search would come back empty and look like a disagreement. Found on PATH or there, or the
 * test says what to install.
 */
function ausearchPath(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'].filter((d) => d !== '')
  const found = dirs.map((d) => join(d, 'ausearch')).find((candidate) => existsSync(candidate))
  if (found === undefined) throw new Error('ausearch is not installed: apt-get install auditd (.ci/apt-packages.txt lists it)')
  return found
}

describe('audit events: hipaa-ir\'s own parser on the raw log vs the real ausearch, on 37 public audit logs', () => {
  it('the fallback (raw log) and the ausearch path (`ausearch --raw` output) agree on 247 of 254 events; the 7 others are explained', () => {
    let total = 0
    let agree = 0
    const differing: string[] = []
    for (const log of LOGS) {
      const fromLog = assemble(readFileSync(peerDataPath('audit', ...log.split('/')), 'utf8'))
      const fromAusearch = assemble(readFileSync(peerDataPath('ausearch', ...log.split('/')).concat('.raw.txt'), 'utf8'))
      const byId = new Map<string, AuditEvent[]>()
      for (const event of fromAusearch) byId.set(id(event), [...(byId.get(id(event)) ?? []), event])
      for (const event of fromLog) {
        total++
        const other = byId.get(id(event))
        if (other?.length === 1 && fields(other[0] as AuditEvent) === fields(event)) agree++
        else differing.push(`${log} ${event.serial} ${other === undefined ? 'not in ausearch' : `${other.length} parts`}`)
      }
      for (const key of byId.keys()) if (!fromLog.some((event) => id(event) === key)) differing.push(`${log} ${key} only in ausearch`)
    }
    expect({agree, total}).toEqual({agree: 247, total: 254})
    expect(differing.sort()).toEqual([
      // Records sorted by type in this sample (not a real log order): both readers split serials 17 and 479.
      'go-libaudit/auparse_testdata_audit-rhel7.log 17 2 parts', 'go-libaudit/auparse_testdata_audit-rhel7.log 17 2 parts',
      'go-libaudit/auparse_testdata_audit-rhel7.log 479 2 parts', 'go-libaudit/auparse_testdata_audit-rhel7.log 479 2 parts', 'go-libaudit/auparse_testdata_audit-rhel7.log 479 2 parts',
      // AppArmor AVC lines, which ausearch skips as malformed; they carry no rule key.
      'go-libaudit/auparse_testdata_audit-ubuntu16.log 61207 not in ausearch', 'laurel/record-avc-apparmor.txt 53732 not in ausearch',
    ])
  })

  it('for every rule key in those logs, `ausearch -k KEY` finds exactly the events the fallback keeps for KEY, with the same key', () => {
    const ausearch = ausearchPath()
    const pairs: string[] = []
    let keyed = 0
    for (const log of LOGS) {
      const path = peerDataPath('audit', ...log.split('/'))
      const fromLog = assemble(readFileSync(path, 'utf8'))
      for (const key of new Set(fromLog.flatMap((event) => event.keys))) {
        let out: string
        try {
          out = execFileSync(ausearch, ['-if', path, '-k', key, '--raw'], {encoding: 'utf8', env: {...process.env, LC_ALL: 'C', TZ: 'UTC'}, stdio: ['ignore', 'pipe', 'ignore']})
        } catch (error) {
          out = (error as {stdout?: string}).stdout ?? ''
        }
        const viaAusearch = [...new Set(assemble(out).map((event) => `${id(event)} ${event.key}`))].sort()
        const viaFallback = [...new Set(fromLog.filter((event) => eventMatchesKey(event, key)).map((event) => `${id(event)} ${event.key}`))].sort()
        keyed += viaFallback.length
        pairs.push(`${log} ${key} ${viaAusearch.length === viaFallback.length && viaAusearch.every((e, i) => e === viaFallback[i]) ? 'same' : 'differs'}`)
      }
    }
    expect(pairs.filter((pair) => !pair.endsWith(' same'))).toEqual([])
    // 17 (log, key) pairs, among them go-libaudit's hex key with a stray quote (`exec`, `64bit`).
    expect({keyed, pairs: pairs.length}).toEqual({keyed: 106, pairs: 17})
    expect(pairs).toContain('go-libaudit/auparse_testdata_audit-ubuntu17.log 64bit same')
  })
})
