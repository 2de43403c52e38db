import {describe, expect, it} from 'vitest'

import type {Finding} from '../../src/analyze/finding.js'
import {DETAILED_PER_RULE, layoutFindings, LISTED_PER_RULE, type ReportModel} from '../../src/analyze/report/model.js'
import {renderReportHtml} from '../../src/analyze/report/render-html.js'
import {renderReportMarkdown} from '../../src/analyze/report/render-markdown.js'

function finding(rule: string, n: number, severity: Finding['severity']): Finding {
  const first = new Date(Date.UTC(2026, 2, 3, 0, 0, n)).toISOString()
  return {count: 12, first, host: 'phi-db', id: `${rule}-${n}`, ip: `198.51.100.${n % 250}`, last: first, paths: [], refs: [`B/auth/events.jsonl:${n + 1}`], rule, severity, source: 'builtin', title: rule, user: null}
}

function model(findings: Finding[], joined: string[][] = []): ReportModel {
  return {
    bundles: [{host: 'phi-db', name: 'B', verified: true}], caseId: 'IR-1', events: 1000, evidence: new Map(), factsDraft: null, findings, generated: '2026-03-04T00:00:00.000Z',
    joined, layout: layoutFindings(findings), people: null, phiPathsFile: null,
    scope: {accounts: [], end: null, findings: [], hosts: [], phi_files: 0, programs: [], sources: [], start: null}, sigmaSkipped: [], timeline: [],
  }
}

describe('the report when a rule fires thousands of times', () => {
  const spray = Array.from({length: DETAILED_PER_RULE + LISTED_PER_RULE + 40}, (_, n) => finding('auth.password-spray', n, 'high'))
  const findings = [finding('phi.exfil-tool', 0, 'critical'), ...spray, finding('sudo.denied', 1, 'medium')]

  it('shows each rule\'s first findings in full, the next ones a line each, and counts the rest', () => {
    const layout = layoutFindings(findings)
    expect(layout.detailed.size).toBe(DETAILED_PER_RULE + 2)
    expect(layout.detailed.has('phi.exfil-tool-0')).toBe(true)
    expect(layout.listed.size).toBe(LISTED_PER_RULE)
    expect([...layout.omitted]).toEqual([['auth.password-spray', 40]])
  })

  it('report.md and report.html say so, and stay small', () => {
    const md = renderReportMarkdown(model(findings))
    expect(md).toContain('### high (250)')
    expect(md.match(/^#### /gm)).toHaveLength(DETAILED_PER_RULE + 2)
    expect(md.match(/^\| `auth\.password-spray` \|/gm)).toHaveLength(LISTED_PER_RULE)
    expect(md).toContain('40 more findings of `auth.password-spray` are only in findings.json.')
    const html = renderReportHtml(model(findings))
    expect(html.match(/<h4>/g)).toHaveLength(DETAILED_PER_RULE + 2)
    expect(html).toContain('40 more findings of <code>auth.password-spray</code> are only in findings.json.')
    expect(html.length).toBeLessThan(200_000)
  })
})

describe('the report when a finding crosses hosts', () => {
  it('names each group of joined hosts as one story above the case timeline, escaped', () => {
    const hosts = ['phi-db', 'web-1', 'x<y>|z']
    const md = renderReportMarkdown(model([], [hosts]))
    const story = md.split('\n').find((line) => line.startsWith('One story across'))
    expect(story).toBe('One story across phi-db, web-1, x\\<y>\\|z: a finding crosses these hosts (a login on one from another\'s address), so read their events together.')
    expect(md.indexOf(story as string)).toBeGreaterThan(md.indexOf('## Case timeline across hosts'))
    const html = renderReportHtml(model([], [hosts]))
    expect(html).toContain('<p>One story across phi-db, web-1, x&lt;y&gt;|z: a finding crosses these hosts')
    expect(renderReportMarkdown(model([]))).not.toContain('One story across')
  })
})
