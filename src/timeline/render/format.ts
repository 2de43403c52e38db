import type {Deadline, Timeline} from '../types.js'

import {deadlineLabel, withCommas} from './words.js'

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
  const parts = Object.entries(affected).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s} ${withCommas(n)}`)
  return `${withCommas(t.affected_total)} (${parts.join(', ')})`
}

export function regimeLabel(t: Timeline): string {
  return t.regime === 'hipaa' ? 'HIPAA (45 CFR 164.400-414)' : 'FTC Health Breach Notification Rule (16 CFR 318)'
}

/**
 * One line for the top of the terminal output: the next deadline (and the notices due that day),
 * with any overdue ones first.
 */
export function nextDeadlineLine(t: Timeline): string {
  if (!t.notification_required) return 'next deadline: none: notification is not required (keep the 164.414(b) documentation)'
  const dated = t.deadlines.filter((d): d is Deadline & {due: string} => d.due !== null && d.days_left !== undefined)
  const overdue = dated.filter((d) => (d.days_left ?? 0) < 0)
  const upcoming = dated.filter((d) => (d.days_left ?? 0) >= 0).sort((a, b) => a.due.localeCompare(b.due))
  const parts: string[] = []
  if (overdue.length > 0) {
    const named = overdue.slice(0, 3).map((d) => deadlineLabel(d, 30))
    const more = overdue.length > named.length ? `; and ${overdue.length - named.length} more` : ''
    parts.push(`OVERDUE: ${overdue.length} deadline${overdue.length === 1 ? '' : 's'} passed (${named.join('; ')}${more})`)
  }
  const next = upcoming[0]
  if (next === undefined) parts.push(dated.length === 0 ? 'next deadline: no dated deadline (see the notes)' : 'next deadline: none left')
  else {
    const same = upcoming.filter((d) => d.due === next.due)
    const days = next.days_left === 0 ? 'today' : `${next.days_left} day${next.days_left === 1 ? '' : 's'}`
    parts.push(`next deadline: ${next.due} (${days}): ${same.map((d) => deadlineLabel(d, 40)).join('; ')}`)
  }
  return parts.join('; ')
}
