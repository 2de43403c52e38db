import {escapeMarkdown as m} from '../../timeline/render/escape.js'
import {severities} from '../finding.js'
import {joinedSentence, REPORT_DISCLAIMER, type ReportModel} from './model.js'

const code = (value: string) => `\`${value.replaceAll('`', "'")}\``

/** report.md: findings by severity with their evidence lines, the case timeline across hosts, the scope. */
export function renderReportMarkdown(model: ReportModel): string {
  const {scope} = model
  const out: string[] = [
    `# hipaa-ir analysis: ${m(model.caseId)}`,
    '',
    `> ${m(REPORT_DISCLAIMER)}`,
    '',
    `Generated ${m(model.generated)} from ${model.bundles.length} bundle${model.bundles.length === 1 ? '' : 's'} (${model.events} events).`,
    '',
    '| bundle | host | verified |',
    '| --- | --- | --- |',
    ...model.bundles.map((b) => `| ${m(b.name)} | ${m(b.host)} | ${b.verified ? 'yes' : '**NO: findings from it are marked unverified**'} |`),
    '',
    '## Scope',
    '',
  ]
  if (scope.start === null) out.push('No finding of medium severity or worse: the evidence does not show a breach window.', '')
  else {
    out.push(
      `- Window: ${m(scope.start)} to ${m(scope.end ?? '?')} (first and last malicious event, UTC)`,
      `- Hosts: ${m(scope.hosts.join(', ') || 'none')}`,
      `- Accounts: ${m(scope.accounts.join(', ') || 'none')}`,
      `- Source addresses: ${m(scope.sources.join(', ') || 'none')}`,
      ...(scope.programs.length > 0 ? [`- Programs of the intruder's own: ${m(scope.programs.join(', '))}`] : []),
      `- PHI files touched in the window: **${scope.phi_files}**${model.phiPathsFile ? ` (listed in ${code(model.phiPathsFile)})` : ''}`,
    )
    if (model.people === null) out.push('- Individuals: not counted (give `--patient-map`)')
    else {
      out.push(`- Individuals: **${model.people.individuals}**; by state: ${Object.entries(model.people.byState).map(([s, n]) => `${s} ${n}`).join(', ') || 'none'}`)
      if (model.people.unmapped > 0) out.push(`- ${model.people.unmapped} PHI files in scope are not in the patient map`)
    }
    if (model.factsDraft) out.push(`- Facts draft for \`timeline --facts\`: ${code(model.factsDraft)}`)
    out.push('')
  }
  out.push('## Findings', '')
  if (model.findings.length === 0) out.push('No rule found anything.', '')
  for (const severity of [...severities].reverse()) {
    const group = model.findings.filter((f) => f.severity === severity)
    if (group.length === 0) continue
    out.push(`### ${severity} (${group.length})`, '')
    for (const f of group.filter((x) => model.layout.detailed.has(x.id))) {
      out.push(`#### ${m(f.title)}`, '')
      out.push(`- Rule: ${code(f.rule)} (${f.source}${f.rule_file ? `, ${m(f.rule_file)}` : ''})${f.unverified ? ' **UNVERIFIED evidence**' : ''}`)
      out.push(`- Host: ${m((f.hosts ?? [f.host]).join(' → '))}; ${m(f.first ?? '?')} to ${m(f.last ?? '?')}; ${f.count} event${f.count === 1 ? '' : 's'}`)
      if (f.user) out.push(`- Account: ${m(f.user)}`)
      if (f.ip) out.push(`- Address: ${m(f.ip)}`)
      if (f.paths.length > 0) out.push(`- Paths: ${f.paths.slice(0, 10).map((p) => m(p)).join(', ')}${(f.paths_total ?? f.paths.length) > 10 ? ` … (${f.paths_total ?? f.paths.length} in all)` : ''}`)
      if (f.reason) out.push(`- Why it matters: ${m(f.reason)}`)
      const lines = model.evidence.get(f.id) ?? []
      if (lines.length > 0) {
        out.push('', `Evidence (${lines.length}${f.refs_total ? ` of ${f.refs_total}` : ''}):`, '')
        for (const line of lines) out.push(`- ${m(line.time ?? '(no time)')} ${m(line.host)} ${code(line.ref)}: ${m(line.message)}`)
      }
      out.push('')
    }
    const listed = group.filter((x) => model.layout.listed.has(x.id))
    if (listed.length > 0) {
      out.push(`More ${severity} findings, one line each (in full in findings.json):`, '', '| rule | host | account | address | first | last | events |', '| --- | --- | --- | --- | --- | --- | --- |')
      for (const f of listed) out.push(`| ${code(f.rule)} | ${m((f.hosts ?? [f.host]).join(' → '))} | ${m(f.user ?? '')} | ${m(f.ip ?? '')} | ${m(f.first ?? '?')} | ${m(f.last ?? '?')} | ${f.count} |`)
      out.push('')
    }
    for (const [rule, n] of model.layout.omitted) {
      if (group.some((f) => f.rule === rule)) out.push(`${n} more findings of ${code(rule)} are only in findings.json.`, '')
    }
  }
  out.push('## Case timeline across hosts', '')
  for (const hosts of model.joined) out.push(m(joinedSentence(hosts)), '')
  if (model.timeline.length === 0) out.push('No event stands behind a finding.', '')
  else {
    out.push('| time (UTC) | host | severity | what | rules | evidence |', '| --- | --- | --- | --- | --- | --- |')
    for (const row of model.timeline) out.push(`| ${m(row.time ?? '')} | ${m(row.host)} | ${row.severity} | ${m(row.message)} | ${m(row.rules.join(', '))} | ${code(row.ref)} |`)
    out.push('')
  }
  if (model.sigmaSkipped.length > 0) {
    out.push('## Sigma rules not run', '')
    for (const s of model.sigmaSkipped) out.push(`- ${m(s.title ?? s.id ?? s.file)} (${m(s.file)}): ${m(s.reason)}`)
    out.push('')
  }
  return `${out.join('\n')}\n`
}
