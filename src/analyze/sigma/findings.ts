/**
 * Matches grouped into findings, one per (rule, host): first and last time, how many events (each
 * counted once however many of its records or files matched), the account and address seen most,
 * the paths and the evidence refs (the first MAX_LISTED of each).
 */
import type {SigmaEvidence} from './evidence.js'
import type {Severity, SigmaRule} from './rule.js'

export interface SigmaFinding {
  readonly id: string
  readonly rule: string
  readonly title: string
  readonly severity: Severity
  readonly host: string
  readonly first: string | null
  readonly last: string | null
  readonly count: number
  readonly user: string | null
  readonly ip: string | null
  readonly paths: string[]
  readonly refs: string[]
  readonly source: 'sigma'
  /** False when a matched event came from a bundle that failed verification (`--allow-unverified`). */
  readonly verified: boolean
  /** The rule file (relative to its --sigma folder), and the author and references its license asks to keep with a match. */
  readonly sigma: {readonly file: string; readonly author: string | null; readonly references: readonly string[]}
}

/** Paths and refs listed per finding at most (count says how many events there were). */
export const MAX_LISTED = 50

const RANK: Readonly<Record<Severity, number>> = {critical: 0, high: 1, info: 4, low: 3, medium: 2}

function most(counts: ReadonlyMap<string, number>): string | null {
  let best: string | null = null
  let n = 0
  for (const [value, c] of counts) {
    if (c > n) {
      best = value
      n = c
    }
  }
  return best
}

class Group {
  first: string | null = null
  last: string | null = null
  readonly identities = new Set<string>()
  readonly users = new Map<string, number>()
  readonly ips = new Map<string, number>()
  readonly paths = new Set<string>()
  readonly refs = new Set<string>()
  verified = true

  constructor(readonly rule: SigmaRule, readonly host: string) {}

  add(e: SigmaEvidence): void {
    if (this.identities.has(e.identity)) {
      if (this.refs.size < MAX_LISTED) this.refs.add(e.ref)
      return
    }
    this.identities.add(e.identity)
    if (e.time !== null) {
      if (this.first === null || e.time < this.first) this.first = e.time
      if (this.last === null || e.time > this.last) this.last = e.time
    }
    if (e.user !== null) this.users.set(e.user, (this.users.get(e.user) ?? 0) + 1)
    if (e.ip !== null) this.ips.set(e.ip, (this.ips.get(e.ip) ?? 0) + 1)
    for (const p of e.paths) if (this.paths.size < MAX_LISTED) this.paths.add(p)
    if (this.refs.size < MAX_LISTED) this.refs.add(e.ref)
    if (!e.verified) this.verified = false
  }

  finding(): SigmaFinding {
    const {rule} = this
    return {
      count: this.identities.size, first: this.first, host: this.host, id: `sigma:${rule.id}:${this.host}`, ip: most(this.ips), last: this.last,
      paths: [...this.paths], refs: [...this.refs], rule: rule.id, severity: rule.severity,
      sigma: {author: rule.author, file: rule.file, references: rule.references},
      source: 'sigma', title: rule.title, user: most(this.users), verified: this.verified,
    }
  }
}

/** Collects matches; `findings()` returns them most severe first, then by first time. */
export class FindingCollector {
  private readonly groups = new Map<string, Group>()

  add(rule: SigmaRule, evidence: SigmaEvidence): void {
    const key = `${rule.id}\u0000${evidence.host}`
    let group = this.groups.get(key)
    if (group === undefined) {
      group = new Group(rule, evidence.host)
      this.groups.set(key, group)
    }
    group.add(evidence)
  }

  findings(): SigmaFinding[] {
    return [...this.groups.values()].map((g) => g.finding()).sort((a, b) =>
      RANK[a.severity] - RANK[b.severity] || (a.first ?? '').localeCompare(b.first ?? '') || a.title.localeCompare(b.title) || a.host.localeCompare(b.host))
  }
}
