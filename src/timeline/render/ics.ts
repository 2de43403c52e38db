import {createEvents, type EventAttributes} from 'ics'

import type {Deadline, Timeline} from '../types.js'

import {ExitCode} from '../../cli/exit-codes.js'
import {HipaaIrError} from '../../core/errors.js'

import {plusDays} from '../calendar.js'
import {readings, statusLabel} from './format.js'

function dateArray(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))]
}

function event(t: Timeline, d: Deadline & {due: string}): EventAttributes {
  const description = [
    `LATEST lawful date (outer limit) for: ${d.title}.`,
    `Citation: ${d.citation}. Rule status: ${statusLabel(d.status)}.`,
    `How computed: ${d.basis}.`,
    ...readings(d),
    ...d.notes,
    t.disclaimer,
  ].join('\n')
  return {
    uid: `${t.id}.${d.id}@hipaa-ir`.replaceAll(/[^A-Za-z0-9.@:-]/g, '-'),
    title: `[${t.id}] LATEST: ${d.title} (${d.citation})`,
    description,
    start: dateArray(d.due),
    end: dateArray(plusDays(d.due, 1)),
    categories: ['breach-notification', d.regime, statusLabel(d.status)],
    transp: 'TRANSPARENT',
    calName: `hipaa-ir ${t.id} breach-notification deadlines`,
    productId: 'hipaa-ir/timeline',
    created: dateArray(t.as_of),
    alarms: [
      {action: 'display', description: `${d.title}: latest date in 7 days`, trigger: {days: 7, before: true}},
      {action: 'display', description: `${d.title}: latest date tomorrow`, trigger: {days: 1, before: true}},
    ],
  }
}

/** One all-day VEVENT per dated deadline, each with alarms 7 days and 1 day before. Undated items are listed in the JSON/Markdown only. */
export function renderIcs(t: Timeline): string {
  const dated = t.deadlines.filter((d): d is Deadline & {due: string} => d.due !== null)
  if (dated.length === 0) return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:hipaa-ir/timeline', 'END:VCALENDAR', ''].join('\r\n')
  const {error, value} = createEvents(dated.map((d) => event(t, d)))
  if (error !== null || value === null) throw new HipaaIrError(`could not build the calendar: ${error?.message ?? 'no output'}`, ExitCode.Unexpected, {code: 'E_ICS'})
  return value
}
