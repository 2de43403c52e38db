import type {ControlResult, Evidence, LineEvidence} from '../types.js'
import {type AuditRules, type AuditWatch, naturalCompare, parseAuditRules, watchCovers} from '../parsers/audit-rules.js'
import {type PostureContext, verdict} from './context.js'

const RULES_DIR = '/etc/audit/rules.d'
const AUDIT_RULES = '/etc/audit/audit.rules'
const LOADED = 'auditctl -l'
export const IDENTITY_FILES = ['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/sudoers'] as const

export interface AuditSource {
  /** Evidence that says where the rules came from, when nothing else does (missing files). */
  origin: Evidence[]
  /** Why the configured rules were used, or why there are none. */
  note?: string
  rules: AuditRules
  /** True when the rules are the loaded ones (`auditctl -l`). */
  loaded: boolean
}

/**
 * On the live system the loaded rules (`auditctl -l`) say what was in force. Otherwise the
 * configured ones: `rules.d/*.rules` in natural order (what augenrules loads), or `audit.rules`
 * when rules.d holds none.
 */
export function auditSource(context: PostureContext): AuditSource {
  const probe = context.probes.auditctl
  if (context.live && probe !== undefined && probe.failure === undefined) {
    return {loaded: true, origin: [], rules: parseAuditRules([{path: LOADED, text: probe.output}])}
  }
  const why = context.live
    ? `\`auditctl -l\` gave no answer (${probe?.failure ?? 'not run'}), so these are the configured rules, not the loaded ones`
    : 'judged on the configured rules below --root, not the loaded ones (only the live system can list those)'
  const names = (context.view.list(RULES_DIR) ?? []).filter((name) => name.endsWith('.rules') && !name.startsWith('.')).sort(naturalCompare)
  const files = names.flatMap((name) => context.view.read(`${RULES_DIR}/${name}`) ?? [])
  if (files.length > 0) return {loaded: false, note: why, origin: [], rules: parseAuditRules(files)}
  const single = context.view.read(AUDIT_RULES)
  if (single !== undefined) return {loaded: false, note: why, origin: [], rules: parseAuditRules([single])}
  return {
    loaded: false,
    note: `${why}; no ${RULES_DIR}/*.rules and no ${AUDIT_RULES}: auditd is not configured to load any rule`,
    origin: [{file: RULES_DIR, missing: true}, {file: AUDIT_RULES, missing: true}],
    rules: {ruleCount: 0, watches: []},
  }
}

function watchEvidence(watch: AuditWatch): Evidence {
  const {evidence}: {evidence: LineEvidence} = watch
  return evidence.file === LOADED ? {command: LOADED, output: evidence.text} : evidence
}

function coveringWatch(rules: AuditRules, path: string, need: string): AuditWatch | undefined {
  return rules.watches.find((watch) => watchCovers(watch, path, need))
}

function withNote(reason: string | undefined, note: string | undefined): string | undefined {
  const parts = [reason, note].filter((part): part is string => part !== undefined)
  return parts.length === 0 ? undefined : parts.join('. ')
}

export function judgePhiWatch(context: PostureContext, source: AuditSource): ControlResult {
  const id = 'audit.phi-watch'
  const evidence: Evidence[] = [...source.origin]
  const missing: string[] = []
  for (const dir of context.phiDirs) {
    const watch = coveringWatch(source.rules, dir, 'rw')
    if (watch !== undefined) {
      evidence.push(watchEvidence(watch))
      continue
    }
    missing.push(dir)
    // Watches that cover the directory with too few permissions explain the failure.
    for (const weak of source.rules.watches.filter((candidate) => watchCovers(candidate, dir, ''))) evidence.push(watchEvidence(weak))
  }
  if (missing.length > 0) {
    return verdict(id, 'fail', evidence, withNote(`no audit rule watches ${missing.join(', ')} for both reads and writes (-w DIR -p rw...)`, source.note))
  }
  return verdict(id, 'pass', evidence, source.note)
}

export function judgeIdentityWatch(source: AuditSource): ControlResult {
  const id = 'audit.identity-watch'
  const evidence: Evidence[] = [...source.origin]
  const missing: string[] = []
  for (const path of IDENTITY_FILES) {
    const watch = coveringWatch(source.rules, path, 'w')
    if (watch === undefined) missing.push(path)
    else evidence.push(watchEvidence(watch))
  }
  if (missing.length > 0) return verdict(id, 'fail', evidence, withNote(`no write watch on ${missing.join(', ')}`, source.note))
  return verdict(id, 'pass', evidence, source.note)
}
