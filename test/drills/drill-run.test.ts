import {chmod, chown, mkdir, readdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import type {DrillRunResult} from '../../src/drills/run-drill.js'
import {SCENARIOS} from '../../src/drills/scenarios/index.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

const made: string[] = []
afterAll(async () => {
  for (const dir of made) await rm(dir, {force: true, recursive: true})
})

async function workDir(label: string): Promise<string> {
  const dir = await makeTempDir(`drill-${label}-`)
  made.push(dir)
  return dir
}

describe('drill list', () => {
  it('lists every scenario with id, title and summary', async () => {
    const result = await runCli(['drill', 'list', '--json'])
    expect(result.exitCode).toBe(0)
    const {scenarios} = parseJson<{scenarios: Array<{id: string; summary: string; title: string}>}>(result)
    expect(scenarios.map((s) => s.id)).toEqual(SCENARIOS.map((s) => s.id))
    for (const s of scenarios) {
      expect(s.title.length).toBeGreaterThan(5)
      expect(s.summary.length).toBeGreaterThan(20)
    }
  })
})

describe('drill run: usage errors name the problem', () => {
  it('an unknown scenario exits 2 and lists the real ones', async () => {
    const result = await runCli(['drill', 'run', 'meteor-strike', '--out-dir', join(await workDir('x'), 'd'), '--json'])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toContain('meteor-strike')
    expect(result.stdout).toContain('ransomware')
  })

  it('a non-empty --out-dir exits 2 and nothing is overwritten', async () => {
    const dir = await workDir('full')
    await writeFile(join(dir, 'keep.txt'), 'keep')
    const result = await runCli(['drill', 'run', 'ransomware', '--out-dir', dir, '--json'])
    expect(result.exitCode).toBe(2)
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('keep')
  })

  it('an --out-dir other users can write exits 2 with why and what to do (security H1)', async () => {
    expect(process.getuid?.(), 'chown to nobody needs root (CI runs as root)').toBe(0)
    const shared = join(await workDir('shared'), 'd')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await chown(shared, 65534, 65534)
    const result = await runCli(['drill', 'run', 'ransomware', '--out-dir', shared, '--json'])
    expect(result.exitCode).toBe(2)
    expect(result.stdout).toContain(`--out-dir ${shared} can be written by other users`)
    expect(await readdir(shared)).toEqual([])
  })

  it('--push without --bucket and a bad --as-of exit 2', async () => {
    expect((await runCli(['drill', 'run', 'ransomware', '--out-dir', join(await workDir('p'), 'd'), '--push'])).exitCode).toBe(2)
    expect((await runCli(['drill', 'run', 'ransomware', '--out-dir', join(await workDir('a'), 'd'), '--as-of', '2026-02-30'])).exitCode).toBe(2)
  })
})

const byId = (out: DrillRunResult, id: string) => out.analyze.matches.find((m) => m.id === id)

/** What analyze must find in the scenarios whose evidence shows the breach (issue 14: drills use the analyze path). */
const ANALYZE_CHECKS: Partial<Record<string, (out: DrillRunResult) => void>> = {
  'insider-snooping'(out) {
    expect(byId(out, 'rule:clerk-reads')).toMatchObject({found: 'phi.unusual-reader', match: true})
    expect(byId(out, 'breach.start')).toMatchObject({expected: '2026-02-28', found: '2026-02-28', match: true})
    // The physician reads every working hour: a usual reader by that history, never flagged; the clerk, who reads at night, is.
    expect(out.analyze.findings.filter((f) => f.rule === 'phi.unusual-reader').map((f) => f.user)).toEqual(['auid 1042'])
    expect(byId(out, 'breach.end')).toMatchObject({expected: '2026-03-01', found: '2026-03-01', match: true})
    expect(byId(out, 'affected')).toMatchObject({expected: 'OH 37', found: 'OH 37', match: true})
    expect(out.analyze.scope.by_state).toEqual({OH: 37})
    expect(out.analyze.timeline.deadlines.find((d) => d.id === 'individuals')?.due).toBe('2026-04-29')
  },
  ransomware(out) {
    expect(byId(out, 'rule:attacker-login')).toMatchObject({found: 'auth.bruteforce-then-success', match: true})
    expect(byId(out, 'rule:root-shell')).toMatchObject({found: 'privilege.root-shell', match: true})
    // 24 encrypted tables stay under phi.mass-change's default threshold of 50: a recorded miss.
    expect(byId(out, 'rule:phi-writes')).toMatchObject({expected: 'phi.mass-change', found: null, match: false})
    expect(byId(out, 'breach.start')).toMatchObject({found: '2026-03-02', match: true})
  },
  'ssh-credential-stuffing'(out) {
    const stuffing = SCENARIOS.find((s) => s.id === 'ssh-credential-stuffing')
    expect(out.analyze.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['auth.bruteforce-then-success', 'auth.password-spray', 'phi.exfil-tool']))
    expect(byId(out, 'rule:breakthrough')).toMatchObject({found: 'auth.bruteforce-then-success', match: true})
    expect(byId(out, 'breach.start')).toMatchObject({found: stuffing?.facts.breach?.start, match: true})
    expect(byId(out, 'breach.end')).toMatchObject({found: '2026-03-03', match: true})
    expect(byId(out, 'affected')).toMatchObject({expected: 'FL 230', found: 'FL 230', match: true})
    expect(out.analyze.matched).toBe(out.analyze.total)
    expect(out.analyze.total).toBe(6)
    // timeline --facts on the draft: provisional (DECIDE markers left), yet it counts the deadlines from the evidence.
    expect(out.analyze.timeline.undecided).toEqual(expect.arrayContaining(['discovered', 'secured']))
    expect(out.analyze.timeline.notification_required).toBe(true)
    expect(out.analyze.timeline.deadlines.find((d) => d.id === 'individuals')?.due).toBe('2026-05-02')
    expect(out.analyze.timeline.deadlines.find((d) => d.id === 'state:FL:individuals')?.due).toBe('2026-04-02')
  },
}

describe.concurrent('drill run: every scenario end to end through the real collect, verify and timeline', () => {
  for (const scenario of SCENARIOS) {
    it(scenario.id, {timeout: 120_000}, async () => {
      const dir = join(await workDir(scenario.id), 'run')
      const result = await runCli(['drill', 'run', scenario.id, '--out-dir', dir, '--json'])
      const out = parseJson<DrillRunResult>(result)
      const mismatches = out.findings.results.filter((f) => !f.match)
      expect(mismatches, JSON.stringify(mismatches, null, 2)).toEqual([])
      expect(out.findings.matched).toBe(scenario.expected.length)
      expect(result.exitCode).toBe(0)
      expect(out.verified).toBe(true)
      expect(out.scenario).toBe(scenario.id)

      // Every path is under DIR, and each exists.
      for (const path of [out.bundle, out.timeline, out.report, out.report_html, out.facts, ...out.letters]) {
        expect(path.startsWith(dir)).toBe(true)
        expect((await stat(path)).isFile()).toBe(true)
      }
      expect(out.letters.length).toBeGreaterThan(0)

      // What the team is handed is apart from the answers (newcomer m18).
      expect(out.handout).toBe(join(dir, 'handout'))
      expect(out.root).toBe(join(dir, 'handout', 'root'))
      expect((await readdir(out.handout)).sort()).toEqual(['README.md', 'root'])
      const instructions = await readFile(out.instructions, 'utf8')
      expect(instructions).toContain(`SINCE=${scenario.since}`)
      expect(instructions).toContain(`ROOT="${out.root}"`)
      expect(instructions).toContain('docs/runbooks/first-hour.md')
      expect(instructions).toContain('EXERCISE: SYNTHETIC DATA ONLY')
      expect(out.facilitator).toBe(join(dir, 'facilitator'))
      for (const path of [out.bundle, out.timeline, out.timeline_md, out.report, out.report_html, out.facts, ...out.letters]) expect(path.startsWith(`${out.facilitator}/`), path).toBe(true)

      // The after-action report: exercise banner, measured timings of each real step, expected vs found.
      const report = await readFile(out.report, 'utf8')
      expect(report).toContain('EXERCISE: SYNTHETIC DATA ONLY')
      for (const step of ['collect', 'verify', 'timeline']) {
        const timing = out.steps.find((s) => s.step === step)
        expect(timing?.ms).toBeGreaterThanOrEqual(0)
        expect(report).toMatch(new RegExp(`^\\| ${step} \\| ${timing?.ms} \\|`, 'm'))
      }
      expect(report).toContain('## Expected vs found')
      expect(report).toContain(`${scenario.expected.length} of ${scenario.expected.length} expected findings match`)
      for (const inject of scenario.injects) expect(report).toContain(inject.at)
      expect(report).toContain('## Open questions for the team')
      const reportHtml = await readFile(out.report_html, 'utf8')
      expect(reportHtml).toContain('EXERCISE: SYNTHETIC DATA ONLY')
      // No Markdown syntax or double escaping in the HTML report (newcomer m5).
      expect(reportHtml).not.toContain('`')
      expect(reportHtml).not.toMatch(/(<p>|<br>\n|<li>)&gt; |&amp;(amp|lt|gt);|\*\*/)
      expect(reportHtml).toContain('<blockquote>')
      expect(reportHtml).toMatch(/<code>hipaa-ir collect --root /)
      expect(await readFile(out.facts, 'utf8')).toMatch(/^# EXERCISE: SYNTHETIC DATA ONLY/)

      // The timeline file is the engine's JSON and matches the facts' decision.
      const timeline = JSON.parse(await readFile(out.timeline, 'utf8')) as {deadlines: unknown[]; exercise: boolean; notification_required: boolean}
      expect(timeline.exercise).toBe(true)
      expect(await readFile(out.timeline_md, 'utf8')).toMatch(/^> \*\*EXERCISE: SYNTHETIC DATA ONLY/)
      expect(timeline.notification_required).toBe(!(scenario.facts.secured === true || scenario.facts.low_probability === true))

      // The bundle went through analyze: its draft is written, compared with the scenario, and timed.
      const a = out.analyze
      expect(a.dir).toBe(join(out.facilitator, 'analysis'))
      expect((await stat(a.report)).isFile()).toBe(true)
      expect(await readFile(a.facts_draft, 'utf8')).toMatch(/^# hipaa-ir analyze: DRAFT incident facts/)
      expect(a.total).toBe(a.matches.length)
      expect(a.matched).toBe(a.matches.filter((m) => m.match).length)
      expect(a.matches.map((m) => m.id)).toEqual(expect.arrayContaining(['affected']))
      expect(a.patient_map === null).toBe(scenario.generate().patients === undefined)
      for (const step of ['analyze', 'draft timeline']) expect(out.steps.some((s) => s.step === step), step).toBe(true)
      expect(report).toContain('## What analyze found')
      expect(report).toContain(`### Analyze vs the scenario: ${a.matched} of ${a.total} match`)
      expect(report).toContain('DRAFT FOR COUNSEL, NOT LEGAL ADVICE')
      expect(report).not.toMatch(/\\\*\\\*(MISS|MISMATCH)/)
      ANALYZE_CHECKS[scenario.id]?.(out)
    })
  }
})
