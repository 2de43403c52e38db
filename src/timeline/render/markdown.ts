import type {Facts} from '../facts/schema.js'
import type {Timeline} from '../types.js'

import {escapeMarkdown} from './escape.js'
import {affectedLabel, dueLabel, leftLabel, nextDeadlineLine, readings, regimeLabel, statusLabel} from './format.js'
import {DEFERENCE_LEGEND, explainNote} from './words.js'

/** Text for a Markdown line or table cell: stays text (no structure, no HTML, no entities); the rules' `code` spans are kept. */
function mdText(value: string): string {
  return escapeMarkdown(explainNote(value), {keepCode: true})
}

/** The default output: a table sorted by date, citations and statuses, a not-legal-advice banner. */
export function renderMarkdown(t: Timeline, facts: Facts): string {
  const lines: string[] = []
  // First line: the one thing to know now (the rest of the page is long).
  lines.push(escapeMarkdown(nextDeadlineLine(t)), '', `# Breach-notification timeline: ${escapeMarkdown(t.id)}`, '', `> **${mdText(t.disclaimer)}**`, '')
  lines.push(`- As of: ${t.as_of}`, `- Regime: ${regimeLabel(t)}`, `- Reporter: ${t.reporter}`, `- Affected: ${mdText(affectedLabel(t, facts.affected))}`)
  if (t.clock !== null) lines.push(`- Discovery: ${t.clock.discovered}: ${mdText(t.clock.discovery_basis)}`)
  if (t.clock?.alternative !== undefined) lines.push(`- Other reading: ${t.clock.alternative.discovered} (${mdText(t.clock.alternative.basis)})`)
  if (t.clock?.law_enforcement_delay !== undefined) lines.push(`- Law-enforcement delay: ${mdText(t.clock.law_enforcement_delay.basis)}`)
  lines.push(`- Notification required: **${t.notification_required ? 'yes' : 'no'}**`, '')
  for (const reason of t.reasons) lines.push(`> ${mdText(reason)}`)
  lines.push('')
  if (t.evidence !== undefined) lines.push('## Evidence bundle input', '', mdText(t.evidence.note), '')
  if (t.deadlines.length > 0) {
    lines.push('## Deadlines (latest lawful dates, sorted by date)', '')
    lines.push('| Latest date | Day | Days left | Deadline | Audience | Citation | Status |', '| --- | --- | --- | --- | --- | --- | --- |')
    for (const d of t.deadlines) {
      const day = d.weekday === undefined ? '' : d.weekend === true ? `**${d.weekday}**` : d.weekday
      lines.push(`| ${mdText(dueLabel(d))} | ${day} | ${leftLabel(d)} | \`${d.id}\` ${mdText(d.title)} | ${mdText(d.audience)} | ${mdText(d.citation)} | ${statusLabel(d.status)} |`)
    }
    lines.push('', '### How each date was computed', '')
    for (const d of t.deadlines) {
      lines.push(`- \`${d.id}\` (${statusLabel(d.status)}): ${mdText(d.basis)}`)
      for (const r of readings(d)) lines.push(`  - ${mdText(r)}`)
      for (const n of d.notes) lines.push(`  - ${mdText(n)}`)
    }
    lines.push('')
  }
  if (t.states.length > 0) {
    lines.push('## State rules', '', '| State | Residents | Coverage | Status | Citation | HIPAA deference |', '| --- | --- | --- | --- | --- | --- |')
    for (const s of t.states) {
      lines.push(`| ${s.state} | ${s.residents} | ${s.coverage === 'not-covered' ? 'not covered' : s.coverage} | ${statusLabel(s.status)} | ${mdText(s.citation ?? '-')} | ${mdText(s.hipaa_deference ?? s.note)} |`)
    }
    lines.push('', DEFERENCE_LEGEND, '')
  }
  if (t.warnings.length > 0) {
    lines.push('## Warnings', '')
    for (const w of t.warnings) lines.push(`- ${mdText(w)}`)
    lines.push('')
  }
  lines.push('## Documentation to keep (164.414(b))', '')
  for (const item of t.documentation) lines.push(`- ${mdText(item)}`)
  lines.push('', '## Calendar conventions', '')
  for (const c of t.conventions) lines.push(`- ${mdText(c)}`)
  lines.push('')
  return lines.join('\n')
}
