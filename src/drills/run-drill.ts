/**
 * `drill run`: builds the scenario's synthetic root, then runs the real collect, verify and
 * timeline code paths on it, checks what they found against the expected findings, optionally
 * pushes the bundle as exercise data, and writes the after-action report. Every step is timed.
 */
import {readdir, stat} from 'node:fs/promises'
import {join, resolve} from 'node:path'
import {performance} from 'node:perf_hooks'
import {stringify} from 'yaml'

import type {CollectionStatus} from '../bundle/manifest.js'
import {errorMessage, UsageError} from '../core/errors.js'
import {createEvidenceDir, createEvidenceFile, prepareOutputFolder} from '../io/evidence-fs.js'
import {DEFAULT_PHI_DIR} from '../core/system-path.js'
import {verifyBundleTarball} from '../integrity/bundle-verify.js'
import {readPublicKeyFile, writeKeyPairFiles} from '../integrity/key-files.js'
import {loadSigner} from '../integrity/signer.js'
import {newKeyPair} from '../integrity/signify-keys.js'
import {runTimeline} from '../timeline/run-timeline.js'
import {renderJson} from '../timeline/render/json.js'
import {markdownToHtmlBody} from '../timeline/letters/markdown-html.js'
import {escapeHtml} from '../timeline/render/escape.js'
import {analyzeCase} from '../workflows/analyze-case.js'
import {collectCase} from '../workflows/collect-case.js'
import {compareAnalyze} from './analyze-check.js'
import {checkFindings, summarizeEvidence} from './findings.js'
import {pushDrillBundle, type DrillPushResult} from './io/push-drill.js'
import {readDrillEvidence} from './io/read-evidence.js'
import {writeRootPlan} from './io/write-root.js'
import {renderHandout} from './handout.js'
import {type AnalyzeOutcome, renderReport, type DrillOutcome, type StepTiming} from './report.js'
import {EXERCISE_BANNER} from './synthetic/phi-data.js'
import type {PatientRow, Scenario} from './types.js'

export interface DrillRunOptions {
  scenario: Scenario
  outDir: string
  toolVersion: string
  /** Exercise "today" for days-left; default: the scenario's own date. */
  asOf?: string
  push?: {bucket: string; endpoint?: string; allowUnlocked?: boolean}
  examiner?: string
}

export interface DrillRunResult {
  exercise: true
  notice: string
  scenario: string
  title: string
  /** What the team is handed: DIR/handout (the synthetic root and the instructions, no answers). */
  handout: string
  /** DIR/handout/README.md: the story, the variables (with the --since the team needs) and the runbooks. */
  instructions: string
  /** The answers, for the facilitator only: DIR/facilitator (facts, key, bundle, timeline, letters, report). */
  facilitator: string
  root: string
  facts: string
  bundle: string
  verified: boolean
  timeline: string
  timeline_md: string
  letters: string[]
  report: string
  report_html: string
  steps: StepTiming[]
  findings: {total: number; matched: number; results: DrillOutcome['findings']}
  collect_status: CollectionStatus
  /** `hipaa-ir analyze` on the bundle (DIR/facilitator/analysis) and its facts draft, compared with the scenario. */
  analyze: {
    dir: string
    report: string
    facts_draft: string
    /** The patient map the synthetic system's clinic would export, or null when the scenario has none. */
    patient_map: null | string
    findings: AnalyzeOutcome['findings']
    scope: AnalyzeOutcome['scope']
    matches: AnalyzeOutcome['matches']
    matched: number
    total: number
    /** `timeline --facts` on the draft: provisional while the draft holds `[[DECIDE]]` markers. */
    timeline: AnalyzeOutcome['timeline']
  }
  push: DrillPushResult | null
  push_error: null | string
}

async function ensureEmptyDir(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined)
  if (info !== undefined) {
    if (!info.isDirectory()) throw new UsageError(`--out-dir ${dir} is not a folder`)
    if ((await readdir(dir)).length > 0) {
      throw new UsageError(`--out-dir ${dir} is not empty`, {code: 'E_DRILL_DIR', suggestions: ['Give a new or empty folder: each drill run writes a fresh synthetic system, bundle and report.']})
    }
  }
  await prepareOutputFolder(dir, {label: '--out-dir'})
}

/** A patient map as `analyze --patient-map` reads it: `path,patient_id,state`, each field quoted. */
function patientMapCsv(rows: readonly PatientRow[]): string {
  const field = (value: string) => `"${value.replaceAll('"', '""')}"`
  return `path,patient_id,state\n${rows.map((r) => [r.path, r.patientId, r.state].map(field).join(',')).join('\n')}\n`
}

function factsYaml(scenario: Scenario): string {
  return `# ${EXERCISE_BANNER}\n# Incident facts for drill scenario "${scenario.id}" (hipaa-ir timeline --facts).\n${stringify(scenario.facts)}`
}

/** Times one step; a failure is recorded with its message and rethrown. */
async function timed<T>(steps: StepTiming[], step: string, command: string, work: () => Promise<T>, outcome: (value: T) => string): Promise<T> {
  const start = performance.now()
  try {
    const value = await work()
    steps.push({command, ms: Math.round(performance.now() - start), outcome: outcome(value), step})
    return value
  } catch (error) {
    steps.push({command, ms: Math.round(performance.now() - start), outcome: `failed: ${errorMessage(error)}`, step})
    throw error
  }
}

export async function runDrill(options: DrillRunOptions): Promise<DrillRunResult> {
  const {scenario} = options
  const dir = resolve(options.outDir)
  await ensureEmptyDir(dir)
  // What the team is handed and what only the facilitator sees are kept apart.
  const handout = join(dir, 'handout')
  const answers = join(dir, 'facilitator')
  await createEvidenceDir(handout)
  await createEvidenceDir(answers)
  const root = join(handout, 'root')
  const instructions = join(handout, 'README.md')
  const factsPath = join(answers, 'facts.yaml')
  const keysDir = join(answers, 'keys')
  const evidenceDir = join(answers, 'evidence')
  const lettersDir = join(answers, 'letters')
  const analysisDir = join(answers, 'analysis')
  const draftPath = join(answers, 'facts-draft.yaml')
  const plan = scenario.generate()
  const patientMap = plan.patients === undefined ? null : join(answers, 'patient-map.csv')
  const asOf = options.asOf ?? scenario.asOf
  const startedAt = new Date()
  const steps: StepTiming[] = []

  await timed(steps, 'generate', `(synthetic root for ${scenario.id})`, async () => {
    const count = await writeRootPlan(root, plan)
    if (patientMap !== null) await createEvidenceFile(patientMap, patientMapCsv(plan.patients ?? []))
    await createEvidenceFile(instructions, renderHandout(scenario, root, asOf))
    await createEvidenceFile(factsPath, factsYaml(scenario))
    await writeKeyPairFiles(keysDir, 'drill', newKeyPair(), undefined)
    return count
  }, (n) => `${n} files planted, the team's handout, the facts and a drill signing key written`)

  const secretKey = join(keysDir, 'drill.sec')
  const publicKey = join(keysDir, 'drill.pub')
  const signer = await loadSigner(secretKey)
  const collected = await timed(steps, 'collect',
    `hipaa-ir collect --root ${root} --case ${scenario.caseId} --out-dir ${evidenceDir} --since ${scenario.since} --key ${secretKey}`,
    () => collectCase({
      caseId: scenario.caseId,
      ctime: false,
      examiner: options.examiner ?? 'drill facilitator (exercise)',
      includeContents: false,
      outDir: evidenceDir,
      phiDirs: [DEFAULT_PHI_DIR],
      root,
      signer,
      since: new Date(scenario.since),
      toolVersion: options.toolVersion,
    }),
    (r) => `${r.status}: ${r.collectors.filter((c) => c.status === 'ok').length} collectors ok, ${r.files} files in ${r.name}`)

  const verified = await timed(steps, 'verify', `hipaa-ir verify ${collected.tarball} --pub ${publicKey}`,
    async () => verifyBundleTarball(collected.tarball, {publicKey: await readPublicKeyFile(publicKey)}),
    (v) => (v.problems.length === 0 ? `OK: the ${v.filesChecked} files listed in SHA256SUMS match; signatures: ${v.signatures.map((s) => s.status).join(', ')}` : `FAILED: ${v.problems.length} problem(s)`))

  const timelinePath = join(answers, 'timeline.json')
  const timelineMd = join(answers, 'timeline.md')
  const timeline = await timed(steps, 'timeline', `hipaa-ir timeline --facts ${factsPath} --as-of ${asOf} --letters ${lettersDir} --out ${timelineMd}`,
    async () => {
      const run = await runTimeline({asOf, factsPath, format: 'md', lettersDir})
      await createEvidenceFile(timelineMd, `> **${EXERCISE_BANNER}**\n\n${run.rendered}`)
      const json = JSON.parse(renderJson(run.timeline)) as Record<string, unknown>
      await createEvidenceFile(timelinePath, `${JSON.stringify({exercise: true, notice: EXERCISE_BANNER, ...json}, null, 2)}\n`)
      return run
    },
    (t) => `${t.timeline.notification_required ? 'notification required' : 'no notification required'}: ${t.timeline.deadlines.length} deadlines, ${t.letters.length} letter files`)

  const findings = await timed(steps, 'findings', '(compare with the expected findings)', async () => {
    const bundleDir: null | string = collected.bundle_dir
    if (bundleDir === null) throw new Error('collect kept no bundle folder to read the evidence from')
    const evidence = await readDrillEvidence(bundleDir)
    return {results: checkFindings(scenario.expected, evidence, timeline.timeline), summary: summarizeEvidence(evidence)}
  }, (f) => `${f.results.filter((r) => r.match).length} of ${f.results.length} match`)

  const analysis = await timed(steps, 'analyze',
    `hipaa-ir analyze ${collected.tarball} --pub ${publicKey} --out-dir ${analysisDir} --facts-out ${draftPath}${patientMap === null ? '' : ` --patient-map ${patientMap}`}`,
    async () => {
      const result = await analyzeCase({
        allowUnverified: false, factsOut: draftPath, mode: 'compliance', outDir: analysisDir, pub: publicKey, rules: [], sigma: [], targets: [collected.tarball],
        ...(patientMap === null ? {} : {patientMap}),
      })
      return {matches: compareAnalyze(scenario, result.findings, result.scope), result}
    },
    (a) => `${a.result.findings.length} findings (${[...new Set(a.result.findings.map((f) => f.rule))].join(', ') || 'none'}); ${a.matches.filter((m) => m.match).length} of ${a.matches.length} comparisons with the scenario match`)

  const draftTimeline = await timed(steps, 'draft timeline', `hipaa-ir timeline --facts ${draftPath} --as-of ${asOf}`,
    async () => (await runTimeline({asOf, factsPath: draftPath, format: 'md'})).timeline,
    (t) => `${t.undecided !== undefined && t.undecided.length > 0 ? `PROVISIONAL (${t.undecided.length} facts to decide)` : 'decided'}: ${t.deadlines.length} deadlines`)

  let push: DrillPushResult | null = null
  let pushError: null | string = null
  if (options.push !== undefined) {
    const target = options.push
    try {
      push = await timed(steps, 'push', `hipaa-ir push ${collected.tarball} --bucket ${target.bucket} --prefix drills/${scenario.id} --mode governance --retain-days 1`,
        () => pushDrillBundle(collected.tarball, scenario.id, {...target, signer}),
        (p) => `${p.objects.length} objects under ${p.prefix}/, ${p.mode} until ${p.retainUntil ?? '-'}, tagged drill=true`)
    } catch (error) {
      pushError = errorMessage(error)
    }
  }

  const outcome: DrillOutcome = {
    asOf,
    bundle: {name: collected.name, status: collected.status, tarball: collected.tarball, warnings: collected.warnings},
    dir,
    evidence: findings.summary,
    findings: findings.results,
    analyze: {dir: analysisDir, factsDraft: draftPath, findings: analysis.result.findings, matches: analysis.matches, patientMap, scope: analysis.result.scope, timeline: draftTimeline},
    letters: timeline.letters,
    push,
    pushError,
    scenario,
    startedAt: startedAt.toISOString(),
    steps,
    timeline: timeline.timeline,
    verify: {filesChecked: verified.filesChecked, ok: verified.problems.length === 0, problems: verified.problems.map((p) => `${p.kind} ${p.path}: ${p.detail}`)},
  }
  const report = renderReport(outcome)
  const reportPath = join(answers, 'after-action-report.md')
  const reportHtml = join(answers, 'after-action-report.html')
  await createEvidenceFile(reportPath, report)
  await createEvidenceFile(reportHtml, htmlPage(`After-action report: ${scenario.title} (EXERCISE)`, report))
  return {
    analyze: {
      dir: analysisDir, facts_draft: draftPath, findings: analysis.result.findings, matched: analysis.matches.filter((m) => m.match).length, matches: analysis.matches,
      patient_map: patientMap, report: analysis.result.files.report_md, scope: analysis.result.scope, timeline: draftTimeline, total: analysis.matches.length,
    },
    bundle: collected.tarball,
    collect_status: collected.status,
    exercise: true,
    facilitator: answers,
    facts: factsPath,
    findings: {matched: findings.results.filter((r) => r.match).length, results: findings.results, total: findings.results.length},
    handout,
    instructions,
    letters: timeline.letters,
    notice: EXERCISE_BANNER,
    push,
    push_error: pushError,
    report: reportPath,
    report_html: reportHtml,
    root,
    scenario: scenario.id,
    steps,
    timeline: timelinePath,
    timeline_md: timelineMd,
    title: scenario.title,
    verified: outcome.verify.ok,
  }
}

function htmlPage(title: string, markdown: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}.exercise{background:#fde68a;padding:.5rem;font-weight:bold}</style>
</head><body><p class="exercise">${escapeHtml(EXERCISE_BANNER)}</p>
${markdownToHtmlBody(markdown)}
</body></html>
`
}
