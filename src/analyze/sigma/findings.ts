/**
 * Matches grouped into findings (src/analyze/finding.ts), one per (rule, host): first and last time,
 * how many events (each counted once however many of its records or files matched), the account and
 * address seen most, the paths and the evidence refs (`BUNDLE/FILE:LINE`, the first MAX_LISTED of
 * each, the totals beside them when cut). The id is stable across runs of the same evidence.
 */
import {createHash} from 'node:crypto'

import {compareFindings, type Finding} from '../finding.js'
import type {SigmaEvidence} from './evidence.js'
import type {SigmaRule} from './rule.js'

/** Paths and refs listed per finding at most (count says how many events there were). */
export const MAX_LISTED = 50

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
    const ref = `${e.bundle}/${e.ref}`
    if (this.identities.has(e.identity)) {
      this.refs.add(ref)
      return
    }
    this.identities.add(e.identity)
    if (e.time !== null) {
      if (this.first === null || e.time < this.first) this.first = e.time
      if (this.last === null || e.time > this.last) this.last = e.time
    }
    if (e.user !== null) this.users.set(e.user, (this.users.get(e.user) ?? 0) + 1)
    if (e.ip !== null) this.ips.set(e.ip, (this.ips.get(e.ip) ?? 0) + 1)
    for (const p of e.paths) this.paths.add(p)
    this.refs.add(ref)
    if (!e.verified) this.verified = false
  }

  finding(): Finding {
    const {rule, host, first} = this
    const user = most(this.users)
    const ip = most(this.ips)
    const paths = [...this.paths]
    const refs = [...this.refs]
    const finding: Finding = {
      count: this.identities.size, first, host, id: createHash('sha256').update(JSON.stringify(['sigma', rule.id, host, first])).digest('hex').slice(0, 16),
      ip, last: this.last, paths: paths.slice(0, MAX_LISTED), refs: refs.slice(0, MAX_LISTED), rule: rule.id, severity: rule.severity,
      source: 'sigma', title: rule.title, user,
    }
    if (!this.verified) finding.unverified = true
    if (refs.length > MAX_LISTED) finding.refs_total = refs.length
    if (paths.length > MAX_LISTED) finding.paths_total = paths.length
    finding.rule_file = rule.file
    // The Detection Rule License asks that a rule's author and references stay with what it found.
    finding.details = {author: rule.author, references: [...rule.references], status: rule.status}
    return finding
  }
}

/** Collects matches; `findings()` returns them in the analyze report's order (compareFindings). */
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

  findings(): Finding[] {
    return [...this.groups.values()].map((g) => g.finding()).sort(compareFindings)
  }
}
