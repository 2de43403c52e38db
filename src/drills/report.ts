/** The after-action report of a drill, in Markdown. Pure: every input is already measured. */
import type {CollectionStatus} from '../bundle/manifest.js'
import type {CaseScope} from '../analyze/case-scope.js'
import type {Finding} from '../analyze/finding.js'
import type {Timeline} from '../timeline/types.js'
import type {AnalyzeMatch} from './analyze-check.js'
import type {EvidenceSummary, FindingResult} from './findings.js'
import type {DrillPushResult} from './io/push-drill.js'
import {GENERIC_OPEN_QUESTIONS} from './scenarios/common.js'
import {cleanText, escapeMarkdown} from '../timeline/render/escape.js'
import {EXERCISE_BANNER} from './synthetic/phi-data.js'
import type {FindingValue, Scenario} from './types.js'

export interface StepTiming {
  step: string
  /** The command a person would type for this step (the drill ran the same code in-process). */
  command: string
  ms: number
  outcome: string
}

/** `hipaa-ir analyze` on the drill's bundle, its facts draft, and the timeline run on that draft. */
export interface AnalyzeOutcome {
  dir: string
  factsDraft: string
  patientMap: null | string
  findings: Finding[]
  scope: CaseScope
  matches: AnalyzeMatch[]
  /** `timeline --facts` on the draft (provisional while it holds `[[DECIDE]]` markers). */
  timeline: Timeline
}

export interface DrillOutcome {
  scenario: Scenario
  dir: string
  startedAt: string
  asOf: string
  steps: StepTiming[]
  bundle: {name: string; tarball: string; status: CollectionStatus; warnings: string[]}
  verify: {ok: boolean; filesChecked: number; problems: string[]}
  timeline: Timeline
  letters: string[]
  evidence: EvidenceSummary
  findings: FindingResult[]
  analyze: AnalyzeOutcome
  push: DrillPushResult | null
  pushError: null | string
}

/** A value shown as code (a path, a command): a fence longer than any backtick run inside it. */
class Code {
  constructor(readonly text: string) {}
}

export function codeSpan(value: string): string {
  const text = cleanText(value).replaceAll(/\s*\r?\n\s*/g, ' ')
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** Data (user names, addresses, outcomes, log-derived values): text, never Markdown structure. */
const txt = (value: unknown): string => escapeMarkdown(String(value))
/** The tool's and the scenarios' own wording, which quotes names as `code`. */
const words = (value: string): string => escapeMarkdown(value, {keepCode: true})
/** Markdown already made safe (by `words`). */
class Md {
  constructor(readonly text: string) {}
}

const cell = (value: unknown): string => (value instanceof Code ? codeSpan(value.text).replaceAll('|', '\\|') : value instanceof Md ? value.text : txt(value))
const show = (v: FindingValue): string => (v === null ? '(none)' : String(v))

function table(head: string[], rows: unknown[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => cell(c)).join(' | ')} |`)]
}

function timingSection(o: DrillOutcome): string[] {
  const total = o.steps.reduce((n, s) => n + s.ms, 0)
  return [
    '## Measured timings',
    '',
    'Tool time of each step, measured in this run (milliseconds). Add the team\'s own times in the last column during the debrief.',
    '',
    ...table(['step', 'ms', 'outcome', 'command', 'team time'], [...o.steps.map((s) => [s.step, s.ms, s.outcome, new Code(s.command), '']), ['total', total, '', '', '']]),
    '',
  ]
}

function evidenceSection(o: DrillOutcome): string[] {
  const e = o.evidence
  const lines = ['## What the evidence shows', '', `Bundle ${codeSpan(o.bundle.name)} (${o.bundle.status}); verification ${o.verify.ok ? `passed (${o.verify.filesChecked} files re-hashed, signatures good)` : 'FAILED'}.`, '']
  for (const p of o.verify.problems) lines.push(`- verification problem: ${txt(p)}`)
  lines.push('### Accepted logins', '')
  lines.push(...(e.accepted.length === 0 ? ['None in the window.'] : table(['first', 'user', 'from', 'count'], e.accepted.map((a) => [a.first, a.user, a.ip, a.count]))), '')
  lines.push('### Failed authentications by source', '')
  lines.push(...(e.failedByIp.length === 0 ? ['None in the window.'] : table(['source', 'failures'], e.failedByIp.map((f) => [f.ip, f.count]))), '')
  if (e.sudo > 0) lines.push(`sudo commands in the window: ${e.sudo}.`, '')
  lines.push('### Audit `phi_access` events by login uid (auid)', '')
  lines.push(...(e.phiAccessByAuid.length === 0 ? ['None in the window.'] : table(['auid', 'events', 'distinct files', 'programs'], e.phiAccessByAuid.map((a) => [a.auid, a.events, a.paths, a.exes.join(', ')]))), '')
  lines.push(`### PHI files modified in the window: ${e.phiFilesModified.length}`, '')
  const shown = e.phiFilesModified.slice(0, 30)
  for (const p of shown) lines.push(`- ${codeSpan(p)}`)
  if (e.phiFilesModified.length > shown.length) lines.push(`- … and ${e.phiFilesModified.length - shown.length} more (phi-files/recently-modified.jsonl)`)
  if (o.bundle.warnings.length > 0) {
    lines.push('', '### Collection notes', '')
    for (const w of o.bundle.warnings) lines.push(`- ${words(w)}`)
  }
  lines.push('')
  return lines
}

function deadlineTable(t: Timeline): string[] {
  return table(['id', 'latest date', 'weekday', 'days left', 'audience', 'citation', 'status'],
    t.deadlines.map((d) => [d.id, d.due ?? d.due_text ?? '-', d.weekday ?? '', d.days_left ?? '', d.audience, d.citation, d.status]))
}

function analyzeSection(o: DrillOutcome): string[] {
  const a = o.analyze
  const matched = a.matches.filter((m) => m.match).length
  const lines = [
    '## What analyze found',
    '',
    `The bundle went through ${codeSpan('hipaa-ir analyze')} (output in ${codeSpan('facilitator/analysis/')}, facts draft ${codeSpan('facilitator/facts-draft.yaml')}${a.patientMap === null ? ', no patient map: the scenario does not say whose PHI its files hold' : `, patient map ${codeSpan('facilitator/patient-map.csv')}`}). Analyze sees only what the bundle holds: a miss below is what a team working from the evidence alone would get wrong, or could not know.`,
    '',
  ]
  lines.push(...(a.findings.length === 0 ? ['No findings.'] : table(['rule', 'severity', 'host', 'first', 'last', 'title'], a.findings.map((f) => [f.rule, f.severity, f.host, f.first ?? '-', f.last ?? '-', f.title]))), '')
  lines.push(`### Analyze vs the scenario: ${matched} of ${a.matches.length} match`, '')
  lines.push(...table(['what', 'expected', 'analyze', 'result'], a.matches.map((m) => [m.label, m.expected, m.found ?? '(none: [[DECIDE]] in the draft)', m.match ? 'match' : new Md('**MISS**')])), '')
  const t = a.timeline
  const provisional = t.undecided !== undefined && t.undecided.length > 0
  lines.push(
    `### The exercise's legal clock from the draft (${provisional ? 'PROVISIONAL' : 'as drafted'}): a draft for counsel`,
    '',
    `> **DRAFT FOR COUNSEL, NOT LEGAL ADVICE.** ${codeSpan(`hipaa-ir timeline --facts facilitator/facts-draft.yaml --as-of ${t.as_of}`)} on the draft as analyze wrote it${provisional ? `, with ${t.undecided?.length} facts still \`[[DECIDE]]\` (${txt(t.undecided?.join(', '))}): every date is provisional, counted as if discovery were the breach's first day, so none is later than it can be` : ''}. Compare it with the deadlines above, which come from the scenario's decided facts.`,
    '',
    `${t.notification_required ? 'Notification is required on this reading.' : 'No notification is required on this reading.'}`,
    '',
  )
  for (const r of t.reasons) lines.push(`- ${words(r)}`)
  if (t.reasons.length > 0) lines.push('')
  lines.push(...(t.deadlines.length > 0 ? deadlineTable(t) : ['No deadlines on this reading.']), '')
  return lines
}

function deadlineSection(o: DrillOutcome): string[] {
  const t = o.timeline
  const lines = ['## Deadlines', '', `Counted as of ${t.as_of} (exercise date). ${t.notification_required ? 'Notification is required.' : 'No notification is required.'}`, '']
  for (const r of t.reasons) lines.push(`- ${words(r)}`)
  if (t.clock !== null) {
    lines.push('', `Discovery used for the federal clocks: ${t.clock.discovered} (${words(t.clock.discovery_basis)}).`)
    if (t.clock.alternative !== undefined) lines.push(`Other reading: ${t.clock.alternative.discovered} (${words(t.clock.alternative.basis)}).`)
    if (t.clock.law_enforcement_delay !== undefined) lines.push(`Law-enforcement delay: ${t.clock.law_enforcement_delay.kind}, received ${t.clock.law_enforcement_delay.received}, ends ${t.clock.law_enforcement_delay.ends}.`)
  }
  lines.push('')
  if (t.deadlines.length > 0) {
    lines.push(...deadlineTable(t), '')
  } else {
    lines.push('No deadlines. Keep the documentation 164.414(b) requires:', '')
    for (const d of t.documentation) lines.push(`- ${words(d)}`)
    lines.push('')
  }
  if (o.letters.length > 0) lines.push(`Letter drafts (${o.letters.length} files) are in \`facilitator/letters/\`: drafts for counsel, marked as exercise material by the facts.`, '')
  lines.push(`_${txt(t.disclaimer)}_`, '')
  return lines
}

function findingsSection(o: DrillOutcome): string[] {
  const matched = o.findings.filter((f) => f.match).length
  return [
    '## Expected vs found',
    '',
    `${matched} of ${o.findings.length} expected findings match.`,
    '',
    ...table(['finding', 'expected', 'found', 'result'], o.findings.map((f) => [f.label, show(f.expected), show(f.found), f.match ? 'match' : new Md('**MISMATCH**')])),
    '',
  ]
}

function pushSection(o: DrillOutcome): string[] {
  if (o.push === null && o.pushError === null) return []
  if (o.push === null) return ['## WORM push (exercise)', '', `Push failed: ${txt(o.pushError ?? '')}. The bundle stays local and pending.`, '']
  const p = o.push
  const lines = [
    '## WORM push (exercise)',
    '',
    `Bucket ${codeSpan(p.bucket)}, prefix ${codeSpan(`${p.prefix}/`)}, ${p.locked ? `${p.mode} retention until ${p.retainUntil ?? '-'}` : 'bucket without Object Lock (deletable)'}, tags ${txt(Object.entries(p.tags).map(([k, v]) => `${k}=${v}`).join(', '))}. Never COMPLIANCE mode for a drill.`,
    '',
    ...table(['object', 'version', 'tagged'], p.objects.map((x) => [x.key, x.versionId ?? '-', x.tagged ? 'yes' : 'no'])),
    '',
  ]
  for (const f of p.failed) lines.push(`- problem: ${txt(f)}`)
  return lines
}

export function renderReport(o: DrillOutcome): string {
  const s = o.scenario
  const lines = [
    `# After-action report: ${s.title}`,
    '',
    `> **${EXERCISE_BANNER}**`,
    `> Scenario ${codeSpan(s.id)}, run ${o.startedAt}, exercise date ${o.asOf}. Files: ${codeSpan(o.dir)}.`,
    '',
    '## The scenario',
    '',
    ...s.story.flatMap((p) => [words(p), '']),
    '',
    `Runbook: \`docs/runbooks/${s.runbook}.md\` (start with \`docs/runbooks/first-hour.md\`). The team is handed \`handout/\` only (the synthetic root and \`handout/README.md\` with the \`--since\` they need); everything else under \`facilitator/\` is the answers.`,
    '',
    ...timingSection(o),
    ...evidenceSection(o),
    ...deadlineSection(o),
    ...findingsSection(o),
    ...analyzeSection(o),
    ...pushSection(o),
    '## Injects',
    '',
    ...table(['when', 'the facilitator reveals', 'for the team'], s.injects.map((i) => [i.at, new Md(words(i.text)), new Md(words(i.prompt ?? ''))])),
    '',
    '## Discussion questions',
    '',
    ...s.questions.map((q, i) => `${i + 1}. ${words(q)}`),
    '',
    '## Open questions for the team',
    '',
    ...[...s.openQuestions, ...GENERIC_OPEN_QUESTIONS].map((q) => `- [ ] ${words(q)}`),
    '',
    '## Debrief',
    '',
    '- What went well:',
    '- What took too long (compare the team times with the tool times above):',
    '- What to change in the runbook:',
    '',
    `_${EXERCISE_BANNER}_`,
    '',
  ]
  return lines.join('\n')
}
