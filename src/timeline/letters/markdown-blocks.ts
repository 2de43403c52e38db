/**
 * The small Markdown subset the drafts and reports are written in, parsed once for the HTML and
 * DOCX renderers: headings, paragraphs, bullets (two levels), numbered items, quotes, rules and
 * tables; inline **bold**, _emphasis_, `code` and backslash escapes. Escaped characters (`\#`,
 * `\|`, `\*`, …) are text, so a value escaped with escapeMarkdown never becomes structure here.
 */

export interface Span {
  text: string
  bold?: boolean
  italic?: boolean
  code?: boolean
}

export type Block =
  | {kind: 'heading'; level: number; spans: Span[]}
  | {kind: 'paragraph'; lines: Span[][]}
  | {kind: 'quote'; lines: Span[][]}
  | {kind: 'list'; ordered: boolean; items: Array<{level: number; spans: Span[]}>}
  | {kind: 'rule'}
  | {kind: 'table'; head: Span[][]; rows: Span[][][]}

const PUNCT = /[!-/:-@[-`{-~]/

/** Inline spans of one line of Markdown text. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = []
  let bold = false
  let italic = false
  let buffer = ''
  const push = (): void => {
    if (buffer !== '') spans.push({text: buffer, ...(bold ? {bold: true} : {}), ...(italic ? {italic: true} : {})})
    buffer = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? ''
    const next = text[i + 1] ?? ''
    if (c === '\\' && PUNCT.test(next)) {
      buffer += next
      i++
    } else if (c === '`') {
      let run = 1
      while (text[i + run] === '`') run++
      const fence = '`'.repeat(run)
      const end = text.indexOf(fence, i + run)
      if (end === -1) {
        buffer += fence
        i += run - 1
        continue
      }
      push()
      const inner = text.slice(i + run, end)
      spans.push({code: true, text: /^ .* $/.test(inner) && inner.trim() !== '' ? inner.slice(1, -1) : inner})
      i = end + run - 1
    } else if (c === '*' && next === '*') {
      push()
      bold = !bold
      i++
    } else if (c === '_' && !italic && !/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') && next !== '' && next !== ' ') {
      push()
      italic = true
    } else if (c === '_' && italic && !/[\p{L}\p{N}]/u.test(next)) {
      push()
      italic = false
    } else {
      buffer += c
    }
  }
  push()
  return spans
}

/** Table cells split on unescaped pipes. */
function cells(line: string): Span[][] {
  const inner = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '')
  // As in GFM tables, `\|` is a pipe in the cell, also inside a code span.
  return inner.split(/(?<!\\)\|/).map((c) => parseInline(c.trim().replaceAll('\\|', '|')))
}

export function parseBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  let open: Block | undefined
  const close = (): void => {
    if (open !== undefined) blocks.push(open)
    open = undefined
  }
  for (const raw of markdown.split('\n')) {
    const line = raw.replace(/\r$/, '')
    const heading = /^(#{1,6}) (.*)$/.exec(line)
    const bullet = /^( *)[-*] (.*)$/.exec(line)
    const numbered = /^(\d+)\. (.*)$/.exec(line)
    const quote = /^> ?(.*)$/.exec(line)
    if (heading !== null) {
      close()
      blocks.push({kind: 'heading', level: heading[1]?.length ?? 1, spans: parseInline(heading[2] ?? '')})
    } else if (/^(-{3,}|\*{3,})\s*$/.test(line)) {
      close()
      blocks.push({kind: 'rule'})
    } else if (line.trim() === '') {
      close()
    } else if (bullet !== null || numbered !== null) {
      const ordered = numbered !== null
      if (open?.kind !== 'list' || open.ordered !== ordered) {
        close()
        open = {items: [], kind: 'list', ordered}
      }
      open.items.push(bullet === null ? {level: 0, spans: parseInline(numbered?.[2] ?? '')} : {level: (bullet[1]?.length ?? 0) >= 2 ? 1 : 0, spans: parseInline(bullet[2] ?? '')})
    } else if (quote !== null) {
      if (open?.kind !== 'quote') {
        close()
        open = {kind: 'quote', lines: []}
      }
      open.lines.push(parseInline(quote[1] ?? ''))
    } else if (line.startsWith('|')) {
      if (/^\|[\s|:-]+\|\s*$/.test(line)) continue
      if (open?.kind !== 'table') {
        close()
        open = {head: cells(line), kind: 'table', rows: []}
      } else {
        open.rows.push(cells(line))
      }
    } else {
      if (open?.kind !== 'paragraph') {
        close()
        open = {kind: 'paragraph', lines: []}
      }
      open.lines.push(parseInline(line))
    }
  }
  close()
  return blocks
}

/** The plain text of spans (for titles and tests). */
export function spansText(spans: readonly Span[]): string {
  return spans.map((s) => s.text).join('')
}
