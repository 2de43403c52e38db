/**
 * Raw audit records to Sigma evidence. Sigma's auditd rules name the raw record fields (`type`,
 * `key`, `exe`, `comm`, `a0`…, `name`, `nametype`, `SYSCALL`, `uid`, `euid`, `unit`, …) and are
 * evaluated against one record at a time, as auditd writes them: `type: EXECVE` with `a0`/`a1` reads
 * the EXECVE record's arguments, `type: SYSCALL` with `exe` and `SYSCALL` the SYSCALL record. An event
 * (the records sharing a serial) matches a rule when one of its records does.
 *
 * Per record: the fields as parsed by the collectors' audit parser (hex values decoded, the nested
 * `msg='…'` of user-space records flattened, ENRICHED fields in upper case), plus `type`; EXECVE
 * arguments decoded from hex and joined from `aN[i]` pieces; `SYSCALL` from the syscall number when
 * the log is RAW; `key` split into its keys; `proctitle` with its NUL separators as spaces; a `(null)`
 * value absent. The text keywords search is the raw line plus the decoded arguments, title and names.
 */
import {parseAuditRecordLine, type AuditRecord} from '../../collectors/parsers/audit.js'
import type {SigmaDoc} from './compile.js'
import type {SigmaEvidence} from './evidence.js'
import {syscallName} from './syscalls.js'

export interface AuditSource {
  readonly host: string
  readonly bundle: string
  /** Bundle-relative file the lines come from (`audit/phi_access.raw`). */
  readonly file: string
  readonly verified: boolean
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/
const ARG = /(?:^|\s)a(\d+)(?:\[(\d+)\])?=(?:"([^"]*)"|(\S+))/g
const UNSET = '4294967295'

function decodeHex(hex: string): string {
  return Buffer.from(hex, 'hex').toString('utf8')
}

/** EXECVE arguments from the raw line (quoted: as is; unquoted: hex), pieces `aN[i]` joined in order. */
export function execveArgs(line: string): Map<number, string> {
  const pieces = new Map<number, Array<[number, string]>>()
  for (const m of line.matchAll(ARG)) {
    const [, index, piece, quoted, bare] = m
    const value = quoted ?? (bare !== undefined && HEX.test(bare) ? decodeHex(bare) : (bare ?? ''))
    const n = Number(index)
    const list = pieces.get(n) ?? []
    list.push([piece === undefined ? -1 : Number(piece), value])
    pieces.set(n, list)
  }
  const args = new Map<number, string>()
  for (const [n, list] of [...pieces].sort((a, b) => a[0] - b[0])) args.set(n, list.sort((a, b) => a[0] - b[0]).map(([, v]) => v).join(''))
  return args
}

/** One record to the document a Sigma auditd rule sees. */
export function recordDoc(record: AuditRecord, line: string): SigmaDoc {
  const fields: Record<string, string | string[]> = {}
  // `(null)` is how auditd writes "no value" (`key=(null)`): for a rule the field is absent.
  for (const [name, value] of Object.entries(record.fields)) if (value !== '(null)') fields[name] = value
  fields.type = record.type
  const extra: string[] = []
  if (record.type === 'EXECVE') {
    const args = execveArgs(line)
    for (const [n, value] of args) fields[`a${n}`] = value
    extra.push([...args.values()].join(' '))
  }
  if (record.type === 'SYSCALL' && record.fields.SYSCALL === undefined) {
    const name = syscallName(record.fields.arch, record.fields.syscall)
    if (name !== undefined) fields.SYSCALL = name
  }
  if (record.fields.proctitle !== undefined) fields.proctitle = record.fields.proctitle.replace(/\0/g, ' ')
  const key = record.fields.key
  if (key !== undefined && key.includes('\u0001')) fields.key = key.split('\u0001').filter((k) => k !== '')
  for (const name of ['proctitle', 'name', 'exe', 'comm', 'cwd', 'cmd', 'data', 'key'] as const) {
    const value = fields[name]
    if (typeof value === 'string') extra.push(value)
  }
  return {fields, text: `${line.replace(/\u001D/g, ' ')}\n${extra.join('\n')}`}
}

/** An EXECVE document's arguments joined by spaces, as the command was typed. */
function commandLine(doc: SigmaDoc): string {
  const args: string[] = []
  for (let i = 0; ; i++) {
    const arg = doc.fields[`a${i}`]
    if (typeof arg !== 'string') return args.join(' ')
    args.push(arg)
  }
}

interface OpenEvent {
  records: Array<{record: AuditRecord; line: string; lineNo: number}>
  lastSeen: number
}

function isIp(value: string | undefined): value is string {
  return value !== undefined && (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value)))
}

function userOf(records: readonly AuditRecord[]): string | null {
  const main = records.find((r) => r.type === 'SYSCALL') ?? records[0]
  if (main === undefined) return null
  const f = main.fields
  const named = [f.AUID, f.UID].find((v) => v !== undefined && v !== 'unset' && v !== '')
  if (named !== undefined) return named
  const id = [f.auid, f.uid].find((v) => v !== undefined && v !== UNSET && v !== '')
  return id ?? null
}

function pathsOf(records: readonly AuditRecord[]): string[] {
  const cwd = records.find((r) => r.type === 'CWD')?.fields.cwd
  const paths: string[] = []
  for (const r of records) {
    const name = r.type === 'PATH' ? r.fields.name : undefined
    if (name === undefined || name === '(null)') continue
    const path = name.startsWith('/') || cwd === undefined ? name : `${cwd.replace(/\/$/, '')}/${name}`
    if (!paths.includes(path)) paths.push(path)
  }
  return paths
}

function evidenceOf(open: OpenEvent, source: AuditSource): SigmaEvidence {
  const records = open.records.map((r) => r.record)
  const first = open.records[0] as OpenEvent['records'][number]
  const docs = open.records.map((r) => recordDoc(r.record, r.line))
  return {
    bundle: source.bundle,
    commands: docs.filter((d) => d.fields.type === 'EXECVE').map(commandLine),
    docs,
    host: source.host,
    identity: `${source.bundle}\u0000audit\u0000${first.record.time}\u0000${first.record.serial}`,
    ip: records.map((r) => r.fields.addr).find(isIp) ?? null,
    origin: 'audit',
    paths: pathsOf(records),
    program: null,
    ref: `${source.file}:${first.lineNo}`,
    time: first.record.time,
    user: userOf(records),
    verified: source.verified,
  }
}

/** Records of one event are near each other; an event unseen for this many lines is complete. */
const WINDOW_LINES = 512
/** Events kept open at most (memory stays bounded whatever the input). */
const MAX_OPEN = 4096

/**
 * Groups raw audit lines (1-based line numbers) into events, in a bounded window: `push` returns the
 * events the line completed (an EOE record, or unseen for WINDOW_LINES lines), `flush` the rest.
 */
export class AuditEvidenceGrouper {
  private readonly open = new Map<string, OpenEvent>()
  private lineNo = 0

  constructor(private readonly source: AuditSource) {}

  push(line: string): SigmaEvidence[] {
    this.lineNo++
    const record = parseAuditRecordLine(line)
    if (record === null) return []
    const id = `${record.time}:${record.serial}`
    let open = this.open.get(id)
    if (open === undefined) {
      open = {lastSeen: this.lineNo, records: []}
      this.open.set(id, open)
    }
    open.lastSeen = this.lineNo
    const done: SigmaEvidence[] = []
    if (record.type === 'EOE') {
      this.open.delete(id)
      if (open.records.length > 0) done.push(evidenceOf(open, this.source))
    } else {
      open.records.push({line, lineNo: this.lineNo, record})
    }
    // Insertion order is close to age order: the scan stops at the first recent event, so a line costs O(1) on average.
    for (const [otherId, other] of this.open) {
      if (this.lineNo - other.lastSeen < WINDOW_LINES && this.open.size <= MAX_OPEN) break
      this.open.delete(otherId)
      if (other.records.length > 0) done.push(evidenceOf(other, this.source))
    }
    return done
  }

  flush(): SigmaEvidence[] {
    const done = [...this.open.values()].filter((o) => o.records.length > 0).map((o) => evidenceOf(o, this.source))
    this.open.clear()
    return done
  }
}

/** Every event of a raw audit text (`audit/KEY.raw`), in order of completion. */
export function auditEvidence(text: string, source: AuditSource): SigmaEvidence[] {
  const grouper = new AuditEvidenceGrouper(source)
  const out: SigmaEvidence[] = []
  for (const line of text.split('\n')) out.push(...grouper.push(line))
  out.push(...grouper.flush())
  return out
}
