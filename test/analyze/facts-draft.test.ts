import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import {beforeAll, describe, expect, it} from 'vitest'

import {renderFactsDraft, type FactsDraftInput} from '../../src/analyze/facts-draft.js'
import type {Finding} from '../../src/analyze/finding.js'
import {phiTypesOf} from '../../src/analyze/scope/phi-types.js'
import {validateFacts} from '../../src/timeline/facts/validate.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

const finding = (rule: string, first: string, last: string, ref: string): Finding => ({
  count: 1, first, host: 'phi-db', id: `f-${rule}`, ip: null, last, paths: [], refs: [ref], rule, severity: 'high', source: 'builtin', title: `title of ${rule}`, user: 'bob',
})

function input(people: FactsDraftInput['people']): FactsDraftInput {
  const findings = [
    finding('auth.bruteforce-then-success', '2026-03-03T01:50:00.000Z', '2026-03-03T01:55:00.000Z', 'B1/auth/events.jsonl:9'),
    finding('phi.exfil-tool', '2026-03-03T02:00:00.000Z', '2026-03-04T02:29:00.000Z', 'B1/audit/events.jsonl:100'),
  ]
  const paths = ['/var/data/phi/labs/p1.csv', '/var/data/phi/notes/p1.txt', '/var/data/phi/misc/x.bin']
  return {
    bundles: [{host: 'phi-db', name: 'IR-1_phi-db_20260305T000000Z', verified: true}, {host: 'web-1', name: 'IR-1_web-1_20260305T000100Z', verified: false}],
    caseId: 'IR-1',
    drafted: '2026-03-05T10:00:00Z',
    evidencePath: null,
    findings,
    patientMap: 'patients.csv',
    people,
    phiTypes: phiTypesOf(paths, ['/var/data/phi']),
    scope: {accounts: ['bob'], end: '2026-03-04T02:29:00.000Z', findings: findings.map((f) => f.id), hosts: ['phi-db'], phi_files: 3, programs: [], sources: ['198.51.100.9'], start: '2026-03-03T01:50:00.000Z'},
  }
}

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-facts-draft-')
})

describe('analyze --facts-out: the facts draft', () => {
  it('drafts start, end, PHI types and affected from evidence, each with a comment naming it', () => {
    const text = renderFactsDraft(input({byState: {CA: 2, NV: 1}, conflicts: [], individuals: 3, unmapped: 1}))
    const doc = parse(text) as Record<string, unknown>
    expect(doc.breach).toMatchObject({end: '2026-03-04', phi_types: ['lab-results', 'clinical-notes'], start: '2026-03-03'})
    expect(doc.affected).toEqual({CA: 2, NV: 1})
    expect(doc.evidence_bundles).toEqual(['IR-1_phi-db_20260305T000000Z', 'IR-1_web-1_20260305T000100Z'])
    expect(text).toMatch(/start: 2026-03-03 {2}# first malicious event 2026-03-03T01:50:00.000Z: auth.bruteforce-then-success on phi-db \(ref B1\/auth\/events.jsonl:9\)/)
    expect(text).toMatch(/affected: \{CA: 2, NV: 1\} {2}# from --patient-map patients.csv: 3 individuals behind 3 PHI files; 1 files no row/)
    expect(text).toContain('[[DECIDE]] what PHI /var/data/phi/misc holds')
    expect(text).toContain('NOT VERIFIED')
  })

  it('never guesses what only a person decides: discovered, low_probability, secured, the reporter and the entity', () => {
    const doc = parse(renderFactsDraft(input(null))) as Record<string, unknown>
    for (const value of [doc.discovered, doc.low_probability, doc.secured, doc.reporter, (doc.entity as Record<string, unknown>).name, doc.affected]) {
      expect(String(value)).toMatch(/^\[\[DECIDE: /)
    }
  })

  it('validates as a facts file, with the undecided fields named', () => {
    const facts = validateFacts(parse(renderFactsDraft(input(null))), 'draft.yaml')
    expect(facts.undecided).toEqual(['reporter', 'entity.name', 'entity.phone', 'entity.email', 'entity.website', 'entity.address', 'discovered', 'affected', 'secured', 'low_probability'])
    expect(facts.discovered).toBe('2026-03-03')
    expect(facts.low_probability).toBe(false)
  })

  it('is accepted by timeline --facts, whose every output then says PROVISIONAL and counts from breach.start', async () => {
    const path = join(work, 'draft.yaml')
    await writeFile(path, renderFactsDraft(input({byState: {CA: 600}, conflicts: [], individuals: 600, unmapped: 0})))
    const result = await runCli(['timeline', '--facts', path, '--as-of', '2026-03-10', '--json'])
    expect(result.exitCode).toBe(0)
    const json = parseJson<{deadlines: {id: string; due: string}[]; undecided: string[]; warnings: string[]}>(result)
    expect(json.warnings[0]).toMatch(/^PROVISIONAL: these facts are undecided \(\[\[DECIDE\]\]\): reporter, entity\.name/)
    expect(json.undecided).toContain('discovered')
    expect(json.deadlines.find((d) => d.id === 'individuals')?.due).toBe('2026-05-02')
    expect(json.deadlines.map((d) => d.id)).toContain('media:CA')
    const md = await runCli(['timeline', '--facts', path, '--as-of', '2026-03-10'])
    expect(md.stdout).toContain('PROVISIONAL')
  })

  it('a [[DECIDE]] discovered without breach.start is refused, exit 2, saying what to give', async () => {
    const path = join(work, 'nostart.yaml')
    await writeFile(path, 'id: X\ndiscovered: "[[DECIDE: when]]"\naffected: {CA: 1}\n')
    const result = await runCli(['timeline', '--facts', path])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('discovered: is [[DECIDE]] and there is no breach.start')
  })
})
