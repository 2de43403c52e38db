import type {Deadline, Timeline} from '../types.js'

import {utcStamp} from '../../bundle/naming.js'
import {plusDays} from '../calendar.js'
import {cleanText} from './escape.js'
import {readings, statusLabel} from './format.js'
import {explainNote} from './words.js'

/**
 * The deadlines as an RFC 5545 calendar, written directly (every property is one this file chose):
 * all-day VEVENTs (DTSTART/DTEND as DATE), DTSTAMP/CREATED/LAST-MODIFIED as UTC DATE-TIMEs, alarms
 * as durations (-P7D), TEXT escaped (backslash, semicolon, comma, newline), CRLF line ends, and
 * lines folded at 75 octets without splitting a UTF-8 character.
 */

const MAX_OCTETS = 75

/** RFC 5545 3.1: a line longer than 75 octets continues on the next line after a space. */
export function foldLine(line: string): string {
  const out: string[] = []
  let current = ''
  let octets = 0
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8')
    const limit = out.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1
    if (octets + size > limit) {
      out.push(current)
      current = ''
      octets = 0
    }
    current += ch
    octets += size
  }
  out.push(current)
  return out.join('\r\n ')
}

/** RFC 5545 3.3.11 TEXT. */
function text(value: string): string {
  return cleanText(value).replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replaceAll(/\r?\n/g, '\\n')
}

function date(iso: string): string {
  return iso.replaceAll('-', '')
}

function eventLines(t: Timeline, d: Deadline & {due: string}, stamp: string): string[] {
  const description = [
    `LATEST lawful date (outer limit) for: ${d.title}.`,
    `Citation: ${d.citation}. Rule status: ${statusLabel(d.status)}.`,
    `How computed: ${d.basis}.`,
    ...readings(d),
    ...d.notes.map((n) => explainNote(n)),
    t.disclaimer,
  ]
    .join('\n')
    .replaceAll('`', '')
  const alarm = (days: number, words: string): string[] => ['BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${text(`${d.title}: latest date ${words}`)}`, `TRIGGER:-P${days}D`, 'END:VALARM']
  return [
    'BEGIN:VEVENT',
    `UID:${`${t.id}.${d.id}@hipaa-ir`.replaceAll(/[^A-Za-z0-9.@:-]/g, '-')}`,
    `DTSTAMP:${stamp}`,
    `CREATED:${stamp}`,
    `LAST-MODIFIED:${stamp}`,
    `DTSTART;VALUE=DATE:${date(d.due)}`,
    `DTEND;VALUE=DATE:${date(plusDays(d.due, 1))}`,
    `SUMMARY:${text(`[${t.id}] LATEST: ${d.title} (${d.citation})`)}`,
    `DESCRIPTION:${text(description)}`,
    `CATEGORIES:${['breach-notification', d.regime, statusLabel(d.status)].map((c) => text(c)).join(',')}`,
    'TRANSP:TRANSPARENT',
    ...alarm(7, 'in 7 days'),
    ...alarm(1, 'tomorrow'),
    'END:VEVENT',
  ]
}

/**
 * One all-day VEVENT per dated deadline, each with alarms 7 days and 1 day before. Undated items are
 * listed in the JSON/Markdown only. `now` is the DTSTAMP (when this calendar was made), in UTC.
 */
export function renderIcs(t: Timeline, now = new Date()): string {
  const stamp = utcStamp(now)
  const dated = t.deadlines.filter((d): d is Deadline & {due: string} => d.due !== null)
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//hipaa-ir//timeline//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(`hipaa-ir ${t.id} breach-notification deadlines`)}`,
    ...dated.flatMap((d) => eventLines(t, d, stamp)),
    'END:VCALENDAR',
  ]
  return `${lines.map((l) => foldLine(l)).join('\r\n')}\r\n`
}
