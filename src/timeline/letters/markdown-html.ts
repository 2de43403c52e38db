import {escapeHtml} from '../render/escape.js'

/**
 * Turns the letters' small Markdown subset (headings, bullets, tables, rules, paragraphs, **bold**)
 * into an HTML body. The input is template output whose values are already HTML-escaped, so it is
 * inserted as is; nothing here unescapes.
 */

function inline(text: string): string {
  return text.replaceAll(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
}

function cells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|\s*$/, '').split(/(?<!\\)\|/).map((c) => c.trim())
}

export function markdownToHtmlBody(markdown: string): string {
  const out: string[] = []
  let paragraph: string[] = []
  let list = false
  let table: string[][] | undefined
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${paragraph.map((l) => inline(l)).join('<br>\n')}</p>`)
    paragraph = []
    if (list) out.push('</ul>')
    list = false
    if (table !== undefined) {
      const [head, ...body] = table
      out.push(`<table><thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`)
    }
    table = undefined
  }
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,3}) (.*)$/.exec(line)
    if (heading !== null) {
      flush()
      const level = heading[1]?.length ?? 1
      out.push(`<h${level}>${inline(heading[2] ?? '')}</h${level}>`)
    } else if (line.startsWith('- ')) {
      if (!list) {
        flush()
        out.push('<ul>')
        list = true
      }
      out.push(`<li>${inline(line.slice(2))}</li>`)
    } else if (line.startsWith('|')) {
      if (table === undefined) flush()
      if (/^\|[\s|:-]+\|$/.test(line)) continue
      table ??= []
      table.push(cells(line))
    } else if (line.trim() === '---') {
      flush()
      out.push('<hr>')
    } else if (line.trim() === '') {
      flush()
    } else {
      if (list || table !== undefined) flush()
      paragraph.push(line)
    }
  }
  flush()
  return out.join('\n')
}

const STYLE = `body{font-family:Georgia,serif;max-width:780px;margin:2em auto;line-height:1.45;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
.draft{border:2px solid #b3261e;padding:.5em 1em;font-family:sans-serif;font-weight:bold}
@media print{.draft{border-width:1px}}`

export function letterHtmlPage(title: string, markdown: string, disclaimer: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><p class="draft">${escapeHtml(disclaimer)}</p>
${markdownToHtmlBody(markdown)}
</body></html>
`
}
