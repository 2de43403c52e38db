import {writeFile} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import type {Facts} from './facts/schema.js'
import type {IsoDate, Timeline} from './types.js'

import {computeTimeline} from './engine.js'
import {loadFactsFile} from './io/load-facts.js'
import {readLetterTemplates, writeLetters} from './io/letter-files.js'
import {readEvidencePosture} from './io/read-evidence.js'
import {renderLetters} from './letters/render.js'
import {postureFinding} from './posture.js'
import {renderHtml} from './render/html.js'
import {renderIcs} from './render/ics.js'
import {renderJson} from './render/json.js'
import {renderMarkdown} from './render/markdown.js'

export type TimelineFormat = 'html' | 'ics' | 'json' | 'md'

export interface TimelineRunOptions {
  factsPath: string
  format: TimelineFormat
  asOf: IsoDate
  out?: string
  lettersDir?: string
}

export interface TimelineRunResult {
  timeline: Timeline
  facts: Facts
  rendered: string
  out: string | null
  letters: string[]
}

export function renderTimeline(t: Timeline, facts: Facts, format: TimelineFormat): string {
  if (format === 'json') return renderJson(t)
  if (format === 'ics') return renderIcs(t)
  if (format === 'html') return renderHtml(t, facts)
  return renderMarkdown(t, facts)
}

/** Adds what the evidence bundle's posture snapshot says (an input, never the decision). */
async function attachEvidence(t: Timeline, facts: Facts, factsPath: string): Promise<void> {
  if (facts.evidence === undefined) return
  const path = resolve(dirname(factsPath), facts.evidence)
  const read = await readEvidencePosture(path)
  if (read.problem !== undefined) {
    t.warnings.push(read.problem)
    t.evidence = {path: facts.evidence, found: false, note: read.problem}
    return
  }
  t.evidence = postureFinding(facts.evidence, read.posture, facts.secured)
  if (!t.evidence.found) t.warnings.push(t.evidence.note)
}

/** facts file → timeline → rendered output (+ file) → letters. The I/O edge of the timeline feature. */
export async function runTimeline(options: TimelineRunOptions): Promise<TimelineRunResult> {
  const facts = await loadFactsFile(options.factsPath)
  const timeline = computeTimeline(facts, options.asOf)
  await attachEvidence(timeline, facts, options.factsPath)
  const rendered = renderTimeline(timeline, facts, options.format)
  if (options.out !== undefined) await writeFile(options.out, rendered, {mode: 0o600})
  let letters: string[] = []
  if (options.lettersDir !== undefined) {
    const drafts = await renderLetters(timeline, facts, await readLetterTemplates())
    letters = await writeLetters(options.lettersDir, drafts)
  }
  return {timeline, facts, rendered, out: options.out ?? null, letters}
}
