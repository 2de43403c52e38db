/**
 * One finding of `hipaa-ir analyze` (CONTRACT.md, "hipaa-ir analyze"): what a rule (built-in, a user's
 * `--rules` file, or Sigma) saw in the case database, with the evidence refs that prove it. The
 * contract's fields come first; the rest are extensions the report and `findings.json` carry.
 */

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof severities)[number]

export type FindingSource = 'builtin' | 'rules' | 'sigma'

export interface Finding {
  /** Stable across runs of the same evidence: a hash of the rule, the host(s), the first time and the subject. */
  id: string
  /** The rule id (`auth.bruteforce-then-success`, a user rule's id, a Sigma rule's id). */
  rule: string
  title: string
  severity: Severity
  /** The host the finding is about; for a cross-host finding, the host where it ends (the target). */
  host: string
  /** ISO 8601 UTC of the first and last event behind the finding (null when the evidence has no time). */
  first: string | null
  last: string | null
  /** How many events (or distinct files, as the rule says) stand behind the finding. */
  count: number
  user: string | null
  ip: string | null
  paths: string[]
  /** Evidence refs (`BUNDLE/auth/events.jsonl:17`), at most `refs_total` of them kept: see `refs_total`. */
  refs: string[]
  source: FindingSource
  /** Present (true) when any evidence behind the finding came from a bundle that failed verification. */
  unverified?: true
  /** Why this matters, in words an investigator reads (the rule's reason filled from the finding). */
  reason?: string
  /** Every host involved, for cross-host findings (lateral movement: source host first). */
  hosts?: string[]
  /** The number of refs before they were cut to keep the report readable (present when cut). */
  refs_total?: number
  /** How many paths before the list was cut (present when cut). */
  paths_total?: number
  /** The rule's own columns (failures, tried users, the program, …), as its query returned them. */
  details?: Record<string, unknown>
  /** The rule file a user rule came from. */
  rule_file?: string
}

/** Higher is worse: `critical` = 4, `info` = 0. */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity)
}

/** Worst first, then earliest first (no time last), then rule and host, so the order is stable. */
export function compareFindings(a: Finding, b: Finding): number {
  const bySeverity = severityRank(b.severity) - severityRank(a.severity)
  if (bySeverity !== 0) return bySeverity
  if (a.first !== b.first) {
    if (a.first === null) return 1
    if (b.first === null) return -1
    return a.first < b.first ? -1 : 1
  }
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1
  if (a.host !== b.host) return a.host < b.host ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
