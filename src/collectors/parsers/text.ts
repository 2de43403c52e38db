/** Small text helpers shared by the parsers. Pure and linear-time: parsers see hostile input. */

/** A whitespace-separated token and where it starts in its line. */
export interface Token {
  start: number
  text: string
}

/** Lines of `text`, split on LF; a CR before the LF (CRLF files) is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1)
  }

  return lines
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 11 || code === 12
}

/** Splits on runs of spaces/tabs (also CR, VT, FF), keeping each token's offset; the first `limit` tokens only. */
export function tokenize(line: string, limit = Number.POSITIVE_INFINITY): Token[] {
  const tokens: Token[] = []
  let i = 0
  const n = line.length
  while (i < n && tokens.length < limit) {
    while (i < n && isSpace(line.charCodeAt(i))) i++
    if (i >= n) break
    const start = i
    while (i < n && !isSpace(line.charCodeAt(i))) i++
    tokens.push({start, text: line.slice(start, i)})
  }

  return tokens
}

/** The line from token `index` to its end, trailing whitespace removed ('' when there is no such token). */
export function restFrom(line: string, tokens: readonly Token[], index: number): string {
  const token = tokens[index]
  return token === undefined ? '' : line.slice(token.start).trimEnd()
}

/** A decimal integer, or null when `text` is not one (or too long to be exact). */
export function toInt(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null
  return Number(text)
}

const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g
const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r'}

/**
 * `text` on one line: line breaks, the other C0/C1 controls (but tab) and U+2028/2029 become
 * `\n`, `\r` or `\xHH`/`\uHHHH`, so a value holding a line break can never pose as a line of its own in a
 * text file. Backslashes are left as they are (sshd already writes its own `\ooo` escapes).
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`))
}
