import {dirname, resolve} from 'node:path'

import {errorMessage, HipaaIrError, OutputError} from '../core/errors.js'
import {replaceEvidenceFile} from '../io/evidence-fs.js'

import type {Facts} from './facts/schema.js'
import type {RenderedLetter} from './letters/render.js'
import type {IsoDate, Timeline} from './types.js'

import {computeTimeline} from './engine.js'
import {undecidedWarning} from './facts/undecided.js'
import {leftoversWarning} from './facts/leftovers.js'
import {loadFactsFile} from './io/load-facts.js'
import {type LetterFolderPlan, type LettersWritten, planLetterFolder, readLetterTemplates, writeLetters} from './io/letter-files.js'
import {postureFinding} from './posture.js'
import {renderHtml} from './render/html.js'
import {renderJson} from './render/json.js'
import {renderMarkdown} from './render/markdown.js'

export type TimelineFormat = 'html' | 'ics' | 'json' | 'md'

export interface TimelineRunOptions {
  factsPath: string
  format: TimelineFormat
  asOf: IsoDate
  out?: string
  lettersDir?: string
  /** Replace existing drafts in lettersDir (they are kept in previous-STAMP/). */
  force?: boolean
}

export interface TimelineRunResult {
  timeline: Timeline
  facts: Facts
  rendered: string
  out: string | null
  letters: string[]
  /** With lettersDir: where replaced and no-longer-owed drafts went. */
  lettersMoved: Omit<LettersWritten, 'paths'> | null
  /** The facts still hold `timeline init` example values (the first warning says which). */
  leftovers: boolean
}

/** The timeline in one format. The ics library is loaded only for --format ics. */
export async function renderTimeline(t: Timeline, facts: Facts, format: TimelineFormat): Promise<string> {
  if (format === 'json') return renderJson(t)
  if (format === 'ics') return (await import('./render/ics.js')).renderIcs(t)
  if (format === 'html') return renderHtml(t, facts)
  return renderMarkdown(t, facts)
}

/** --out: written 0600 (also when the file already existed); a failure names the file and what to do. */
async function writeOutput(path: string, text: string): Promise<void> {
  try {
    await replaceEvidenceFile(path, text)
  } catch (error) {
    if (error instanceof HipaaIrError) throw error
    throw new OutputError(`could not write --out ${path}: ${errorMessage(error)}`, {cause: error, code: 'E_OUTPUT', suggestions: ['Choose an --out path in a writable folder.']})
  }
}

/** Adds what the evidence bundle's posture snapshot says (an input, never the decision). */
async function attachEvidence(t: Timeline, facts: Facts, factsPath: string): Promise<void> {
  if (facts.evidence === undefined) return
  const path = resolve(dirname(factsPath), facts.evidence)
  // tar-stream only when the facts name a bundle.
  const {readEvidencePosture} = await import('./io/read-evidence.js')
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
  const leftovers = leftoversWarning(facts)
  if (leftovers !== undefined) timeline.warnings.unshift(leftovers)
  if (facts.undecided !== undefined && facts.undecided.length > 0) {
    timeline.undecided = facts.undecided
    timeline.warnings.unshift(undecidedWarning(facts.undecided))
  }
  await attachEvidence(timeline, facts, options.factsPath)
  const rendered = await renderTimeline(timeline, facts, options.format)
  // Letters are rendered and the folder checked before anything is written: a refusal writes nothing.
  let lettersJob: {drafts: RenderedLetter[]; plan: LetterFolderPlan} | undefined
  if (options.lettersDir !== undefined) {
    // handlebars and docx only when letters are asked for.
    const {renderLetters} = await import('./letters/render.js')
    const drafts = await renderLetters(timeline, facts, await readLetterTemplates())
    lettersJob = {drafts, plan: await planLetterFolder(options.lettersDir, drafts, options.force === true)}
  }
  if (options.out !== undefined) await writeOutput(options.out, rendered)
  let letters: string[] = []
  let lettersMoved: TimelineRunResult['lettersMoved'] = null
  if (lettersJob !== undefined) {
    const written = await writeLetters(lettersJob.plan, lettersJob.drafts)
    letters = written.paths
    lettersMoved = {no_longer_owed: written.no_longer_owed, previous: written.previous}
  }
  return {timeline, facts, rendered, out: options.out ?? null, letters, lettersMoved, leftovers: leftovers !== undefined}
}
