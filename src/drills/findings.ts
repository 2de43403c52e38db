/**
 * Measures what the collected evidence and the computed timeline actually show, and compares it
 * with a scenario's expected findings. Pure: the evidence rows come in already parsed.
 */
import type {Timeline} from '../timeline/types.js'
import type {AuditFilter, AuthFilter, ExpectedFinding, FindingCheck, FindingValue} from './types.js'

/** The rows of the bundle's JSON-lines files that the checks look at (fields per CONTRACT.md). */
export interface AuthRow {
  time: string
  kind: string
  user: null | string
  ip: null | string
}

export interface AuditRow {
  key: null | string
  auid: null | string
  exe: null | string
  paths: string[]
}

export interface PhiFileRow {
  path: string
  type: string
}

export interface DrillEvidence {
  auth: AuthRow[]
  audit: AuditRow[]
  phiFiles: PhiFileRow[]
}

export interface FindingResult {
  id: string
  label: string
  expected: FindingValue
  found: FindingValue
  match: boolean
}

function authMatches(row: AuthRow, f: AuthFilter): boolean {
  const t = Date.parse(row.time)
  return (f.kind === undefined || row.kind === f.kind)
    && (f.user === undefined || row.user === f.user)
    && (f.ip === undefined || row.ip === f.ip)
    && (f.after === undefined || t >= Date.parse(f.after))
    && (f.before === undefined || t < Date.parse(f.before))
}

function auditMatches(row: AuditRow, f: AuditFilter): boolean {
  return (f.key === undefined || row.key === f.key)
    && (f.auid === undefined || row.auid === f.auid)
    && (f.exe === undefined || row.exe === f.exe)
}

export function measure(check: FindingCheck, evidence: DrillEvidence, timeline: Timeline): FindingValue {
  switch (check.kind) {
    case 'auth-count':
      return evidence.auth.filter((r) => authMatches(r, check.filter)).length
    case 'auth-distinct-ips':
      return new Set(evidence.auth.filter((r) => authMatches(r, check.filter)).map((r) => r.ip)).size
    case 'audit-count':
      return evidence.audit.filter((r) => auditMatches(r, check.filter)).length
    case 'audit-distinct-paths':
      return new Set(evidence.audit.filter((r) => auditMatches(r, check.filter)).flatMap((r) => r.paths)).size
    case 'phi-files':
      return evidence.phiFiles.filter((r) => r.type === 'file' && (check.pathPrefix === undefined || r.path.startsWith(check.pathPrefix))).length
    case 'notification-required':
      return timeline.notification_required
    case 'deadline-due':
      return timeline.deadlines.find((d) => d.id === check.id)?.due ?? null
    case 'deadline-present':
      return timeline.deadlines.some((d) => d.id === check.id)
    case 'agency-alternative':
      return timeline.clock?.alternative?.discovered ?? null
  }
}

export function checkFindings(expected: readonly ExpectedFinding[], evidence: DrillEvidence, timeline: Timeline): FindingResult[] {
  return expected.map((e) => {
    const found = measure(e.check, evidence, timeline)
    return {expected: e.expected, found, id: e.id, label: e.label, match: found === e.expected}
  })
}

/** A short, human summary of the evidence for the report (counts, never file contents). */
export interface EvidenceSummary {
  accepted: Array<{user: string; ip: string; count: number; first: string}>
  failedByIp: Array<{ip: string; count: number}>
  sudo: number
  phiAccessByAuid: Array<{auid: string; events: number; paths: number; exes: string[]}>
  phiFilesModified: string[]
}

export function summarizeEvidence(evidence: DrillEvidence): EvidenceSummary {
  const accepted = new Map<string, {user: string; ip: string; count: number; first: string}>()
  const failed = new Map<string, number>()
  let sudo = 0
  for (const row of evidence.auth) {
    if (row.kind === 'accepted') {
      const key = `${row.user ?? '?'} ${row.ip ?? '?'}`
      const seen = accepted.get(key)
      if (seen === undefined) accepted.set(key, {count: 1, first: row.time, ip: row.ip ?? '?', user: row.user ?? '?'})
      else {
        seen.count++
        if (row.time < seen.first) seen.first = row.time
      }
    } else if (row.kind === 'failed') failed.set(row.ip ?? '?', (failed.get(row.ip ?? '?') ?? 0) + 1)
    else if (row.kind === 'sudo') sudo++
  }
  const byAuid = new Map<string, {events: number; paths: Set<string>; exes: Set<string>}>()
  for (const row of evidence.audit) {
    const auid = row.auid ?? '?'
    const entry = byAuid.get(auid) ?? {events: 0, exes: new Set<string>(), paths: new Set<string>()}
    entry.events++
    for (const p of row.paths) entry.paths.add(p)
    if (row.exe !== null) entry.exes.add(row.exe)
    byAuid.set(auid, entry)
  }
  return {
    accepted: [...accepted.values()].sort((a, b) => a.first.localeCompare(b.first)),
    failedByIp: [...failed.entries()].map(([ip, count]) => ({count, ip})).sort((a, b) => b.count - a.count || a.ip.localeCompare(b.ip)),
    phiAccessByAuid: [...byAuid.entries()].map(([auid, e]) => ({auid, events: e.events, exes: [...e.exes].sort(), paths: e.paths.size})).sort((a, b) => b.events - a.events),
    phiFilesModified: evidence.phiFiles.filter((r) => r.type === 'file').map((r) => r.path).sort(),
    sudo,
  }
}
