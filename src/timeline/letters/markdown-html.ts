import {escapeHtml} from '../render/escape.js'
import {type Block, parseBlocks, type Span} from './markdown-blocks.js'

/**
 * Turns the Markdown subset of the drafts and reports into an HTML body. Structure comes from the
 * Markdown; every piece of text is HTML-escaped here, once (the Markdown itself carries no entities).
 */

export function spansToHtml(spans: readonly Span[]): string {
  return spans
    .map((s) => {
      let html = escapeHtml(s.text)
      if (s.code === true) html = `<code>${html}</code>`
      if (s.italic === true) html = `<em>${html}</em>`
      if (s.bold === true) html = `<strong>${html}</strong>`
      return html
    })
    .join('')
}

/** Plain text whose only markup is `code` (the rules' notes quote field names that way) as HTML, escaped. */
export function inlineHtml(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => (/^`[^`]+`$/.test(part) ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('')
}

function blockToHtml(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      return `<h${block.level}>${spansToHtml(block.spans)}</h${block.level}>`
    }
    case 'paragraph': {
      return `<p>${block.lines.map((l) => spansToHtml(l)).join('<br>\n')}</p>`
    }
    case 'quote': {
      return `<blockquote><p>${block.lines.map((l) => spansToHtml(l)).join('<br>\n')}</p></blockquote>`
    }
    case 'rule': {
      return '<hr>'
    }
    case 'table': {
      const row = (cells: Span[][], tag: string): string => `<tr>${cells.map((c) => `<${tag}>${spansToHtml(c)}</${tag}>`).join('')}</tr>`
      return `<table><thead>${row(block.head, 'th')}</thead><tbody>${block.rows.map((r) => row(r, 'td')).join('')}</tbody></table>`
    }
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul'
      const out: string[] = [`<${tag}>`]
      let nested = false
      for (const item of block.items) {
        if (item.level > 0 && !nested) {
          out.push('<ul>')
          nested = true
        } else if (item.level === 0 && nested) {
          out.push('</ul>')
          nested = false
        }
        out.push(`<li>${spansToHtml(item.spans)}</li>`)
      }
      if (nested) out.push('</ul>')
      out.push(`</${tag}>`)
      return out.join('\n')
    }
  }
}

export function markdownToHtmlBody(markdown: string): string {
  return parseBlocks(markdown).map((b) => blockToHtml(b)).join('\n')
}

const STYLE = `body{font-family:Georgia,serif;max-width:780px;margin:2em auto;line-height:1.45;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
blockquote{border-left:3px solid #999;margin:1em 0;padding:.2em 1em;color:#333}
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
