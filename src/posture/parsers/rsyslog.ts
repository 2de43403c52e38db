import type {FileView, LineEvidence} from '../types.js'
import {expandGlob} from './glob.js'

/** A log forwarding action found in the rsyslog configuration. */
export interface RsyslogForward {
  evidence: LineEvidence
  /** `legacy` = selector line with `@host`/`@@host`; `omfwd` = RainerScript `action(type="omfwd")`. */
  form: 'legacy' | 'omfwd'
  port?: string
  protocol: 'tcp' | 'udp'
  target: string
  tls: boolean
}

export interface RsyslogConfig {
  files: string[]
  forwards: RsyslogForward[]
  notes: string[]
}

const MAX_FILES = 256

/** A `/*` opens a comment only where a token may start (not in `/etc/rsyslog.d/*.conf`), and never on a legacy `$Directive` line. */
function startsToken(text: string, index: number): boolean {
  const before = text[index - 1]
  if (before !== undefined && !/[\s;(){}]/.test(before)) return false
  const lineStart = text.lastIndexOf('\n', index - 1) + 1
  return !text.slice(lineStart, index).trimStart().startsWith('$')
}

/** Replaces `#` and C-style comments with spaces (outside quoted strings), keeping line breaks in place. */
export function blankComments(text: string): string {
  let out = ''
  let quote: string | undefined
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? ''
    if (quote !== undefined) {
      out += char
      if (char === '\\') {
        out += text[index + 1] ?? ''
        index++
      } else if (char === quote) quote = undefined
      continue
    }
    if (char === '"' || char === "'") {
      quote = char
      out += char
    } else if (char === '#') {
      const end = text.indexOf('\n', index)
      const stop = end === -1 ? text.length : end
      out += ' '.repeat(stop - index)
      index = stop - 1
    } else if (char === '/' && text[index + 1] === '*' && startsToken(text, index)) {
      const end = text.indexOf('*/', index + 2)
      const stop = end === -1 ? text.length : end + 2
      out += text.slice(index, stop).replace(/[^\n]/g, ' ')
      index = stop - 1
    } else out += char
  }
  return out
}

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let index = 0; index < offset; index++) if (text[index] === '\n') line++
  return line
}

function physicalLine(text: string, line: number): string {
  return (text.split(/\r?\n/)[line - 1] ?? '').trim()
}

/** `name="value"` pairs of a RainerScript object, names lower-cased with dots removed (`StreamDriver.Mode` = `streamdrivermode`). */
export function rainerParams(body: string): Map<string, string> {
  const params = new Map<string, string>()
  for (const match of body.matchAll(/([A-Za-z][\w.]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+?)(?=[\s)]|$))/g)) {
    params.set((match[1] ?? '').toLowerCase().replaceAll('.', ''), match[2] ?? match[3] ?? match[4] ?? '')
  }
  return params
}

/** Finds the `)` that closes an object opened at `open`, skipping quoted strings. */
function closingParen(text: string, open: number): number {
  let quote: string | undefined
  for (let index = open + 1; index < text.length; index++) {
    const char = text[index]
    if (quote !== undefined) {
      if (char === '\\') index++
      else if (char === quote) quote = undefined
    } else if (char === '"' || char === "'") quote = char
    else if (char === ')') return index
  }
  return text.length
}

/**
 * Reads rsyslog.conf and what it includes (`$IncludeConfig GLOB`, `include(file="GLOB")`), finding
 * legacy `@host` (UDP) / `@@host` (TCP) actions and RainerScript `action(type="omfwd" ...)`. TLS is
 * `StreamDriverMode="1"` on the action, or for legacy actions the global `$ActionSendStreamDriverMode 1`.
 */
export function parseRsyslog(view: FileView, path = '/etc/rsyslog.conf'): RsyslogConfig | undefined {
  if (view.read(path) === undefined) return undefined
  const config: RsyslogConfig = {files: [], forwards: [], notes: []}
  let legacyTls = false
  const visit = (file: string): void => {
    if (config.files.includes(file) || config.files.length >= MAX_FILES) return
    const source = view.read(file)
    if (source === undefined) {
      config.notes.push(`${file}: included but not readable`)
      return
    }
    config.files.push(file)
    const text = blankComments(source.text)
    const evidenceAt = (offset: number): LineEvidence => {
      const line = lineOf(text, offset)
      return {file, line, text: physicalLine(source.text, line)}
    }
    const objects: Array<[number, number]> = []
    for (const match of text.matchAll(/\b(action|include)\s*\(/gi)) {
      const open = (match.index ?? 0) + match[0].length - 1
      const close = closingParen(text, open)
      objects.push([match.index ?? 0, close])
      const params = rainerParams(text.slice(open + 1, close))
      if ((match[1] ?? '').toLowerCase() === 'include') {
        const pattern = params.get('file')
        if (pattern !== undefined) for (const included of expandGlob(view, pattern)) visit(included)
        continue
      }
      if ((params.get('type') ?? '').toLowerCase() !== 'omfwd') continue
      const protocol = (params.get('protocol') ?? 'udp').toLowerCase() === 'tcp' ? 'tcp' : 'udp'
      const port = params.get('port')
      config.forwards.push({
        evidence: evidenceAt(match.index ?? 0),
        form: 'omfwd',
        ...(port === undefined ? {} : {port}),
        protocol,
        target: params.get('target') ?? '',
        tls: protocol === 'tcp' && params.get('streamdrivermode') === '1',
      })
    }
    const outside = (offset: number): boolean => !objects.some(([start, end]) => offset >= start && offset <= end)
    let offset = 0
    for (const line of text.split('\n')) {
      const here = offset
      offset += line.length + 1
      if (!outside(here)) continue
      const directive = /^\s*\$(\w+)\s+(.*?)\s*$/.exec(line)
      if (directive !== null) {
        const name = (directive[1] ?? '').toLowerCase()
        const value = directive[2] ?? ''
        if (name === 'includeconfig') for (const included of expandGlob(view, value)) visit(included)
        if (name === 'actionsendstreamdrivermode') legacyTls = value === '1'
        continue
      }
      // A selector (or `&`) followed by the action `@host` / `@@(options)host:port`.
      const legacy = /^\s*\S+\s+(@@?)(?:\([^)]*\))?(\[[^\]]+\]|[^\s:;]+)(?::(\d+))?/.exec(line)
      if (legacy === null) continue
      const port = legacy[3]
      config.forwards.push({
        evidence: evidenceAt(here),
        form: 'legacy',
        ...(port === undefined ? {} : {port}),
        protocol: legacy[1] === '@@' ? 'tcp' : 'udp',
        target: legacy[2] ?? '',
        tls: legacy[1] === '@@' && legacyTls,
      })
    }
  }
  visit(path)
  return config
}
