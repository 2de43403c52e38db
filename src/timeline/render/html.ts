import type {Facts} from '../facts/schema.js'
import type {Timeline} from '../types.js'

import {inlineHtml} from '../letters/markdown-html.js'
import {escapeHtml as e} from './escape.js'
import {affectedLabel, dueLabel, leftLabel, nextDeadlineLine, readings, regimeLabel, statusLabel} from './format.js'
import {renderSvgChart} from './svg-chart.js'
import {DEFERENCE_LEGEND, explainNote} from './words.js'

/** Engine wording (notes, reasons, bases) as HTML: escaped, with its `field` quotes as <code>. */
const w = (text: string): string => inlineHtml(explainNote(text))

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#111;max-width:1100px}
.banner{border:2px solid #b3261e;padding:.7em 1em;background:#fff4f2;font-weight:bold}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top;font-size:13px}
th{background:#eee}td.date{white-space:nowrap}.next{font-size:1.1em;font-weight:bold}.overdue{color:#b3261e;font-weight:bold}.weekend{color:#b26b00;font-weight:bold}
.status-verified{color:#1b7f3b}.status-secondary{color:#b26b00}.status-unverified{color:#b3261e;font-weight:bold}
@media print{body{margin:0}.banner{background:none}a{color:inherit}}`

/** A printable, self-contained page (inline CSS and SVG, no external assets); every value escaped. */
export function renderHtml(t: Timeline, facts: Facts): string {
  const rows = t.deadlines
    .map((d) => {
      const extra = [...readings(d), ...d.notes].map((n) => `<li>${w(n)}</li>`).join('')
      return `<tr><td class="date">${e(dueLabel(d))}</td><td class="${d.weekend === true ? 'weekend' : ''}">${e(d.weekday ?? '')}</td><td class="${d.overdue === true ? 'overdue' : ''}">${e(leftLabel(d))}</td><td><code>${e(d.id)}</code><br>${e(d.title)}<details><summary>${w(d.basis)}</summary><ul>${extra}</ul></details></td><td>${e(d.audience)}</td><td>${e(d.citation)}</td><td class="status-${e(d.status)}">${e(statusLabel(d.status))}</td></tr>`
    })
    .join('\n')
  const states = t.states
    .map((s) => `<tr><td>${e(s.state)}</td><td>${e(s.residents)}</td><td>${e(s.coverage === 'not-covered' ? 'not covered' : s.coverage)}</td><td class="status-${e(s.status)}">${e(statusLabel(s.status))}</td><td>${e(s.citation ?? '-')}</td><td>${w(s.hipaa_deference ?? s.note)}</td></tr>`)
    .join('\n')
  const list = (items: string[]): string => `<ul>${items.map((i) => `<li>${w(i)}</li>`).join('')}</ul>`
  const clock = t.clock === null ? '' : `<li>Discovery: ${e(t.clock.discovered)}: ${w(t.clock.discovery_basis)}</li>${t.clock.alternative === undefined ? '' : `<li>Other reading: ${e(t.clock.alternative.discovered)} (${w(t.clock.alternative.basis)})</li>`}${t.clock.law_enforcement_delay === undefined ? '' : `<li>Law-enforcement delay: ${w(t.clock.law_enforcement_delay.basis)}</li>`}`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Breach-notification timeline ${e(t.id)}</title>
<style>${STYLE}</style></head><body>
<h1>Breach-notification timeline: ${e(t.id)}</h1>
<p class="next">${e(nextDeadlineLine(t))}</p>
<p class="banner">${e(t.disclaimer)}</p>
<ul><li>As of: ${e(t.as_of)}</li><li>Regime: ${e(regimeLabel(t))}</li><li>Reporter: ${e(t.reporter)}</li><li>Affected: ${e(affectedLabel(t, facts.affected))}</li>${clock}
<li>Notification required: <strong>${t.notification_required ? 'yes' : 'no'}</strong></li></ul>
${list(t.reasons)}
${t.evidence === undefined ? '' : `<h2>Evidence bundle input</h2><p>${w(t.evidence.note)}</p>`}
${t.deadlines.length === 0 ? '' : `<h2>Timeline</h2>\n${renderSvgChart(t)}\n<h2>Deadlines (latest lawful dates)</h2>
<table><thead><tr><th>Latest date</th><th>Day</th><th>Days left</th><th>Deadline</th><th>Audience</th><th>Citation</th><th>Status</th></tr></thead><tbody>
${rows}
</tbody></table>`}
${t.states.length === 0 ? '' : `<h2>State rules</h2><table><thead><tr><th>State</th><th>Residents</th><th>Coverage</th><th>Status</th><th>Citation</th><th>HIPAA deference</th></tr></thead><tbody>
${states}
</tbody></table><p>${e(DEFERENCE_LEGEND)}</p>`}
${t.warnings.length === 0 ? '' : `<h2>Warnings</h2>${list(t.warnings)}`}
<h2>Documentation to keep (164.414(b))</h2>${list(t.documentation)}
<h2>Calendar conventions</h2>${list(t.conventions)}
</body></html>
`
}
