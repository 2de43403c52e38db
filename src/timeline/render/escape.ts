/**
 * Text going into any output (terminal, Markdown, HTML, SVG, ICS, DOCX) passes through here.
 *
 * - `cleanText`: removes control characters (other than tab and newline) and the Unicode bidi
 *   controls (U+202A-202E, U+2066-2069, LRM/RLM/ALM) that can make a value display as something else.
 * - `escapeHtml`: for HTML text and attributes.
 * - `escapeMarkdown`: for Markdown text: a value stays text wherever it lands (start of a line, a
 *   list item, a table cell), never a heading, quote, list, rule, table, link, code or HTML. Plain
 *   characters stay readable: `&` is only escaped where it would start an entity, `<` where it would
 *   start a tag. The `[[MISSING: …]]` placeholders stay as they are.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

export function cleanText(value: string): string {
  return value.replaceAll(UNSAFE, '')
}

/** HTML escaping for every value placed in an HTML page or the SVG chart. */
export function escapeHtml(value: string | number): string {
  return cleanText(String(value))
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const PLACEHOLDER = /\[\[[A-Z][A-Z ]*:[^[\]\n]*\]\]|\[\[[A-Z][A-Z ]+\]\]/g

function escapeInline(text: string, keepCode: boolean): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(keepCode ? /[*[\]]/g : /[`*[\]]/g, '\\$&')
    .replaceAll(/(^|[^\p{L}\p{N}])_|_(?=[^\p{L}\p{N}]|$)/gu, (m) => m.replace('_', '\\_'))
    .replaceAll(/~~/g, '\\~\\~')
    .replaceAll(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replaceAll(/<(?=[A-Za-z/!?])/g, '\\<')
    .replaceAll('|', '\\|')
}

/** Line-start markers: heading, quote, list (bullet or numbered), rule, fence, setext underline, indented code. */
function escapeLineStart(text: string): string {
  const trimmed = text.replace(/^\s+/, '')
  return trimmed
    .replace(/^(#{1,6}(?=\s|$)|[>=]|[+*](?=\s|$)|-(?=\s|-|$))/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^(~~~)/, '\\~~~')
}

/**
 * Markdown text for a value: one line (newlines become spaces), no structure of its own. Placeholders
 * made by the letters (`[[MISSING: …]]`) are kept readable; `](` is always broken so that no link forms.
 * `keepCode` keeps backticks as code spans: for the rules' own wording (notes that quote a field name).
 */
export function escapeMarkdown(value: string | number, {keepCode = false}: {keepCode?: boolean} = {}): string {
  const line = cleanText(String(value)).replaceAll(/\s*\r?\n\s*/g, ' ')
  let out = ''
  let last = 0
  for (const match of line.matchAll(PLACEHOLDER)) {
    out += escapeInline(line.slice(last, match.index), keepCode) + match[0]
    last = match.index + match[0].length
  }
  out += escapeInline(line.slice(last), keepCode)
  return escapeLineStart(out).replaceAll('](', ']\\(')
}
