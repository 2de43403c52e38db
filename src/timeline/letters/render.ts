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

/** Every string in a view, changed by `change` (arrays and objects walked). */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value)
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, change))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, change)]))
  return value
}

/** For every draft: a value may not break the Markdown structure the drafts share (table cells, lines). */
function layoutSafe(text: string): string {
  return text.replaceAll('|', '\u2223').replaceAll(/\s*\r?\n\s*/g, ' ')
}

/** For the Markdown/HTML drafts, also HTML-escaped (& < >; values only ever land in text, never in attributes). */
function htmlSafe(text: string): string {
  return layoutSafe(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Every letter this timeline needs: Markdown and HTML (values HTML-escaped) and DOCX (values kept on their line). */
export async function renderLetters(t: Timeline, facts: Facts, sources: TemplateSources): Promise<RenderedLetter[]> {
  const render = engine(sources)
  const out: RenderedLetter[] = []
  for (const job of letterJobs(t, facts)) {
    const markdown = render(job.template, mapStrings(job.view, htmlSafe) as object)
    out.push({
      name: job.name,
      title: job.title,
      markdown,
      html: letterHtmlPage(job.title, markdown, t.disclaimer),
      // docx escapes XML itself, so its values are only kept from breaking lines and table rows.
      docx: await letterDocx(job.title, render(job.template, mapStrings(job.view, layoutSafe) as object), t.disclaimer),
    })
  }
  return out
}
