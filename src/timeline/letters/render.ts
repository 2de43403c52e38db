import Handlebars from 'handlebars'

import type {Facts} from '../facts/schema.js'

import {ExitCode} from '../../cli/exit-codes.js'
import {HipaaIrError} from '../../core/errors.js'
import type {Timeline} from '../types.js'

import {letterDocx} from './docx.js'
import {letterJobs} from './catalog.js'
import {letterHtmlPage} from './markdown-html.js'
import {escapeMarkdown} from '../render/escape.js'
import {longDate, phiTypeWords, stateName, withCommas} from '../render/words.js'
import {isStateCode} from '../facts/state-codes.js'

/** Template sources by name (`individual-notice`, `_footer`, ...), as read from src/templates/letters. */
export type TemplateSources = Readonly<Record<string, string>>

export interface RenderedLetter {
  name: string
  title: string
  markdown: string
  html: string
  docx: Buffer
}

/** Handlebars with its own escaping off: every value is Markdown-escaped in `renderLetters`, once, for all three drafts. */
function engine(sources: TemplateSources): (name: string, view: object) => string {
  const hb = Handlebars.create()
  for (const [name, source] of Object.entries(sources)) if (name.startsWith('_')) hb.registerPartial(name, source)
  const cache = new Map<string, HandlebarsTemplateDelegate>()
  return (name, view) => {
    const source = sources[name]
    if (source === undefined) throw new HipaaIrError(`letter template ${name}.hbs is missing from the installed templates`, ExitCode.Unexpected, {code: 'E_TEMPLATE'})
    let compiled = cache.get(name)
    if (compiled === undefined) {
      compiled = hb.compile(source, {noEscape: true, strict: false})
      cache.set(name, compiled)
    }
    return compiled(view).replaceAll(/\n{3,}/g, '\n\n')
  }
}

/** The engine's own wording, which quotes facts fields as `code`: kept as code spans. */
const ENGINE_WORDING = new Set(['notes', 'reasons', 'documentation', 'evidence_note'])

/**
 * A view as the letters show it: values as a person reads them (dates in words, "March 3, 2026";
 * counts with thousands separators; state codes in `state` fields as names, "Oregon"; PHI types in
 * words, "date of birth"), then Markdown-escaped so that each stays text on its line. Numbers under
 * 1,000 stay numbers, so template conditions on them behave as before.
 */
function forLetters(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    const words = key === 'state' && isStateCode(value) ? stateName(value) : key === 'phi_types' ? phiTypeWords(value) : longDate(value)
    return escapeMarkdown(words, {keepCode: ENGINE_WORDING.has(key)})
  }
  if (typeof value === 'number') return value >= 1000 ? withCommas(value) : value
  if (Array.isArray(value)) return value.map((v) => forLetters(v, key))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forLetters(v, k)]))
  return value
}

/**
 * Every letter this timeline needs. Values are Markdown-escaped (they stay text on their line: never a
 * heading, list, quote, table cell or link, and bidi controls are removed); the HTML and DOCX drafts
 * are made from that same Markdown, escaping for HTML or Word at the end.
 */
export async function renderLetters(t: Timeline, facts: Facts, sources: TemplateSources): Promise<RenderedLetter[]> {
  const render = engine(sources)
  const out: RenderedLetter[] = []
  for (const job of letterJobs(t, facts)) {
    const markdown = render(job.template, forLetters(job.view) as object)
    out.push({
      name: job.name,
      title: job.title,
      markdown,
      html: letterHtmlPage(job.title, markdown, t.disclaimer),
      docx: await letterDocx(job.title, markdown, t.disclaimer),
    })
  }
  return out
}
