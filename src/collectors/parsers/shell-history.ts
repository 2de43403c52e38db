/**
 * Shell histories, one command per row, with the time where the file records one:
 * bash with HISTTIMEFORMAT writes `#1709475721` before each command; zsh's EXTENDED_HISTORY writes
 * `: 1709475721:0;command`, a multi-line command continuing with a trailing backslash. Pure and linear.
 */
import {splitLines} from './text.js'

export interface HistoryLine {
  command: string
  /** 1-based position of the command in the file. */
  n: number
  /** ISO 8601 UTC, or null when the file does not say. */
  time: string | null
}

function isoFromEpoch(seconds: string): string | null {
  const n = Number(seconds)
  if (!Number.isSafeInteger(n) || n <= 0 || n > 32_503_680_000) return null
  return new Date(n * 1000).toISOString()
}

export function parseBashHistory(text: string): HistoryLine[] {
  const rows: HistoryLine[] = []
  let time: string | null = null
  const lines = splitLines(text)
  if (lines.at(-1) === '') lines.pop()
  for (const line of lines) {
    const stamp = /^#(\d{9,11})$/.exec(line)
    if (stamp !== null) {
      time = isoFromEpoch(stamp[1] as string)
      continue
    }
    rows.push({command: line, n: rows.length + 1, time})
    time = null
  }
  return rows
}

/** zsh history; zsh's metafied bytes (0x83 escapes) are left as they are. */
export function parseZshHistory(text: string): HistoryLine[] {
  const rows: HistoryLine[] = []
  const lines = splitLines(text)
  if (lines.at(-1) === '') lines.pop()
  let current: {command: string; time: string | null} | undefined
  const flush = (): void => {
    if (current !== undefined) rows.push({command: current.command, n: rows.length + 1, time: current.time})
    current = undefined
  }
  for (const line of lines) {
    if (current !== undefined && current.command.endsWith('\\')) {
      current.command = `${current.command.slice(0, -1)}\n${line}`
      continue
    }
    flush()
    const extended = /^: (\d{9,11}):\d+;(.*)$/.exec(line)
    current = extended === null ? {command: line, time: null} : {command: extended[2] as string, time: isoFromEpoch(extended[1] as string)}
  }
  flush()
  return rows
}

/** Which parser a history file needs, from its name (`.zsh_history`, `.histfile` → zsh; otherwise bash). */
export function historyShell(fileName: string): 'bash' | 'zsh' {
  return /zsh|histfile/.test(fileName) ? 'zsh' : 'bash'
}
