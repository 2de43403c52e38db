/** The team's instructions (DIR/handout/README.md): the story, the variables and the runbooks, never the answers. Pure. */
import {escapeMarkdown} from '../timeline/render/escape.js'
import {EXERCISE_BANNER} from './synthetic/phi-data.js'
import type {Scenario} from './types.js'

/** A value for a `VAR="..."` line of the sh block: double-quoted, with what sh would expand escaped. */
function shQuote(value: string): string {
  return `"${value.replaceAll(/["$`\\]/g, '\\$&')}"`
}

export function renderHandout(s: Scenario, root: string, asOf: string): string {
  return [
    `# Drill handout: ${escapeMarkdown(s.title)}`,
    '',
    `> **${EXERCISE_BANNER}**`,
    '',
    ...s.story.flatMap((p) => [escapeMarkdown(p, {keepCode: true}), '']),
    '## Your system',
    '',
    '`root/` in this folder is "the server": a synthetic system root with the logs and PHI files of the story. Work on it with `--root`, as you would on a mounted image. Keep your evidence outside it.',
    '',
    '## Set these first',
    '',
    '```sh',
    `CASE=${s.caseId}`,
    `ROOT=${shQuote(root)}`,
    `SINCE=${s.since}   # window start: the incident began after this time (the default 24h would miss it)`,
    'OUT=./team-evidence/$CASE',
    'KEYS=./team-keys',
    'EXAMINER="YOUR NAME (exercise)"',
    'FACTS=$OUT/incident.yaml',
    '```',
    '',
    `The exercise "today" is ${asOf}: give \`--as-of ${asOf}\` to \`hipaa-ir timeline\`.`,
    '',
    '## What to do',
    '',
    '1. Follow `docs/runbooks/first-hour.md` with the variables above.',
    `2. Then \`docs/runbooks/${s.runbook}.md\` for this kind of incident.`,
    '3. Write down when you start and finish each step: the debrief compares your times with the tool times.',
    '',
    'The facilitator reveals new information (injects) during the exercise. The answers (the incident facts, the deadlines, the letter drafts and the after-action report) are not in this folder.',
    '',
    `_${EXERCISE_BANNER}_`,
    '',
  ].join('\n')
}
