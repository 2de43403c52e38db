/**
 * The outputs people read, after the findings and the scope: report.md and report.html (each
 * finding with the evidence lines behind it, one timeline across hosts, the scope with its counts)
 * and, with --facts-out, the facts draft for `timeline --facts`. Reads the case database for the
 * evidence lines; writes 0600 files.
 */
import type {DuckDBConnection} from '@duckdb/node-api'
import {dirname, join, relative, resolve} from 'node:path'

import {createEvidenceFile, replaceEvidenceFile} from '../io/evidence-fs.js'
import type {CaseScope} from './case-scope.js'
import {refsTable} from './evidence-refs.js'
import {evidenceSql, isoTimeSql} from './sql.js'
import {renderFactsDraft} from './facts-draft.js'
import {severityRank, type Finding} from './finding.js'
import {type EvidenceLine, layoutFindings, type ReportModel, type TimelineRow} from './report/model.js'
import {renderReportHtml} from './report/render-html.js'
import {renderReportMarkdown} from './report/render-markdown.js'
import {joinedHosts} from './rules/joined-hosts.js'
import {phiTypesOf} from './scope/phi-types.js'

export interface CaseOutputsInput {
  connection: DuckDBConnection
  caseId: string
  findings: readonly Finding[]
  scope: CaseScope
  /** Reads the PHI paths in scope (for the PHI types of the facts draft; read only when drafting it). */
  phiPaths: () => Promise<readonly string[]>
  bundles: ReadonlyArray<{name: string; host: string; verified: boolean; target: string}>
  phiDirs: readonly string[]
  patientMap: string | null
  factsOut: string | null
  /** Where report.md and report.html are built (the caller moves them into the output folder). */
  workDir: string
  /** The path phi_paths_file will have in the output folder. */
  phiPathsFile: string | null
  sigmaSkipped: ReadonlyArray<{file: string; id?: string | null; title?: string | null; reason: string}>
  events: number
  now: Date
}

export const REPORT_FILES = {report_html: 'report.html', report_md: 'report.md'} as const
const EVIDENCE_PER_FINDING = 25

/** Time order (lines without a time last), then by ref: the order the report quotes evidence in. */
function byTime(a: EvidenceLine, b: EvidenceLine): number {
  const [ka, kb] = [a.time ?? '~', b.time ?? '~']
  if (ka !== kb) return ka < kb ? -1 : 1
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0
}

/**
 * The evidence lines of every finding (its first refs), in one query for the whole case: a case can
 * have tens of thousands of findings, and one query each would dominate the run.
 */
async function evidenceByFinding(connection: DuckDBConnection, findings: readonly Finding[]): Promise<Map<string, EvidenceLine[]>> {
  const wanted = findings.flatMap((f) => f.refs.slice(0, EVIDENCE_PER_FINDING))
  const lines = new Map<string, EvidenceLine>()
  if (wanted.length > 0) {
    await refsTable(connection, 'report_refs', wanted)
    const rows = (await connection.runAndReadAll(
      `SELECT ${isoTimeSql('e.time')} AS time, e.host, e.source, e.kind, e.message, ${evidenceSql('e')} AS ref FROM events e JOIN report_refs w ON e.bundle = w.bundle AND e.ref = w.ref`,
    )).getRowObjectsJson() as unknown as EvidenceLine[]
    for (const row of rows) lines.set(row.ref, row)
  }
  const byFinding = new Map<string, EvidenceLine[]>()
  for (const finding of findings) {
    const own = finding.refs.slice(0, EVIDENCE_PER_FINDING).flatMap((ref) => lines.get(ref) ?? [])
    byFinding.set(finding.id, own.sort(byTime))
  }
  return byFinding
}

/** Writes report.md and report.html into workDir and the facts draft to --facts-out; returns the draft's path or null. */
export async function writeCaseOutputs(input: CaseOutputsInput): Promise<{factsDraft: string | null}> {
  const people = input.scope.individuals === null ? null : {byState: input.scope.by_state ?? {}, conflicts: input.scope.conflicts ?? [], individuals: input.scope.individuals, unmapped: input.scope.unmapped ?? 0}
  let factsDraft: string | null = null
  if (input.factsOut !== null) {
    factsDraft = input.factsOut
    await replaceEvidenceFile(factsDraft, renderFactsDraft({
      bundles: input.bundles, caseId: input.caseId, drafted: input.now.toISOString(), evidencePath: evidencePath(input),
      findings: input.findings, patientMap: input.patientMap, people, phiTypes: phiTypesOf(await input.phiPaths(), input.phiDirs), scope: input.scope,
    }))
  }
  // Evidence lines only for the findings the report shows in full.
  const layout = layoutFindings(input.findings)
  const evidence = await evidenceByFinding(input.connection, input.findings.filter((f) => layout.detailed.has(f.id)))
  const model: ReportModel = {
    bundles: input.bundles, caseId: input.caseId, events: input.events, evidence, factsDraft, findings: input.findings, layout,
    generated: input.now.toISOString(), joined: joinedHosts(input.findings), people, phiPathsFile: input.phiPathsFile, scope: input.scope,
    sigmaSkipped: input.sigmaSkipped.map((s) => ({file: s.file, reason: s.reason, ...(s.id ? {id: s.id} : {}), ...(s.title ? {title: s.title} : {})})),
    timeline: timelineRows(input.findings, evidence),
  }
  await createEvidenceFile(join(input.workDir, REPORT_FILES.report_md), renderReportMarkdown(model))
  await createEvidenceFile(join(input.workDir, REPORT_FILES.report_html), renderReportHtml(model))
  return {factsDraft}
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
  return [...rows.values()].sort(byTime)
}

/** The bundle whose posture the timeline should quote: the one of the host where the breach began, as a path from the draft's folder. */
function evidencePath(input: CaseOutputsInput): string | null {
  const behind = input.findings.filter((f) => input.scope.findings.includes(f.id)).sort((a, b) => ((a.first ?? '') < (b.first ?? '') ? -1 : 1))
  const bundle = input.bundles.find((b) => b.host === behind[0]?.host) ?? input.bundles[0]
  if (bundle === undefined || bundle.target.startsWith('s3://') || input.factsOut === null) return null
  return relative(dirname(resolve(input.factsOut)), resolve(bundle.target))
}
