/**
 * Raw Linux audit records (audit.log, or `ausearch --raw` output, which prints the same lines) to
 * one object per event (all records sharing `audit(TIME:SERIAL)`). Handles the RAW and the
 * ENRICHED log formats (after a GS `\x1d` byte, interpreted fields in upper case: `AUID="alice"`),
 * hex-encoded values (`name=2F7661…`), `(null)` and multi-key values (keys joined by `\x01`).
 */

import {isoFromMs} from '../../core/iso-time.js'

export interface AuditRecord {
  /** Raw field values; hex-encoded strings decoded; enriched fields keep their upper-case names. */
  fields: Record<string, string>
  serial: number
  /** ISO 8601 UTC. */
  time: string
  type: string
}

export interface AuditEvent {
  auid: string | null
  comm: string | null
  euid: string | null
  exe: string | null
  /** The keys joined by `,` (null when the rule had none). */
  key: string | null
  /** Every key of the event (an audit rule may carry several). */
  keys: string[]
  /** PATH record names in item order, made absolute against CWD when relative; no duplicates. */
  paths: string[]
  serial: number
  source: string
  /** From SYSCALL `success=yes|no`, else from `res=success|failed` of user-space records. */
  success: boolean | null
  time: string
  /** Record types in arrival order, each once; the EOE marker is not listed. */
  types: string[]
  uid: string | null
}

const GS = '\u001D'
/** Fields whose value audit writes hex-encoded when it holds spaces, quotes or control bytes. */
const ENCODED = new Set(['acct', 'cmd', 'comm', 'cwd', 'data', 'dir', 'exe', 'file', 'key', 'name', 'ocomm', 'path', 'proctitle', 'root_dir', 'watch'])
const HEX = /^(?:[0-9A-F]{2})+$/

function decodeHex(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return new TextDecoder('utf-8', {fatal: false}).decode(bytes)
}

/** Reads `key=value` pairs: values are `"…"`, `'…'` (a nested list, flattened) or up to a space. */
function readFields(text: string, into: Record<string, string>, nested: boolean): void {
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++
    // The key runs to `=`; a word without one (stray text) is skipped. One pass, no rescans.
    let eq = i
    while (eq < n && text[eq] !== '=' && text[eq] !== ' ' && text[eq] !== '\t') eq++
    if (eq >= n) return
    if (text[eq] !== '=') {
      i = eq
      continue
    }

    const key = text.slice(i, eq)
    const quote = text[eq + 1]
    let value: string
    if (quote === '"' || quote === "'") {
      const close = text.indexOf(quote, eq + 2)
      const end = close === -1 ? n : close
      value = text.slice(eq + 2, end)
      i = end + 1
      if (quote === "'" && key === 'msg' && !nested) {
        readFields(value, into, true)
        continue
      }
    } else {
      const end = text.indexOf(' ', eq + 1)
      value = text.slice(eq + 1, end === -1 ? n : end)
      i = end === -1 ? n : end + 1
      if (ENCODED.has(key)) {
        // A hex value with a stray closing quote (`key=6578…74"`, seen in real logs) is still hex, as ausearch reads it.
        const hex = value.endsWith('"') ? value.slice(0, -1) : value
        if (HEX.test(hex)) value = decodeHex(hex)
      }
    }

    if (key !== '' && !(key in into)) into[key] = value
  }
}

const HEADER = /^(?:node=(\S+) )?type=(\S+) msg=audit\((\d{1,12})\.(\d{1,6}):(\d{1,20})\): ?/

/** One raw audit line to its type, time, serial and fields; null when it is not an audit record. */
export function parseAuditRecordLine(line: string): AuditRecord | null {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line
  const match = HEADER.exec(text)
  if (match === null) return null
  const [, node, type, seconds, fraction, serialText] = match
  const serial = Number(serialText)
  const ms = Number(seconds) * 1000 + Number((fraction as string).slice(0, 3).padEnd(3, '0'))
  if (!Number.isSafeInteger(serial) || ms > 8_640_000_000_000_000) return null
  const fields: Record<string, string> = Object.create(null) as Record<string, string>
  if (node !== undefined) fields.node = node
  const body = text.slice(match[0].length)
  const gs = body.indexOf(GS)
  readFields(gs === -1 ? body : body.slice(0, gs), fields, false)
  if (gs !== -1) readFields(body.slice(gs + 1), fields, false)
  return {fields: {...fields}, serial, time: isoFromMs(ms), type: type as string}
}

/** The rule keys of one record (`key="a"`, hex `a\x01b`, or none for `(null)`). */
export function recordKeys(record: AuditRecord): string[] {
  return keysOf(record.fields.key)
}

function keysOf(value: string | undefined): string[] {
  if (value === undefined || value === '(null)' || value === '') return []
  return value.split('\u0001').filter((key) => key !== '')
}

function successOf(fields: Record<string, string>): boolean | null {
  const success = fields.success
  if (success === 'yes') return true
  if (success === 'no') return false
  const res = fields.res
  if (res === 'success' || res === '1') return true
  if (res === 'failed' || res === '0') return false
  return null
}

/** Records of one event in progress. */
interface OpenEvent {
  cwd: string | null
  ended: boolean
  expectsEoe: boolean
  /** How many other events have started since this one last received a record. */
  age: number
  event: AuditEvent
  names: Array<{item: number; name: string}>
}

function nullable(value: string | undefined): string | null {
  return value === undefined || value === '(null)' ? null : value
}

function absolute(name: string, cwd: string | null): string {
  if (name.startsWith('/') || cwd === null) return name
  return cwd.endsWith('/') ? `${cwd}${name}` : `${cwd}/${name}`
}

function finish(open: OpenEvent): AuditEvent {
  const seen = new Set<string>()
  const paths: string[] = []
  for (const {name} of [...open.names].sort((a, b) => a.item - b.item)) {
    const path = absolute(name, open.cwd)
    if (!seen.has(path)) {
      seen.add(path)
      paths.push(path)
    }
  }

  return {...open.event, paths}
}

/** Open events kept at most; beyond it the oldest is completed (memory stays bounded). */
export const MAX_OPEN_EVENTS = 1024
/** A multi-record event still waiting for EOE is completed once this many newer events started. */
export const MAX_EVENT_AGE = 64

/**
 * Groups records into events. An event completes at its EOE record; a single-record event (no
 * SYSCALL, so no EOE will come) completes when a record of another event arrives; an event still
 * waiting for EOE completes after MAX_EVENT_AGE newer events or when MAX_OPEN_EVENTS are open.
 */
export class AuditEventAssembler {
  private readonly open = new Map<string, OpenEvent>()
  private readonly source: string

  constructor(source: string) {
    this.source = source
  }

  /** Completes everything still open (call at end of input). */
  flush(): AuditEvent[] {
    const done = [...this.open.values()].map((open) => finish(open))
    this.open.clear()
    return done
  }

  /** Feeds one line (non-audit lines are ignored); returns the events this line completed. */
  push(line: string): AuditEvent[] {
    const record = parseAuditRecordLine(line)
    if (record === null) return []
    const id = `${record.time}:${record.serial}`
    const done: AuditEvent[] = []
    let open = this.open.get(id)
    if (open === undefined) {
      for (const [otherId, other] of this.open) {
        other.age++
        if (!other.expectsEoe || other.age > MAX_EVENT_AGE) {
          this.open.delete(otherId)
          done.push(finish(other))
        }
      }

      if (this.open.size >= MAX_OPEN_EVENTS) {
        const [oldestId, oldest] = this.open.entries().next().value as [string, OpenEvent]
        this.open.delete(oldestId)
        done.push(finish(oldest))
      }

      open = this.start(record)
      this.open.set(id, open)
    } else {
      open.age = 0
    }

    this.add(open, record)
    if (open.ended) {
      this.open.delete(id)
      done.push(finish(open))
    }

    return done
  }

  private add(open: OpenEvent, record: AuditRecord): void {
    const {fields, type} = record
    const event = open.event
    if (type === 'EOE') {
      open.ended = true
      return
    }

    if (!event.types.includes(type)) event.types.push(type)
    if (type === 'SYSCALL') open.expectsEoe = true
    if (type === 'CWD' && open.cwd === null && fields.cwd !== undefined) open.cwd = fields.cwd
    if (type === 'PATH' && fields.name !== undefined && fields.name !== '(null)') {
      open.names.push({item: Number(fields.item ?? open.names.length), name: fields.name})
    }

    const preferred = type === 'SYSCALL'
    for (const field of ['auid', 'uid', 'euid', 'exe', 'comm'] as const) {
      const value = nullable(fields[field])
      if (value !== null && (event[field] === null || preferred)) event[field] = value
    }

    if (event.success === null || preferred) event.success = successOf(fields) ?? event.success
    const keys = keysOf(fields.key)
    for (const key of keys) if (!event.keys.includes(key)) event.keys.push(key)
    event.key = event.keys.length === 0 ? null : event.keys.join(',')
  }

  private start(record: AuditRecord): OpenEvent {
    return {
      age: 0,
      cwd: null,
      ended: false,
      event: {auid: null, comm: null, euid: null, exe: null, key: null, keys: [], paths: [], serial: record.serial, source: this.source, success: null, time: record.time, types: [], uid: null},
      expectsEoe: false,
      names: [],
    }
  }
}

/** True when `key` is one of the event's rule keys. */
export function eventMatchesKey(ev: AuditEvent, key: string): boolean {
  return ev.keys.includes(key)
}
