import {terminalText, terminalValue} from '../core/terminal-text.js'
import {CONTROLS, type ControlId} from './controls/catalog.js'
import type {ControlResult, ControlStatus, Evidence, PostureDocument} from './types.js'

/** One evidence item as one line of text (multi-line command output is kept as is). */
export function describeEvidence(item: Evidence): string {
  if ('missing' in item) return `${item.file}: not found`
  if ('command' in item) return `$ ${item.command}\n${item.output}`
  if ('mode' in item) return `${item.path}: mode ${item.mode}${item.type === undefined ? '' : ` (${item.type})`}`
  return `${item.file}:${item.line}: ${item.text}`
}

const COLOURS: Record<ControlStatus, string> = {fail: '\u001B[31m', pass: '\u001B[32m', unknown: '\u001B[33m'}
const RESET = '\u001B[0m'

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}

function summaryOf(control: ControlResult): string {
  if (control.reason !== undefined && control.status !== 'pass') return control.reason
  const first = control.evidence[0]
  const evidence = first === undefined ? '' : describeEvidence(first).replace(/^\$ (.*)\n/, '$1 -> ').split('\n')[0] ?? ''
  return control.reason === undefined ? evidence : `${evidence}${evidence === '' ? '' : '; '}${control.reason}`
}

/** How to fix a control that did not pass, from the catalog; undefined for an unknown id. */
export function fixFor(id: string): string | undefined {
  return Object.hasOwn(CONTROLS, id) ? CONTROLS[id as ControlId].fix : undefined
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`
}

/**
 * The human table: status, id, and why (the reason, or the deciding evidence), then how to fix each
 * failure. Colour only when asked; clipped to `width` only when one is given (a terminal), never in a file.
 */
export function renderTable(document: PostureDocument, options: {colour: boolean; width?: number}): string {
  const idWidth = Math.max(...document.controls.map((control) => control.id.length), 7)
  const width = options.width ?? Number.POSITIVE_INFINITY
  const rows = document.controls.map((control) => {
    const status = control.status.toUpperCase().padEnd(7)
    const painted = options.colour ? `${COLOURS[control.status]}${status}${RESET}` : status
    // Values from the image's configuration reach the terminal: controls are shown escaped, never interpreted.
    return `${painted}  ${control.id.padEnd(idWidth)}  ${clip(terminalValue(firstLine(summaryOf(control))), Math.max(20, width - idWidth - 11))}`
  })
  const {fail, pass, unknown} = document.summary
  return [
    terminalValue(`Posture of ${document.host} (root ${document.root}), PHI: ${document.phi_dirs.join(', ')}`),
    '',
    `${'STATUS'.padEnd(7)}  ${'CONTROL'.padEnd(idWidth)}  WHY`,
    ...rows,
    '',
    `${document.controls.length} controls: ${pass} pass, ${fail} fail, ${unknown} unknown (unknown is never a pass). Details: --json or --report FILE.`,
    ...fixLines(document.controls.filter((control) => control.status === 'fail')),
  ].join('\n')
}

function fixLines(failed: ControlResult[]): string[] {
  const lines = failed.flatMap((control) => {
    const fix = fixFor(control.id)
    return fix === undefined ? [] : [`  ${control.id}: ${fix}`]
  })
  return lines.length === 0 ? [] : ['', 'To fix (the hardening guide\'s settings; test before you reload a service):', ...lines]
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}text\n${text}\n${fence}`
}

/** The dated Markdown report: risk-assessment evidence for 164.308(a)(1)(ii)(A). */
export function renderReport(document: PostureDocument): string {
  const date = document.time.slice(0, 10)
  const live = document.root === '/'
  const lines = [
    `# HIPAA security posture snapshot: ${document.host}, ${date}`,
    '',
    'Risk-assessment evidence (45 CFR 164.308(a)(1)(ii)(A) risk analysis, 164.316(b) documentation):',
    'each baseline control of the server hardening guide, judged against the configuration and, on the live system, the running state.',
    '',
    `- Date: ${document.time} (UTC)`,
    `- Host: ${document.host}`,
    `- Tool: hipaa-ir ${document.tool_version ?? '(version unknown)'}`,
    `- System root: \`${document.root}\`${live ? ' (live system)' : ' (offline copy: live-only evidence such as loaded audit rules and block devices was not available)'}`,
    `- PHI directories: ${document.phi_dirs.map((dir) => `\`${dir}\``).join(', ')}`,
    `- Result: ${document.summary.pass} pass, ${document.summary.fail} fail, ${document.summary.unknown} unknown (unknown is never counted as a pass)`,
    '',
    '## Summary',
    '',
    '| Control | Status | HIPAA reference | Why |',
    '| --- | --- | --- | --- |',
    ...document.controls.map((control) => `| \`${control.id}\` | ${control.status.toUpperCase()} | ${cell(control.reference)} | ${cell(control.reason ?? '')} |`),
    '',
    '## Controls',
  ]
  for (const control of document.controls) {
    lines.push('', `### ${control.id}: ${control.title}`, '', `- Status: **${control.status.toUpperCase()}**`, `- Reference: ${control.reference}`)
    if (control.reason !== undefined) lines.push(`- Reason: ${control.reason}`)
    const fix = fixFor(control.id)
    if (control.status !== 'pass' && fix !== undefined) lines.push(`- To fix: ${fix}`)
    lines.push('- Evidence:', '')
    lines.push(control.evidence.length === 0 ? '  (none: the setting is absent, so the program default applies)' : fenced(terminalText(control.evidence.map((item) => describeEvidence(item)).join('\n'))))
  }
  lines.push('', '---', '', `Generated by hipaa-ir ${document.tool_version ?? ''} on ${document.time}. Sign-off (security official): ____________________  Date: __________`, '')
  return lines.join('\n')
}
