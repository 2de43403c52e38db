/** Line helpers shared by the configuration parsers. Pure. */

export interface NumberedLine {
  /** 1-based line number. */
  line: number
  /** The line without its end-of-line characters. */
  text: string
}

export function numberedLines(text: string): NumberedLine[] {
  return text.split(/\r?\n/).map((value, index) => ({line: index + 1, text: value}))
}

/**
 * Drops a `#` comment: a line that starts with `#` (after whitespace), or a `#` that begins a
 * word (preceded by whitespace). A `#` inside a word (`a#b`) is kept, as sshd and shells do.
 */
export function stripHashComment(text: string): string {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('#')) return ''
  const match = /\s#/.exec(text)
  return (match === null ? text : text.slice(0, match.index)).trim()
}

/** Splits on whitespace, honouring double quotes (`"a b"` is one word, quotes removed). */
export function splitWords(text: string): string[] {
  const words: string[] = []
  const pattern = /"([^"]*)"|(\S+)/g
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? '')
  return words
}

/** `key = value` files (login.defs is `KEY VALUE`, pwquality.conf is `key = value`). */
export function parseKeyValue(line: string): {key: string; value: string} | undefined {
  const body = stripHashComment(line)
  if (body === '') return undefined
  const match = /^([A-Za-z_][\w.-]*)\s*(?:=\s*|\s+)(.*)$/.exec(body) ?? /^([A-Za-z_][\w.-]*)$/.exec(body)
  if (match === null) return undefined
  return {key: match[1] ?? '', value: (match[2] ?? '').trim()}
}

/** Parses a base-10 integer; undefined for anything else (`14x`, `""`). */
export function toInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined
  return Number.parseInt(value.trim(), 10)
}
