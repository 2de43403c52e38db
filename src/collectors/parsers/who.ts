import {restFrom, splitLines, toInt, tokenize, type Token} from './text.js'
import {monthNumber} from './zoned-time.js'

/** One row of `who` / `who -u` output, fields named after who's columns. */
export interface WhoRow {
  /** The `(…)` column as printed, parentheses included; null when absent. */
  comment: string | null
  /** The comment without its parentheses (remote host, X display, tmux id). */
  host: string | null
  /** `.` (active in the last minute), `old` (idle over a day) or `HH:MM`; null for plain `who`. */
  idle: string | null
  line: string
  name: string
  pid: number | null
  /** The login time as printed: `Mar  3 14:22` in the C locale the collector pins (no year), `2026-03-03 14:22` in others (C.UTF-8, en_US.UTF-8). */
  time: string
}

const IDLE = /^(?:\.|old|\d{1,2}:\d\d)$/

/** Number of tokens the time column takes at `index` (2: `YYYY-MM-DD HH:MM`, 3: `Mon DD HH:MM`), or 0. */
function timeWidth(tokens: readonly Token[], index: number): number {
  const first = tokens[index]?.text ?? ''
  const clock = /^\d{1,2}:\d\d$/
  if (/^\d{4}-\d\d-\d\d$/.test(first) && clock.test(tokens[index + 1]?.text ?? '')) return 2
  if (monthNumber(first) !== null && /^\d{1,2}$/.test(tokens[index + 1]?.text ?? '') && clock.test(tokens[index + 2]?.text ?? '')) return 3
  return 0
}

function parseWhoLine(line: string): WhoRow | null {
  const tokens = tokenize(line)
  if (tokens.length < 4) return null
  const width = timeWidth(tokens, 2)
  if (width === 0) return null
  const timeStart = (tokens[2] as Token).start
  const timeEnd = (tokens[2 + width - 1] as Token).start + (tokens[2 + width - 1] as Token).text.length
  let index = 2 + width
  let idle: string | null = null
  let pid: number | null = null
  if (IDLE.test(tokens[index]?.text ?? '')) idle = (tokens[index++] as Token).text
  const maybePid = toInt(tokens[index]?.text)
  if (maybePid !== null) {
    pid = maybePid
    index++
  }

  const rest = restFrom(line, tokens, index)
  const comment = rest === '' ? null : rest
  const host = comment !== null && comment.startsWith('(') && comment.endsWith(')') ? comment.slice(1, -1) : comment
  return {
    comment,
    host,
    idle,
    line: (tokens[1] as Token).text,
    name: (tokens[0] as Token).text,
    pid,
    time: line.slice(timeStart, timeEnd),
  }
}

/**
 * Parses `who`, `who -u` (and `who -H`) output. Lines that are not sessions (the `-H` header,
 * blank lines, noise) are skipped.
 */
export function parseWho(text: string): WhoRow[] {
  const rows: WhoRow[] = []
  for (const line of splitLines(text)) {
    const row = parseWhoLine(line)
    if (row !== null) rows.push(row)
  }

  return rows
}
