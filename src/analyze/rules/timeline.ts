/**
 * The case across hosts: hosts joined by cross-host findings (a login on B from A's address) form one
 * story, and its timeline is the ordered events of those hosts, for the report.
 */
import type {DuckDBConnection} from '@duckdb/node-api'

import type {Finding} from '../finding.js'
import {evidenceSql} from '../sql.js'
import {sqlText, sqlTextList} from './params.js'

/** Groups of hosts joined by findings that name several hosts (`hosts`), each sorted; hosts on their own are left out. */
export function joinedHosts(findings: readonly Finding[]): string[][] {
  const parent = new Map<string, string>()
  const find = (h: string): string => {
    let root = h
    while (parent.get(root) !== root) root = parent.get(root) as string
    parent.set(h, root)
    return root
  }
  for (const finding of findings) {
    const hosts = finding.hosts ?? []
    if (hosts.length < 2) continue
    for (const h of hosts) if (!parent.has(h)) parent.set(h, h)
    for (const h of hosts.slice(1)) parent.set(find(h), find(hosts[0] as string))
  }
  const groups = new Map<string, string[]>()
  for (const h of parent.keys()) groups.set(find(h), [...(groups.get(find(h)) ?? []), h])
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] as string).localeCompare(b[0] as string))
}

export interface TimelineEvent {
  time: string | null
  host: string
  source: string
  kind: string
  user: string | null
  ip: string | null
  path: string | null
  message: string
  /** `BUNDLE/FILE:LINE`. */
  evidence: string
}

/**
 * The SQL of one case timeline: every event of `hosts` between `start` and `end` (when given), in time
 * order (host, then evidence, for ties), timeless events left out. Reads `events` only.
 */
export function caseTimelineSql(hosts: readonly string[], window: {start?: Date | null; end?: Date | null} = {}, limit = 5000): string {
  const conditions = [`host IN (SELECT unnest(${sqlTextList(hosts)}))`, 'time IS NOT NULL']
  if (window.start) conditions.push(`time >= CAST(${sqlText(window.start.toISOString())} AS TIMESTAMPTZ)`)
  if (window.end) conditions.push(`time <= CAST(${sqlText(window.end.toISOString())} AS TIMESTAMPTZ)`)
  return `SELECT epoch_ms(time) AS time_ms, host, source, kind, "user", ip, path, message, ${evidenceSql()} AS evidence
FROM events WHERE ${conditions.join(' AND ')}
ORDER BY time, host, bundle, ref LIMIT ${Math.max(1, Math.floor(limit))}`
}

/** The case timeline across `hosts` (at most `limit` events). */
export async function caseTimeline(connection: DuckDBConnection, hosts: readonly string[], window: {start?: Date | null; end?: Date | null} = {}, limit = 5000): Promise<TimelineEvent[]> {
  const reader = await connection.runAndReadAll(caseTimelineSql(hosts, window, limit))
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((row) => ({
    evidence: String(row.evidence), host: String(row.host), ip: (row.ip as string | null) ?? null, kind: String(row.kind), message: String(row.message),
    path: (row.path as string | null) ?? null, source: String(row.source), time: row.time_ms === null ? null : new Date(Number(row.time_ms)).toISOString(),
    user: (row.user as string | null) ?? null,
  }))
}
