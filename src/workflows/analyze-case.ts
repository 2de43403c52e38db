import {chmod, readFile, rename} from 'node:fs/promises'
import {join} from 'node:path'

import {type BundleContents, bundleContents} from '../analyze/bundle-sources.js'
import {caseMemoryLimit, dropTemporaryTables, explainOutOfMemory, openCaseDb, retryAfterOutOfMemory} from '../analyze/case-db.js'
import {exportEvents} from '../analyze/exports.js'
import {type CaseScope, caseScope, PHI_PATHS_FILE} from '../analyze/case-scope.js'
import {REPORT_FILES, writeCaseOutputs} from '../analyze/finish-case.js'
import type {Finding} from '../analyze/finding.js'
import {type FindingEngines, loadFindingEngines, runFindingEngines} from '../analyze/findings.js'
import {loadCase} from '../analyze/load-case.js'
import {closeBundles, type InputOptions, type OpenedBundle, openBundles} from '../analyze/inputs.js'
import {DEFAULT_PHI_DIRS} from '../analyze/rules/run.js'
import {type PatientMap, parsePatientMap} from '../analyze/scope/patient-map.js'
import {errnoCode, UsageError} from '../core/errors.js'
import {createEvidenceFile, FILE_MODE, prepareOutputFolder} from '../io/evidence-fs.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {parseBundleName} from '../storage/object-key.js'

export interface AnalyzeOptions extends InputOptions {
  targets: string[]
  /** Default `hipaa-ir-analysis/CASE`. */
  outDir?: string
  rules: string[]
  sigma: string[]
  /** --patient-map FILE: CSV path,patient_id,state. */
  patientMap?: string
  /** --facts-out FILE: the facts draft for `timeline --facts`. */
  factsOut?: string
  /** --host-address HOST=ADDR: addresses of hosts of the case known from elsewhere (an inventory). */
  hostAddresses?: Readonly<Record<string, readonly string[]>>
  /** --param NAME=VALUE: the rules' parameters (threshold=8, auth.bruteforce-then-success.threshold=8). */
  params?: Readonly<Record<string, string>>
  /** ISO instants: the analysis window. Every event is loaded (history before it is the rules' baseline); findings wholly outside it are dropped. */
  since?: string
  until?: string
  /** Progress for a person at a terminal. */
  onStatus?: (message: string) => void
}

export interface AnalyzedBundle {
  name: string
  host: string
  verified: boolean
  /** As given: a path or an s3:// URL. */
  target: string
  events: number
  /** Verification problems (only with --allow-unverified can a bundle with problems be analyzed). */
  problems: Array<{kind: string; path: string; detail: string}>
  notes: string[]
}

export interface AnalyzeResult {
  case: string
  out_dir: string
  bundles: AnalyzedBundle[]
  events: number
  /** Events on the timeline (those with a time). */
  timeline_events: number
  findings: Finding[]
  sigma_skipped: Array<{file: string; id: string | null; title: string | null; reason: string}>
  scope: CaseScope
  facts_draft: string | null
  files: {case_db: string; events_parquet: string; timeline_csv: string; findings_json: string; phi_paths: string; report_md: string; report_html: string}
  warnings: string[]
}

/** The one case all bundles belong to (manifests first, else the bundle names); several is a usage error. */
function caseOf(contents: readonly BundleContents[]): string {
  const cases = new Set(contents.map((c) => c.case ?? parseBundleName(c.name)?.caseId).filter((c): c is string => c !== undefined))
  if (cases.size > 1) {
    throw new UsageError(`the bundles belong to ${cases.size} cases (${[...cases].sort().join(', ')}); analyze takes one case at a time`, {
      suggestions: ['run analyze once per case, each with its own bundles'],
    })
  }
  return [...cases][0] ?? 'UNKNOWN'
}

/** Output names inside DIR (CONTRACT.md). */
export const ANALYZE_FILES = {
  case_db: 'case.duckdb', events_parquet: 'events.parquet', findings_json: 'findings.json', phi_paths: PHI_PATHS_FILE, timeline_csv: 'timeline.csv',
} as const

async function readPatientMap(path: string | undefined): Promise<PatientMap | undefined> {
  if (path === undefined) return undefined
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = errnoCode(error)
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder, not a CSV file' : `cannot be read (${code ?? String(error)})`
    throw new UsageError(`--patient-map ${path}: ${why}`, {
      code: 'E_PATIENT_MAP',
      suggestions: ['Give the CSV exported from the EHR, with the header path,patient_id,state (see README, Analysis).'],
    })
  }
  return parsePatientMap(text, path)
}

/**
 * `hipaa-ir analyze`: verify every bundle, load every event into one case database, run the finding
 * engines, export Parquet and the Timesketch CSV. Everything is built in a private folder inside DIR
 * and moved into place at the end, so an interrupted run leaves no complete-looking output.
 */
export async function analyzeCase(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const say = options.onStatus ?? (() => undefined)
  // Rule files, Sigma files, the patient map and HIPAA_IR_DUCKDB_MEMORY are checked first: a bad one is exit 2 before any work.
  caseMemoryLimit()
  const engines = await loadFindingEngines(options.rules, options.sigma)
  const patientMap = await readPatientMap(options.patientMap)
  const bundles = await openBundles(options.targets, options, (done, total, name) => say(`verified ${done}/${total}: ${name}`))
  try {
    return await analyzeOpenedBundles(options, bundles, engines, patientMap)
  } finally {
    await closeBundles(bundles)
  }
}

/**
 * Everything analyze does once the bundles are open and verified (the analyze benchmark times this
 * whole, on bundle folders: bench/drivers/analyze-load.mjs).
 */
export async function analyzeOpenedBundles(options: AnalyzeOptions, bundles: readonly OpenedBundle[], engines: FindingEngines, patientMap: PatientMap | undefined): Promise<AnalyzeResult> {
  const say = options.onStatus ?? (() => undefined)
  const contents: BundleContents[] = []
  for (const bundle of bundles) contents.push(await bundleContents(bundle.dir, bundle.name))
  const caseId = caseOf(contents)
  const outDir = options.outDir ?? join('hipaa-ir-analysis', caseId)
  await prepareOutputFolder(outDir, {label: '--out-dir'})
  const work = await makePrivateTempDir('.hipaa-ir-analyze-', outDir)
  try {
    return await build(options, {bundles, caseId, contents, engines, outDir, patientMap, work}, say)
  } finally {
    await removePrivateTempDir(work)
  }
}

interface BuildInput {
  bundles: readonly OpenedBundle[]
  contents: readonly BundleContents[]
  caseId: string
  engines: FindingEngines
  outDir: string
  patientMap: PatientMap | undefined
  work: string
}

async function build(options: AnalyzeOptions, input: BuildInput, say: (m: string) => void): Promise<AnalyzeResult> {
  const {bundles, caseId, contents, engines, outDir, work} = input
  const db = await openCaseDb(join(work, ANALYZE_FILES.case_db))
  const analyzed: AnalyzedBundle[] = []
  let total = 0
  let findings: Finding[]
  let scope: CaseScope
  let factsDraft: string | null
  let timelineEvents: number
  let exporting: Promise<number> | undefined
  const stopExports = new AbortController()
  try {
    const counts = await loadCase(db, bundles.map((b, i) => ({contents: contents[i] as BundleContents, dir: b.dir, name: b.name, verified: b.verified})),
      (name, events) => say(`loaded ${name}: ${events.toLocaleString('en-US')} events`))
    for (const [index, bundle] of bundles.entries()) {
      const content = contents[index] as BundleContents
      const events = counts[index] as number
      total += events
      analyzed.push({
        events, host: content.host, name: bundle.name, notes: content.notes,
        problems: bundle.verify.problems.map((p) => ({detail: p.detail, kind: p.kind, path: p.path})), target: bundle.shownAs, verified: bundle.verified,
      })
    }
    // From here on no query needs the table's order (every one that shows rows in an order says so),
    // and events.parquet and timeline.csv are written beside the rules (exportEvents).
    await db.connection.run('SET preserve_insertion_order = false')
    exporting = exportEvents(db, {parquet: join(work, ANALYZE_FILES.events_parquet), timeline: join(work, ANALYZE_FILES.timeline_csv)}, stopExports.signal)
    // Handled at once, so that a failure of the rules leaves no unhandled rejection; awaited below.
    exporting.catch(() => undefined)
    say(`running ${engines.rules.length} rules${engines.sigmaRules > 0 ? ` and ${engines.sigmaRules} Sigma rules` : ''} over ${total.toLocaleString('en-US')} events (events.parquet and timeline.csv being written meanwhile)`)
    const phiDirs = [...new Set(contents.flatMap((c) => c.phiDirs))]
    const window = {end: options.until === undefined ? null : new Date(options.until), start: options.since === undefined ? null : new Date(options.since)}
    const hostAddresses: Record<string, string[]> = {}
    for (const content of contents) (hostAddresses[content.host] ??= []).push(...content.addresses)
    for (const [host, addrs] of Object.entries(options.hostAddresses ?? {})) (hostAddresses[host] ??= []).push(...addrs)
    const dirs = phiDirs.length > 0 ? phiDirs : [...DEFAULT_PHI_DIRS]
    const rulesInput = {bundles, db, engines, hostAddresses, ...(options.params ? {params: options.params} : {}), phiDirs: dirs, window}
    findings = await retryAfterOutOfMemory(async () => runFindingEngines(rulesInput), exporting,
      () => say(`the rules ran out of DuckDB's ${db.memoryLimit} memory beside the exports: running them again once events.parquet and timeline.csv are written`))
    say('drawing the scope')
    const attemptRules = new Set(engines.rules.filter((r) => r.rule.attempt).map((r) => r.rule.id))
    const scoped = await caseScope(db, findings, {attemptRules, dir: work, patientMap: input.patientMap, phiDirs: dirs})
    scope = scoped.scope
    say('writing the report')
    factsDraft = (await writeCaseOutputs({
      bundles: analyzed, caseId, connection: db.connection, events: total, factsOut: options.factsOut ?? null, findings, now: new Date(),
      patientMap: options.patientMap ?? null, phiDirs: dirs, phiPathsFile: join(outDir, PHI_PATHS_FILE), scope, sigmaSkipped: engines.sigmaSkipped, phiPaths: scoped.phiPaths, workDir: work,
    })).factsDraft
    await dropTemporaryTables(db.connection)
    await createEvidenceFile(join(work, ANALYZE_FILES.findings_json), `${JSON.stringify({case: caseId, findings, sigma_skipped: engines.sigmaSkipped}, null, 2)}\n`)
    say('finishing events.parquet and timeline.csv')
    timelineEvents = await exporting
    await db.connection.run('CHECKPOINT')
  } catch (error) {
    throw explainOutOfMemory(error, db.memoryLimit)
  } finally {
    // The exports' connection must be done before the database closes: stopped when anything failed.
    stopExports.abort()
    await exporting?.catch(() => undefined)
    db.close()
  }
  const files = {} as AnalyzeResult['files']
  for (const [key, name] of Object.entries({...ANALYZE_FILES, ...REPORT_FILES}) as Array<[keyof AnalyzeResult['files'], string]>) {
    await chmod(join(work, name), FILE_MODE)
    await rename(join(work, name), join(outDir, name))
    files[key] = join(outDir, name)
  }
  const warnings = analyzed.flatMap((b) => [
    ...(b.verified ? [] : [`${b.name} FAILED verification and was analyzed anyway (--allow-unverified): its events and findings carry verified: false`]),
    ...b.notes.map((note) => `${b.name}: ${note}`),
  ])
  // What verify says of each bundle (a key found next to it proves integrity, not origin), once per distinct text.
  warnings.push(...new Set(bundles.flatMap((b) => b.verify.warnings.map((w) => `${b.name}: ${w}`))))
  scope.phi_paths_file = files.phi_paths
  return {
    bundles: analyzed, case: caseId, events: total, facts_draft: factsDraft, files, findings, out_dir: outDir, scope, sigma_skipped: engines.sigmaSkipped,
    timeline_events: timelineEvents, warnings,
  }
}
