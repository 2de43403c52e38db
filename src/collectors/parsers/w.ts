import {restFrom, splitLines, toInt, tokenize, type Token} from './text.js'

/**
 * `w` output as rows. The first line (`14:35:02 up 3 days,  2:11,  2 users,  load average: …`)
 * becomes one row of kind `uptime`; each session line becomes a row of kind `session` whose fields
 * are w's column names lowercased (`LOGIN@` → `login_at`). Columns follow the header line, so
 * both procps-ng 3.3 (Debian 11, RHEL 8) and 4.x (Debian 12, RHEL 9, Ubuntu 24.04; FROM may be
 * hidden, `-f` toggles it) parse; a missing column is null.
 */
export interface WUptimeRow {
  kind: 'uptime'
  load_1: number | null
  load_5: number | null
  load_15: number | null
  raw: string
  /** Current time as printed (`14:35:02`). */
  time: string
  /** The `up …` part as printed (`3 days,  2:11`). */
  up: string | null
  users: number | null
}

export interface WSessionRow {
  from: string | null
  idle: string | null
  jcpu: string | null
  kind: 'session'
  login_at: string | null
  pcpu: string | null
  tty: string | null
  user: string
  what: string | null
}

export type WRow = WSessionRow | WUptimeRow

const DEFAULT_COLUMNS = ['user', 'tty', 'from', 'login_at', 'idle', 'jcpu', 'pcpu', 'what']

function columnName(header: string): string {
  return header.toLowerCase().replace('@', '_at')
}

function toLoad(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,6}(?:[.,]\d{1,4})?$/.test(text)) return null
  return Number(text.replace(',', '.'))
}

function parseUptime(line: string): WUptimeRow | null {
  const marker = line.lastIndexOf('load average')
  const tokens = tokenize(line)
  if (marker === -1 || tokens[1]?.text !== 'up') return null
  const loads = line.slice(marker).replace(/^load averages?:/, '').split(/[\s,]+/).filter((part) => part !== '')
  const head = line.slice(0, marker)
  const users = /,\s*(\d{1,9}) users?,\s*$/.exec(head)
  const upStart = (tokens[1]?.start ?? 0) + 3
  const upEnd = users === null ? head.length : users.index
  const up = line.slice(upStart, upEnd).trim().replace(/,$/, '')
  return {
    kind: 'uptime',
    load_1: toLoad(loads[0]),
    load_5: toLoad(loads[1]),
    load_15: toLoad(loads[2]),
    raw: line.trimEnd(),
    time: tokens[0]?.text ?? '',
    up: up === '' ? null : up,
    users: users === null ? null : toInt(users[1]),
  }
}

/**
 * procps-ng 3.3 prints a blank FROM for a local tty (`kbrazil  ttyS0                     Fri18 …`):
 * when the text under the FROM heading is all spaces, FROM is null and the other columns follow.
 */
function withoutBlankFrom(line: string, columns: readonly string[], fromSpan: {end: number; start: number} | null): readonly string[] {
  if (fromSpan === null || line.length <= fromSpan.end) return columns
  return line.slice(fromSpan.start, fromSpan.end).trim() === '' && line.charCodeAt(fromSpan.start - 1) === 32 ? columns.filter((column) => column !== 'from') : columns
}

function parseSession(line: string, allColumns: readonly string[], fromSpan: {end: number; start: number} | null = null): WSessionRow | null {
  const tokens = tokenize(line)
  if (tokens.length === 0) return null
  const columns = withoutBlankFrom(line, allColumns, fromSpan)
  const values: Record<string, string | null> = {}
  columns.forEach((column, index) => {
    const last = index === columns.length - 1
    const value = last ? restFrom(line, tokens, index) : tokens[index]?.text ?? ''
    values[column] = value === '' ? null : value
  })
  return {
    from: values.from ?? null,
    idle: values.idle ?? null,
    jcpu: values.jcpu ?? null,
    kind: 'session',
    login_at: values.login_at ?? null,
    pcpu: values.pcpu ?? null,
    tty: values.tty ?? null,
    user: values.user ?? '',
    what: values.what ?? null,
  }
}

export function parseW(text: string): WRow[] {
  const rows: WRow[] = []
  let columns: string[] = DEFAULT_COLUMNS
  let fromSpan: {end: number; start: number} | null = null
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue
    const tokens = tokenize(line)
    if (tokens[0]?.text === 'USER' && tokens.some((token) => token.text === 'TTY')) {
      columns = tokens.map((token) => columnName(token.text))
      const from = tokens.findIndex((token) => token.text === 'FROM')
      const next = tokens[from + 1]
      fromSpan = from === -1 || next === undefined ? null : {end: next.start, start: (tokens[from] as Token).start}
      continue
    }

    const uptime = tokens[1]?.text === 'up' ? parseUptime(line) : null
    if (uptime !== null) {
      rows.push(uptime)
      continue
    }

    const session = parseSession(line, columns, fromSpan)
    if (session !== null) rows.push(session)
  }

  return rows
}
