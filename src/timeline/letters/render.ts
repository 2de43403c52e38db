import Handlebars from 'handlebars'

import type {Facts} from '../facts/schema.js'

import {ExitCode} from '../../cli/exit-codes.js'
import {HipaaIrError} from '../../core/errors.js'
import type {Timeline} from '../types.js'

import {letterDocx} from './docx.js'
import {letterJobs} from './catalog.js'
import {letterHtmlPage} from './markdown-html.js'

/** Template sources by name (`individual-notice`, `_footer`, ...), as read from src/templates/letters. */
export type TemplateSources = Readonly<Record<string, string>>

export interface RenderedLetter {
  name: string
  title: string
  markdown: string
  html: string
  docx: Buffer
}

/** Handlebars with its own escaping off: the Markdown/HTML path escapes values in `flatten`, DOCX needs them raw. */
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

/**
 * For the Markdown/HTML drafts: every value is HTML-escaped (& < >; values only ever land in text, never
 * in attributes) and may not break the Markdown structure (table cells, lines).
 */
function flatten(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\u2223').replaceAll(/\s*\r?\n\s*/g, ' ')
  }
  if (Array.isArray(value)) return value.map((v) => flatten(v))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v)]))
  return value
}

/** Every letter this timeline needs: Markdown and HTML (values HTML-escaped) and DOCX. */
export async function renderLetters(t: Timeline, facts: Facts, sources: TemplateSources): Promise<RenderedLetter[]> {
  const render = engine(sources)
  const out: RenderedLetter[] = []
  for (const job of letterJobs(t, facts)) {
    const markdown = render(job.template, flatten(job.view) as object)
    out.push({
      name: job.name,
      title: job.title,
      markdown,
      html: letterHtmlPage(job.title, markdown, t.disclaimer),
      docx: await letterDocx(job.title, render(job.template, job.view), t.disclaimer),
    })
  }
  return out
}
