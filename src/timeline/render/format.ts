import type {Deadline, Timeline} from '../types.js'

/** Small wording helpers shared by the renderers (pure). */

export function statusLabel(status: string): string {
  return status.toUpperCase()
}

export function dueLabel(d: Deadline): string {
  return d.due ?? `no date: ${d.due_text ?? 'no day count'}`
}

export function leftLabel(d: Deadline): string {
  if (d.days_left === undefined) return '-'
  if (d.days_left < 0) return `OVERDUE by ${-d.days_left}`
  if (d.days_left === 0) return 'today'
  return `${d.days_left}`
}

/** Extra readings of a deadline in one line: tolled, extended, original, chained. */
export function readings(d: Deadline): string[] {
  const out: string[] = []
  if (d.original_due !== undefined) out.push(`before the law-enforcement delay: ${d.original_due}`)
  if (d.due_if_tolled !== undefined) out.push(`tolling reading (ask counsel): ${d.due_if_tolled}`)
  if (d.due_if_extended !== undefined) out.push(`with the statutory extension: ${d.due_if_extended}`)
  if (d.chained !== undefined) out.push(`chained: ${d.chained.relation} ${d.chained.after} (${d.chained.planned ? 'planned' : 'latest'} date ${d.chained.from ?? 'none'})`)
  return out
}

export function affectedLabel(t: Timeline, affected: Readonly<Record<string, number>>): string {
  const parts = Object.entries(affected).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s} ${n}`)
  return `${t.affected_total} (${parts.join(', ')})`
}

export function regimeLabel(t: Timeline): string {
  return t.regime === 'hipaa' ? 'HIPAA (45 CFR 164.400-414)' : 'FTC Health Breach Notification Rule (16 CFR 318)'
}
