import {escapeHtml as e} from '../../timeline/render/escape.js'
import {severities} from '../finding.js'
import {joinedSentence, REPORT_DISCLAIMER, type ReportModel} from './model.js'
import {renderTimelineSvg} from './timeline-svg.js'

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:1100px}
.banner{border:2px solid #b3261e;padding:.7em 1em;background:#fff4f2;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}
th{background:#eee}td.time{white-space:nowrap}code{font-size:12px}.count{font-size:1.4em;font-weight:bold}
.sev{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px}.sev-critical{background:#7a0b0b}.sev-high{background:#b3261e}.sev-medium{background:#b26b00}.sev-low{background:#1f6fb2}.sev-info{background:#5f6b7a}
.unverified{color:#b3261e;font-weight:bold}details{margin:.3em 0 1em}
@media print{body{margin:0}.banner{background:none}details{display:block}}`

/** report.html: the same content as report.md, printable and self-contained (inline CSS and SVG), every value escaped. */
export function renderReportHtml(model: ReportModel): string {
  const {scope} = model
  const sev = (s: string) => `<span class="sev sev-${e(s)}">${e(s)}</span>`
  const bundles = model.bundles.map((b) => `<tr><td><code>${e(b.name)}</code></td><td>${e(b.host)}</td><td${b.verified ? '' : ' class="unverified"'}>${b.verified ? 'yes' : 'NO: findings from it are marked unverified'}</td></tr>`).join('\n')
  const people = model.people === null
    ? '<li>Individuals: not counted (give <code>--patient-map</code>)</li>'
    : `<li>Individuals: <span class="count">${model.people.individuals}</span>; by state: ${e(Object.entries(model.people.byState).map(([s, n]) => `${s} ${n}`).join(', ') || 'none')}${model.people.unmapped > 0 ? `; ${model.people.unmapped} PHI files in scope are not in the patient map` : ''}</li>`
  const scopeHtml = scope.start === null
    ? '<p>No finding of medium severity or worse: the evidence does not show a breach window.</p>'
    : `<ul><li>Window: ${e(scope.start)} to ${e(scope.end ?? '?')} (first and last malicious event, UTC)</li><li>Hosts: ${e(scope.hosts.join(', ') || 'none')}</li><li>Accounts: ${e(scope.accounts.join(', ') || 'none')}</li><li>Source addresses: ${e(scope.sources.join(', ') || 'none')}</li>${scope.programs.length > 0 ? `<li>Programs of the intruder's own: ${e(scope.programs.join(', '))}</li>` : ''}<li>PHI files touched in the window: <span class="count">${scope.phi_files}</span>${model.phiPathsFile ? ` (listed in <code>${e(model.phiPathsFile)}</code>)` : ''}</li>${people}${model.factsDraft ? `<li>Facts draft for <code>timeline --facts</code>: <code>${e(model.factsDraft)}</code></li>` : ''}</ul>`
  const findings = [...severities].reverse().map((severity) => {
    const group = model.findings.filter((f) => f.severity === severity)
    if (group.length === 0) return ''
    const listed = group.filter((x) => model.layout.listed.has(x.id))
    const table = listed.length === 0 ? '' : `<p>More ${e(severity)} findings, one line each (in full in findings.json):</p><table><thead><tr><th>Rule</th><th>Host</th><th>Account</th><th>Address</th><th>First</th><th>Last</th><th>Events</th></tr></thead><tbody>${listed.map((f) => `<tr><td><code>${e(f.rule)}</code></td><td>${e((f.hosts ?? [f.host]).join(' → '))}</td><td>${e(f.user ?? '')}</td><td>${e(f.ip ?? '')}</td><td class="time">${e(f.first ?? '?')}</td><td class="time">${e(f.last ?? '?')}</td><td>${f.count}</td></tr>`).join('')}</tbody></table>`
    const omitted = [...model.layout.omitted].filter(([rule]) => group.some((f) => f.rule === rule)).map(([rule, n]) => `<p>${n} more findings of <code>${e(rule)}</code> are only in findings.json.</p>`).join('')
    return `<h3>${sev(severity)} ${group.length}</h3>\n${group.filter((x) => model.layout.detailed.has(x.id)).map((f) => {
      const lines = model.evidence.get(f.id) ?? []
      const evidence = lines.length === 0 ? '' : `<details open><summary>Evidence (${lines.length}${f.refs_total ? ` of ${f.refs_total}` : ''})</summary><table><thead><tr><th>Time (UTC)</th><th>Host</th><th>Evidence</th><th>Line</th></tr></thead><tbody>${lines.map((l) => `<tr><td class="time">${e(l.time ?? '')}</td><td>${e(l.host)}</td><td>${e(l.message)}</td><td><code>${e(l.ref)}</code></td></tr>`).join('')}</tbody></table></details>`
      return `<h4>${e(f.title)}</h4><ul><li>Rule: <code>${e(f.rule)}</code> (${e(f.source)}${f.rule_file ? `, ${e(f.rule_file)}` : ''})${f.unverified ? ' <span class="unverified">UNVERIFIED evidence</span>' : ''}</li><li>Host: ${e((f.hosts ?? [f.host]).join(' → '))}; ${e(f.first ?? '?')} to ${e(f.last ?? '?')}; ${f.count} event${f.count === 1 ? '' : 's'}</li>${f.user ? `<li>Account: ${e(f.user)}</li>` : ''}${f.ip ? `<li>Address: ${e(f.ip)}</li>` : ''}${f.paths.length > 0 ? `<li>Paths: ${e(f.paths.slice(0, 10).join(', '))}${(f.paths_total ?? f.paths.length) > 10 ? ` … (${f.paths_total ?? f.paths.length} in all)` : ''}</li>` : ''}${f.reason ? `<li>Why it matters: ${e(f.reason)}</li>` : ''}</ul>${evidence}`
    }).join('\n')}${table}${omitted}`
  }).join('\n')
  const timeline = model.timeline.map((r) => `<tr><td class="time">${e(r.time ?? '')}</td><td>${e(r.host)}</td><td>${sev(r.severity)}</td><td>${e(r.message)}</td><td>${e(r.rules.join(', '))}</td><td><code>${e(r.ref)}</code></td></tr>`).join('\n')
  const skipped = model.sigmaSkipped.length === 0 ? '' : `<h2>Sigma rules not run</h2><ul>${model.sigmaSkipped.map((s) => `<li>${e(s.title ?? s.id ?? s.file)} (<code>${e(s.file)}</code>): ${e(s.reason)}</li>`).join('')}</ul>`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hipaa-ir analysis ${e(model.caseId)}</title>
<style>${STYLE}</style></head><body>
<h1>hipaa-ir analysis: ${e(model.caseId)}</h1>
<p class="banner">${e(REPORT_DISCLAIMER)}</p>
<p>Generated ${e(model.generated)} from ${model.bundles.length} bundle${model.bundles.length === 1 ? '' : 's'} (${model.events} events).</p>
<table><thead><tr><th>Bundle</th><th>Host</th><th>Verified</th></tr></thead><tbody>
${bundles}
</tbody></table>
<h2>Scope</h2>
${scopeHtml}
<h2>Case timeline across hosts</h2>
${model.joined.map((hosts) => `<p>${e(joinedSentence(hosts))}</p>`).join('\n')}
${renderTimelineSvg(model.timeline, model.findings.filter((f) => model.layout.detailed.has(f.id)), model.scope)}
<h2>Findings</h2>
${model.findings.length === 0 ? '<p>No rule found anything.</p>' : findings}
<h2>Events behind the findings</h2>
${model.timeline.length === 0 ? '<p>No event stands behind a finding.</p>' : `<table><thead><tr><th>Time (UTC)</th><th>Host</th><th>Severity</th><th>What</th><th>Rules</th><th>Evidence</th></tr></thead><tbody>
${timeline}
</tbody></table>`}
${skipped}
</body></html>
`
}
