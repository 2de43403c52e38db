/**
 * The case database's rows (CaseEvent) as Sigma evidence: an auth row is its original log line
 * (`raw`), a shell-history row its command, an audit row (`audit/events.jsonl`, one object per event)
 * a rebuilt event: a SYSCALL record with the event's key, exe, comm and ids, one PATH record per path,
 * and a bare record for each other type. The rebuilt event lacks EXECVE arguments, syscall names and
 * every other field; it stands in only for a bundle whose raw records (`audit/KEY.raw`) were not given.
 */
import type {CaseEvent} from '../event.js'
import type {SigmaDoc} from './compile.js'
import type {SigmaEvidence} from './evidence.js'

type Json = Record<string, unknown>

function parse(data: string): Json | null {
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null
  } catch {
    return null
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined
}

function doc(fields: Record<string, string | string[] | undefined>): SigmaDoc {
  const clean: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = v
  const text = Object.entries(clean).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join(' ')
  return {fields: clean, text}
}

function auditDocs(data: Json): SigmaDoc[] {
  const types = Array.isArray(data.types) ? data.types.filter((t): t is string => typeof t === 'string') : []
  const paths = Array.isArray(data.paths) ? data.paths.filter((p): p is string => typeof p === 'string') : []
  const keys = Array.isArray(data.keys) ? data.keys.filter((k): k is string => typeof k === 'string') : (str(data.key)?.split(',') ?? [])
  const ids = {auid: str(data.auid), euid: str(data.euid), uid: str(data.uid)}
  const success = data.success === true ? 'yes' : data.success === false ? 'no' : undefined
  const main = types.includes('SYSCALL') ? 'SYSCALL' : types[0]
  const docs: SigmaDoc[] = []
  for (const type of types) {
    if (type === 'PATH') {
      for (const name of paths) docs.push(doc({name, type}))
    } else if (type === main) {
      docs.push(doc({...ids, comm: str(data.comm), exe: str(data.exe), key: keys.length > 1 ? keys : keys[0], success, type}))
    } else {
      docs.push(doc({...ids, type}))
    }
  }
  return docs
}

/** One row to Sigma evidence, or null when Sigma rules have nothing to read in it. */
export function evidenceFromCaseEvent(event: CaseEvent): SigmaEvidence | null {
  const data = parse(event.data)
  if (data === null) return null
  const base = {bundle: event.bundle, host: event.host, ip: event.ip, ref: event.ref, time: event.time, user: event.user, verified: event.verified}
  switch (event.source) {
    case 'auth': {
      const raw = str(data.raw)
      if (raw === undefined) return null
      const program = str(data.program)?.toLowerCase() ?? null
      return {...base, commands: [], docs: [{fields: {}, text: raw}], identity: `${event.bundle}\u0000${event.ref}`, origin: 'auth', paths: [], program}
    }
    case 'shell-history': {
      const command = str(data.command)
      if (command === undefined) return null
      return {...base, commands: [command], docs: [{fields: {}, text: command}], identity: `${event.bundle}\u0000${event.ref}`, origin: 'shell-history', paths: event.path === null ? [] : [event.path], program: null}
    }
    case 'audit': {
      const time = str(data.time) ?? event.time
      const serial = str(data.serial)
      if (serial === undefined) return null
      const paths = Array.isArray(data.paths) ? data.paths.filter((p): p is string => typeof p === 'string') : []
      const user = event.user ?? (str(data.auid) !== undefined && str(data.auid) !== '4294967295' ? (str(data.auid) as string) : (str(data.uid) ?? null))
      return {...base, commands: [], docs: auditDocs(data), identity: `${event.bundle}\u0000audit\u0000${time}\u0000${serial}`, origin: 'audit-summary', paths, program: null, user}
    }
    default:
      return null
  }
}
