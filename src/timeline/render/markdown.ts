import type {Facts} from '../facts/schema.js'
import type {Timeline} from '../types.js'

import {affectedLabel, dueLabel, leftLabel, readings, regimeLabel, statusLabel} from './format.js'

/** Escapes text for a Markdown table cell or line: no HTML, no cell breaks. */
export function mdText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ')
}

/** The default output: a table sorted by date, citations and statuses, a not-legal-advice banner. */
export function renderMarkdown(t: Timeline, facts: Facts): string {
  const lines: string[] = []
  lines.push(`# Breach-notification timeline: ${mdText(t.id)}`, '', `> **${mdText(t.disclaimer)}**`, '')
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
    lines.push('')
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
