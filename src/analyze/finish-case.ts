/**
 * The last steps of analyze, after the findings: the scope (what the accounts and programs behind the
 * findings touched), the people behind the PHI files (with --patient-map), the facts draft
 * (--facts-out) and the reports people read (report.md, report.html). Reads the case database, writes
 * files 0600 into the work folder (and the draft where --facts-out says); returns the contract's scope.
 */
import type {DuckDBConnection} from '@duckdb/node-api'
import {readFile, stat} from 'node:fs/promises'
import {dirname, join, relative, resolve} from 'node:path'

import {UsageError} from '../core/errors.js'
import {createEvidenceFile, replaceEvidenceFile} from '../io/evidence-fs.js'
import {renderFactsDraft} from './facts-draft.js'
import {severityRank, type Finding} from './finding.js'
import type {EvidenceLine, TimelineRow} from './report/model.js'
import {renderReportHtml} from './report/render-html.js'
import {renderReportMarkdown} from './report/render-markdown.js'
import {computeScope, type Scope as ScopeDetail} from './scope/compute-scope.js'
import {countPeople, parsePatientMap, type PeopleCount} from './scope/patient-map.js'
import {phiTypesOf} from './scope/phi-types.js'

/** The contract's scope object, plus the detail the report shows. */
export interface CaseScope {
  start: string | null
  end: string | null
  accounts: string[]
  sources: string[]
  phi_files: number
  phi_paths_file: string | null
  individuals: number | null
  by_state: Record<string, number> | null
  hosts: string[]
  programs: string[]
  /** PHI files in scope that no row of the patient map covers (with --patient-map). */
  unmapped_files?: number
  /** Patients the map places in more than one state (counted once). */
  state_conflicts?: string[]
}

export interface FinishInput {
  connection: DuckDBConnection
  caseId: string
  findings: readonly Finding[]
  bundles: ReadonlyArray<{name: string; host: string; verified: boolean; target: string}>
  phiDirs: readonly string[]
  patientMap: string | null
  factsOut: string | null
  /** Where the files are built (moved into outDir by the caller), and where they end up. */
  workDir: string
  outDir: string
  sigmaSkipped: ReadonlyArray<{file: string; id?: string; title?: string; reason: string}>
  events: number
  now: Date
}

export interface FinishResult {
  scope: CaseScope
  factsDraft: string | null
  /** Files written into workDir, to move into outDir. */
  files: string[]
}

export const PHI_PATHS_FILE = 'phi-paths.txt'
const MAX_PATIENT_MAP_BYTES = 512 * 1024 * 1024
const EVIDENCE_PER_FINDING = 25

async function readPatientMap(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) throw new UsageError(`--patient-map ${path}: no such file`, {code: 'E_PATIENT_MAP', suggestions: ['Give the CSV exported from the EHR: path,patient_id,state.']})
  if (info.size > MAX_PATIENT_MAP_BYTES) throw new UsageError(`--patient-map ${path}: larger than ${MAX_PATIENT_MAP_BYTES} bytes`, {code: 'E_PATIENT_MAP'})
  return readFile(path, 'utf8')
}

/** Reads the patient map first, so a bad one is exit 2 before anything is computed. */
export async function loadPatientMap(path: string | null): Promise<ReturnType<typeof parsePatientMap> | null> {
  return path === null ? null : parsePatientMap(await readPatientMap(path), path)
}

const ISO = `strftime(timezone('UTC', time), '%Y-%m-%dT%H:%M:%S.%gZ')`

/** The events a list of refs names, in time order. */
async function evidenceLines(connection: DuckDBConnection, refs: readonly string[]): Promise<EvidenceLine[]> {
  if (refs.length === 0) return []
  return (await connection.runAndReadAll(
    `SELECT ${ISO} AS time, host, source, kind, message, bundle || '/' || ref AS ref FROM events
     WHERE (bundle || '/' || ref) IN (SELECT unnest(from_json($refs::JSON, '["VARCHAR"]'))) ORDER BY time NULLS LAST, ref`,
    {refs: JSON.stringify(refs)},
  )).getRowObjectsJson() as unknown as EvidenceLine[]
}

export async function finishCase(input: FinishInput): Promise<FinishResult> {
  const map = await loadPatientMap(input.patientMap)
  const {scope, touched} = await computeScope(input.connection, input.findings, {phiDirs: input.phiDirs})
  const files: string[] = []
  let phiPathsFile: string | null = null
  if (touched.length > 0) {
    await createEvidenceFile(join(input.workDir, PHI_PATHS_FILE), `# host\tpath\tfirst\tlast\tvia\n${touched.map((t) => `${t.host}\t${t.path}\t${t.first}\t${t.last}\t${t.via}`).join('\n')}\n`)
    files.push(PHI_PATHS_FILE)
    phiPathsFile = join(input.outDir, PHI_PATHS_FILE)
  }
  const people: PeopleCount | null = map === null ? null : countPeople(map, touched.map((t) => t.path))
  const caseScope: CaseScope = {
    accounts: scope.accounts, by_state: people?.byState ?? null, end: scope.end, hosts: scope.hosts, individuals: people?.individuals ?? null,
    phi_files: scope.phi_files, phi_paths_file: phiPathsFile, programs: scope.programs, sources: scope.sources, start: scope.start,
    ...(people ? {state_conflicts: people.conflicts, unmapped_files: people.unmapped} : {}),
  }
  let factsDraft: string | null = null
  if (input.factsOut !== null) {
    factsDraft = input.factsOut
    await replaceEvidenceFile(factsDraft, renderFactsDraft({
      bundles: input.bundles, caseId: input.caseId, drafted: input.now.toISOString(), evidencePath: evidencePath(input, scope),
      findings: input.findings, patientMap: input.patientMap, people, phiTypes: phiTypesOf(touched.map((t) => t.path), input.phiDirs), scope,
    }))
  }
  const evidence = new Map<string, EvidenceLine[]>()
  for (const finding of input.findings) evidence.set(finding.id, await evidenceLines(input.connection, finding.refs.slice(0, EVIDENCE_PER_FINDING)))
  const model = {
    bundles: input.bundles, caseId: input.caseId, events: input.events, evidence, factsDraft, findings: input.findings,
    generated: input.now.toISOString(), people, phiPathsFile, scope, sigmaSkipped: input.sigmaSkipped, timeline: timelineRows(input.findings, evidence),
  }
  await createEvidenceFile(join(input.workDir, 'report.md'), renderReportMarkdown(model))
  await createEvidenceFile(join(input.workDir, 'report.html'), renderReportHtml(model))
  files.push('report.md', 'report.html')
  return {factsDraft, files, scope: caseScope}
}

/** The events behind the findings, once each, with the rules they stand behind and the worst severity. */
function timelineRows(findings: readonly Finding[], evidence: ReadonlyMap<string, readonly EvidenceLine[]>): TimelineRow[] {
  const rows = new Map<string, TimelineRow>()
  for (const finding of findings) {
    for (const line of evidence.get(finding.id) ?? []) {
      const row = rows.get(line.ref)
      if (row === undefined) rows.set(line.ref, {...line, rules: [finding.rule], severity: finding.severity})
      else {
        if (!row.rules.includes(finding.rule)) row.rules.push(finding.rule)
        if (severityRank(finding.severity) > severityRank(row.severity)) row.severity = finding.severity
      }
    }
  }
  return [...rows.values()].sort((a, b) => ((a.time ?? '~') < (b.time ?? '~') ? -1 : (a.time ?? '~') > (b.time ?? '~') ? 1 : a.ref < b.ref ? -1 : 1))
}

/** The bundle whose posture the timeline should quote: the one of the host where the breach began, as a path from the draft's folder. */
function evidencePath(input: FinishInput, scope: ScopeDetail): string | null {
  const first = input.findings.filter((f) => scope.findings.includes(f.id)).sort((a, b) => ((a.first ?? '') < (b.first ?? '') ? -1 : 1))[0]
  const bundle = input.bundles.find((b) => b.host === first?.host) ?? input.bundles[0]
  if (bundle === undefined || bundle.target.startsWith('s3://') || input.factsOut === null) return null
  return relative(dirname(resolve(input.factsOut)), resolve(bundle.target))
}
