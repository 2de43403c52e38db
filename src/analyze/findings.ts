import type {CaseDb} from './case-db.js'

/** A finding (CONTRACT.md, "hipaa-ir analyze"), plus `verified: false` when drawn from a bundle that failed verification. */
export interface Finding {
  id: string
  rule: string
  title: string
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical'
  host: string | null
  first: string | null
  last: string | null
  count: number
  user: string | null
  ip: string | null
  paths: string[]
  refs: string[]
  source: 'builtin' | 'rules' | 'sigma'
  /** False when any event it was drawn from came from a bundle that failed verification (--allow-unverified). */
  verified?: boolean
}

export interface FindingEngineInput {
  db: CaseDb
  /** --rules DIR (repeatable): YAML rule folders, besides the built-in rules. */
  rules: readonly string[]
  /** --sigma DIR (repeatable). */
  sigma: readonly string[]
}

export interface FindingEngineOutput {
  findings: Finding[]
  /** Sigma rules outside the supported subset, with the reason (never silently dropped). */
  sigmaSkipped: Array<{rule: string; reason: string}>
}

/**
 * The hook where the rule engines plug in: the built-in and YAML rules (src/analyze/rules/) and the
 * Sigma engine (src/analyze/sigma/) each query the `events` table and return findings. Until they
 * are wired here, analyze reports no findings.
 */
export async function runFindingEngines(input: FindingEngineInput): Promise<FindingEngineOutput> {
  void input
  return {findings: [], sigmaSkipped: []}
}

/** A finding says so when it was drawn from an unverified bundle: by its host, or by a ref naming the bundle. */
export function markUnverified(findings: readonly Finding[], unverified: ReadonlyArray<{host: string; name: string}>): Finding[] {
  if (unverified.length === 0) return [...findings]
  const hosts = new Set(unverified.map((b) => b.host))
  return findings.map((finding) => {
    const fromUnverified = (finding.host !== null && hosts.has(finding.host)) || finding.refs.some((ref) => unverified.some((b) => ref.includes(b.name)))
    return fromUnverified ? {...finding, verified: false} : finding
  })
}
