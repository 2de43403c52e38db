import {execa} from 'execa'
import ICAL from 'ical.js'
import {describe, expect, it} from 'vitest'

import {foldLine, renderIcs} from '../../src/timeline/render/ics.js'
import {timelineFor} from './helpers.js'

/** Every property hipaa-ir writes, with the RFC 5545 value type it must parse as. */
const EVENT_TYPES: Record<string, string> = {
  uid: 'text', dtstamp: 'date-time', created: 'date-time', 'last-modified': 'date-time', dtstart: 'date', dtend: 'date',
  summary: 'text', description: 'text', categories: 'text', transp: 'text',
}
const ALARM_TYPES: Record<string, string> = {action: 'text', description: 'text', trigger: 'duration'}

const NOW = new Date('2026-11-27T04:20:49.123Z')

function sample() {
  return timelineFor({
    id: 'IR-ÜBER-€-😀-' + 'Ωmega'.repeat(12),
    discovered: '2025-04-01',
    affected: {CO: 2000, MA: 30},
    law_enforcement_delay: {kind: 'written', received: '2025-04-20', until: '2025-06-30'},
  }, '2025-04-25')
}

describe('ICS output is RFC 5545', () => {
  const t = sample()
  const ics = renderIcs(t, NOW)

  it('every physical line is at most 75 octets, CRLF-terminated, and no fold splits a UTF-8 character', () => {
    expect(ics.endsWith('\r\n')).toBe(true)
    expect(ics.replaceAll('\r\n', '')).not.toContain('\n')
    const lines = ics.split('\r\n').slice(0, -1)
    for (const line of lines) {
      expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75)
      expect(line).not.toContain('\uFFFD')
    }
    expect(lines.some((l) => l.startsWith(' '))).toBe(true) // long SUMMARY/DESCRIPTION lines were folded
    expect(foldLine(`X:${'😀'.repeat(40)}`).split('\r\n ').every((part) => Buffer.from(part, 'utf8').toString('utf8') === part)).toBe(true)
  })

  it('the stamps are UTC DATE-TIMEs and the alarms valid durations (grammar of RFC 5545 3.3.5 and 3.3.6)', () => {
    const unfolded = ics.replaceAll('\r\n ', '').split('\r\n')
    for (const name of ['DTSTAMP', 'CREATED', 'LAST-MODIFIED']) {
      const values = unfolded.filter((l) => l.startsWith(`${name}:`))
      expect(values.length).toBeGreaterThan(0)
      for (const v of values) expect(v).toBe(`${name}:20261127T042049Z`)
    }
    const triggers = unfolded.filter((l) => l.startsWith('TRIGGER'))
    expect(triggers.length).toBeGreaterThan(0)
    for (const tr of triggers) expect(tr).toMatch(/^TRIGGER:[+-]?P(\d+W|\d+D(T(\d+H(\d+M(\d+S)?)?|\d+M(\d+S)?|\d+S))?|T(\d+H(\d+M(\d+S)?)?|\d+M(\d+S)?|\d+S))$/)
  })

  it('ical.js reads every property of every VEVENT and VALARM back with its value type', () => {
    const calendar = new ICAL.Component(ICAL.parse(ics))
    const events = calendar.getAllSubcomponents('vevent')
    const dated = t.deadlines.filter((d) => d.due !== null)
    expect(t.deadlines.length).toBeGreaterThan(dated.length) // MA items have no day count
    expect(events).toHaveLength(dated.length)
    const byUid = new Map(events.map((e) => [String(e.getFirstPropertyValue('uid')), e]))
    for (const d of dated) {
      const uid = `${t.id}.${d.id}@hipaa-ir`.replaceAll(/[^A-Za-z0-9.@:-]/g, '-')
      const event = byUid.get(uid)
      expect(event, d.id).toBeDefined()
      for (const prop of event!.getAllProperties()) {
        expect(EVENT_TYPES[prop.name], `unexpected property ${prop.name}`).toBeDefined()
        expect(prop.type, prop.name).toBe(EVENT_TYPES[prop.name])
        const value = prop.getFirstValue()
        if (prop.type === 'date-time') {
          expect((value as ICAL.Time).isDate).toBe(false)
          expect((value as ICAL.Time).zone?.tzid).toBe('UTC')
          expect((value as ICAL.Time).toString()).toBe('2026-11-27T04:20:49Z')
        }
        if (prop.type === 'date') expect((value as ICAL.Time).isDate).toBe(true)
      }
      expect((event!.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe(d.due)
      expect(String(event!.getFirstPropertyValue('summary'))).toContain(d.citation)
      expect(String(event!.getFirstPropertyValue('summary'))).toContain('😀')
      const description = String(event!.getFirstPropertyValue('description'))
      expect(description).toContain('NOT LEGAL ADVICE')
      expect(description).toContain(d.status.toUpperCase())
      expect(description).not.toContain('`')
      expect(event!.getFirstProperty('categories')!.getValues()).toEqual(['breach-notification', d.regime, d.status.toUpperCase()])
      const alarms = event!.getAllSubcomponents('valarm')
      expect(alarms).toHaveLength(2)
      for (const alarm of alarms) {
        for (const prop of alarm.getAllProperties()) {
          expect(ALARM_TYPES[prop.name], `unexpected alarm property ${prop.name}`).toBeDefined()
          expect(prop.type, prop.name).toBe(ALARM_TYPES[prop.name])
        }
      }
      expect(alarms.map((a) => String(a.getFirstPropertyValue('trigger')))).toEqual(['-P7D', '-P1D'])
      expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY')
    }
    const individuals = byUid.get(`${t.id}.individuals@hipaa-ir`.replaceAll(/[^A-Za-z0-9.@:-]/g, '-'))!
    expect(String(individuals.getFirstPropertyValue('description'))).toContain('tolling reading (ask counsel): 2025-08-10')
  })

  it("Python's icalendar (Debian python3-icalendar) reads every property back with its type", async () => {
    const script = String.raw`
import sys, json, datetime
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.read())
out = []
for comp in cal.walk():
    if comp.name not in ('VEVENT', 'VALARM'):
        continue
    props = {}
    for name, value in comp.property_items(recursive=False):
        if name in ('BEGIN', 'END'):
            continue
        v = getattr(value, 'dt', value)
        if isinstance(v, datetime.datetime):
            props[name] = ['datetime', v.tzinfo is not None and v.utcoffset() == datetime.timedelta(0), v.isoformat()]
        elif isinstance(v, datetime.date):
            props[name] = ['date', v.isoformat()]
        elif isinstance(v, datetime.timedelta):
            props[name] = ['duration', v.total_seconds()]
        else:
            props[name] = ['text', str(v) if not hasattr(value, 'cats') else [str(c) for c in value.cats]]
    out.append([comp.name, props])
print(json.dumps(out))
`
    const result = await execa('/usr/bin/python3', ['-c', script], {input: ics})
    const components = JSON.parse(result.stdout) as Array<[string, Record<string, [string, ...unknown[]]>]>
    const events = components.filter(([name]) => name === 'VEVENT')
    const alarms = components.filter(([name]) => name === 'VALARM')
    expect(events).toHaveLength(t.deadlines.filter((d) => d.due !== null).length)
    expect(alarms).toHaveLength(events.length * 2)
    for (const [, props] of events) {
      for (const name of ['DTSTAMP', 'CREATED', 'LAST-MODIFIED']) expect(props[name]).toEqual(['datetime', true, '2026-11-27T04:20:49+00:00'])
      expect(props.DTSTART?.[0]).toBe('date')
      expect(props.DTEND?.[0]).toBe('date')
      for (const name of ['UID', 'SUMMARY', 'DESCRIPTION', 'TRANSP', 'CATEGORIES']) expect(props[name]?.[0], name).toBe('text')
      expect(String(props.SUMMARY?.[1])).toContain('😀')
    }
    expect(alarms.map(([, p]) => p.TRIGGER)).toEqual(events.flatMap(() => [['duration', -7 * 86_400], ['duration', -86_400]]))
  })

  it('no deadlines still gives a valid empty calendar', () => {
    // Secured PHI: no federal deadline; the Massachusetts items (still judged by Massachusetts law) have no day count.
    const secured = timelineFor({discovered: '2025-10-10', affected: {MA: 3000}, secured: true})
    const calendar = new ICAL.Component(ICAL.parse(renderIcs(secured, NOW)))
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(0)
  })
})
