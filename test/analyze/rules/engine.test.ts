import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {compareFindings, type Finding} from '../../../src/analyze/finding.js'
import {loadRules} from '../../../src/analyze/rules/load.js'
import {parseParamFlags} from '../../../src/analyze/rules/params.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {HipaaIrError} from '../../../src/core/errors.js'
import {makeTempDir} from '../../helpers/temp.js'
import {audit, auth, caseDb, uidOf} from './case-db.js'

async function ruleDir(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir('rules-')
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
  return dir
}

async function usageError(promise: Promise<unknown>): Promise<HipaaIrError> {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).toBeInstanceOf(HipaaIrError)
  expect((error as HipaaIrError).exitCode).toBe(2)
  return error as HipaaIrError
}

const MATCH_RULE = `id: site.ehr-export
title: EHR export tool run by a person
severity: medium
reason: "login uid {auid} ran the export tool on {host} {count} times"
match:
  where:
    source: audit
    exe: /opt/ehr/bin/export
    auid: {not: 990}
  group_by: [auid]
  threshold: 2
`

const QUERY_RULE = `id: site.root-logins
title: Root logged in over SSH
severity: low
reason: "root logged in from {ip} {count} times ({methods})"
params:
  min:
    type: integer
    default: 1
    description: logins that make a finding
query: |
  SELECT host, "user", ip, min(time) AS first, max(time) AS last, count(*) AS count, list(evidence) AS refs,
    NOT bool_and(verified) AS unverified, list(DISTINCT data->>'method') AS methods
  FROM ev WHERE source = 'auth' AND kind = 'accepted' AND "user" = 'root'
  GROUP BY host, "user", ip HAVING count(*) >= {{min}}
`

const events = [
  audit('2026-03-04T02:00:00Z', {exe: '/opt/ehr/bin/export', paths: ['/var/data/phi/a'], user: 'bob'}),
  audit('2026-03-04T02:01:00Z', {exe: '/opt/ehr/bin/export', paths: ['/var/data/phi/b'], user: 'bob'}),
  audit('2026-03-04T02:02:00Z', {auid: 990, exe: '/opt/ehr/bin/export', paths: ['/var/data/phi/c'], uid: 990}),
  audit('2026-03-04T02:03:00Z', {auid: 990, exe: '/opt/ehr/bin/export', paths: ['/var/data/phi/c'], uid: 990}),
  auth('accepted', '2026-03-04T03:00:00Z', {data: {method: 'publickey'}, ip: '192.0.2.7', user: 'root', verified: false}),
]

describe('user rules (--rules DIR)', () => {
  it('a match rule and a query rule from a folder fire, marked as user rules with their file', async () => {
    const dir = await ruleDir({'export.yaml': MATCH_RULE, 'root.yml': QUERY_RULE, 'notes.txt': 'not a rule'})
    const findings = (await runRules(await caseDb(events), {userRuleDirs: [dir]})).filter((f) => f.source === 'rules')
    expect(findings.map((f) => [f.rule, f.user, f.count, f.severity])).toEqual([['site.ehr-export', null, 2, 'medium'], ['site.root-logins', 'root', 1, 'low']])
    expect(findings[0]).toMatchObject({details: {auid: uidOf('bob')}, paths: ['/var/data/phi/a', '/var/data/phi/b'], reason: `login uid ${uidOf('bob')} ran the export tool on web1 2 times`, rule_file: join(dir, 'export.yaml')})
    expect(findings[1]).toMatchObject({details: {methods: ['publickey']}, reason: 'root logged in from 192.0.2.7 1 times (publickey)', unverified: true})
  })

  it('the match threshold and query params are overridable', async () => {
    const dir = await ruleDir({'export.yaml': MATCH_RULE, 'root.yml': QUERY_RULE})
    const findings = await runRules(await caseDb(events), {params: parseParamFlags(['site.ehr-export.threshold=3', 'min=2']), userRuleDirs: [dir]})
    expect(findings.filter((f) => f.source === 'rules')).toEqual([])
  })

  it('a malformed rule is exit 2 naming the file, the line and the field', async () => {
    const dir = await ruleDir({'bad.yaml': MATCH_RULE.replace('severity: medium', 'severity: severe')})
    const error = await usageError(loadRules([dir]))
    expect(error.message).toContain(`rule ${join(dir, 'bad.yaml')} is invalid: line 3, severity:`)
    expect(error.message).toContain('critical')
  })

  it('an unknown field, a missing query, an undeclared placeholder and bad YAML each name what is wrong', async () => {
    const cases: Array<[string, RegExp]> = [
      [MATCH_RULE.replace('threshold: 2', 'threshold: 2\n  window: 5m'), /line 12, match: unknown field window/],
      [MATCH_RULE.replace(/match:[\s\S]*/, ''), /give exactly one of query or match/],
      [QUERY_RULE.replace('>= {{min}}', '>= {{minimum}}'), /line 10, query: uses \{\{minimum\}\}: declare it under params/],
      [QUERY_RULE.replace('default: 1', 'default: lots'), /line 8, params\.min\.default: must be a whole number/],
      ['id: [unclosed', /:1: not valid YAML/],
    ]
    for (const [text, message] of cases) {
      const dir = await ruleDir({'r.yaml': text})
      expect((await usageError(loadRules([dir]))).message).toMatch(message)
    }
  })

  it('a query that does not run, or that writes, is exit 2 naming the file', async () => {
    const broken = QUERY_RULE.replace("FROM ev WHERE", 'FROM no_such_table WHERE')
    const dir = await ruleDir({'r.yaml': broken})
    expect((await usageError(runRules(await caseDb(events), {userRuleDirs: [dir]}))).message).toMatch(/^rule .*r\.yaml, query: .*no_such_table/)
    const writes = await ruleDir({'w.yaml': QUERY_RULE.replace(/query: \|[\s\S]*/, "query: COPY (SELECT 1) TO 'x.csv'\n")})
    expect((await usageError(runRules(await caseDb(events), {userRuleDirs: [writes]}))).message).toContain('must be a SELECT')
  })

  it('a user rule may not reuse a built-in id; an empty folder and an unknown parameter are exit 2', async () => {
    const dir = await ruleDir({'dup.yaml': MATCH_RULE.replace('site.ehr-export', 'sudo.denied')})
    expect((await usageError(loadRules([dir]))).message).toContain('id sudo.denied is already taken')
    expect((await usageError(loadRules([await ruleDir({})]))).message).toContain('holds no *.yaml files')
    expect((await usageError(runRules(await caseDb([]), {params: {no_such: 1}}))).message).toContain('parameter no_such is not declared')
    expect((await usageError(runRules(await caseDb([]), {params: {'auth.bruteforce-then-success.threshold': 'five'}}))).message).toContain('must be a whole number')
    expect(() => parseParamFlags(['threshold'])).toThrow(/expected NAME=VALUE/)
  })
})

describe('findings', () => {
  const brute = [
    ...Array.from({length: 5}, (_, i) => auth('failed', `2026-03-04T10:0${i}:00Z`, {ip: '203.0.113.9', user: 'root'})),
    auth('accepted', '2026-03-04T10:06:00Z', {ip: '203.0.113.9', user: 'root'}),
    auth('sudo-denied', '2026-03-04T09:00:00Z', {data: {reason: 'user NOT in sudoers'}, user: 'mallory'}),
    auth('accepted', '2026-03-04T02:00:00Z', {ip: '10.0.0.4', user: 'alice'}),
  ]

  it('come worst first, then earliest, with stable ids', async () => {
    const first = await runRules(await caseDb(brute))
    expect(first.map((f) => [f.severity, f.rule])).toEqual([
      ['critical', 'auth.bruteforce-then-success'], ['medium', 'sudo.denied'], ['low', 'auth.off-hours-login'],
    ])
    const again = await runRules(await caseDb(brute))
    expect(again.map((f) => f.id)).toEqual(first.map((f) => f.id))
    expect(new Set(first.map((f) => f.id)).size).toBe(first.length)
    const shuffled = [...first].reverse().sort(compareFindings)
    expect(shuffled).toEqual(first)
  })

  it('wholly outside the analysis window are dropped', async () => {
    const window = {end: new Date('2026-03-04T09:30:00Z'), start: new Date('2026-03-04T08:00:00Z')}
    expect((await runRules(await caseDb(brute), {window})).map((f) => f.rule)).toEqual(['sudo.denied'])
  })

  it('say when evidence came from a bundle that failed verification', async () => {
    const unverified = brute.map((e) => (e.kind === 'sudo-denied' ? {...e, verified: false} : e))
    const findings = await runRules(await caseDb(unverified))
    expect(findings.filter((f) => f.unverified === true).map((f) => f.rule)).toEqual(['sudo.denied'])
    expect(findings.find((f) => f.rule === 'auth.bruteforce-then-success')).not.toHaveProperty('unverified')
  })

  it('keep at most maxRefs refs and count the rest', async () => {
    const [finding] = (await runRules(await caseDb(brute), {maxRefs: 2})).filter((f: Finding) => f.rule === 'auth.bruteforce-then-success')
    expect(finding?.refs).toHaveLength(2)
    expect(finding?.refs_total).toBe(6)
  })
})
