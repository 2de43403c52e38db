import ICAL from 'ical.js'
import {describe, expect, it} from 'vitest'

import {renderIcs} from '../../src/timeline/render/ics.js'
import {timelineFor} from './helpers.js'

describe('ICS output, parsed back with ical.js', () => {
  it('one VEVENT per dated deadline, each all-day on its date with a display alarm', () => {
    const t = timelineFor({discovered: '2025-04-01', affected: {CO: 2000, MA: 30}, law_enforcement_delay: {kind: 'written', received: '2025-04-20', until: '2025-06-30'}}, '2025-04-25')
    const calendar = new ICAL.Component(ICAL.parse(renderIcs(t)))
    const events = calendar.getAllSubcomponents('vevent')
    const dated = t.deadlines.filter((d) => d.due !== null)
    expect(t.deadlines.length).toBeGreaterThan(dated.length) // MA items have no day count
    expect(events).toHaveLength(dated.length)
    const byUid = new Map(events.map((e) => [String(e.getFirstPropertyValue('uid')), e]))
    for (const d of dated) {
      const event = byUid.get(`IR-TEST.${d.id}@hipaa-ir`)
      expect(event, d.id).toBeDefined()
      const start = event!.getFirstPropertyValue('dtstart') as ICAL.Time
      expect(start.isDate).toBe(true)
      expect(start.toString()).toBe(d.due)
      expect(String(event!.getFirstPropertyValue('summary'))).toContain(d.citation)
      expect(String(event!.getFirstPropertyValue('description'))).toContain('NOT LEGAL ADVICE')
      expect(String(event!.getFirstPropertyValue('description'))).toContain(d.status.toUpperCase())
      const alarms = event!.getAllSubcomponents('valarm')
      expect(alarms.length).toBeGreaterThanOrEqual(1)
      expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY')
      expect(String(alarms[0]!.getFirstPropertyValue('trigger'))).toBe('-P7D')
    }
    const individuals = byUid.get('IR-TEST.individuals@hipaa-ir')!
    expect(String(individuals.getFirstPropertyValue('description'))).toContain('tolling reading (ask counsel): 2025-08-10')
  })

  it('no deadlines still gives a valid empty calendar', () => {
    // Secured PHI: no federal deadline; the Massachusetts items (still judged by Massachusetts law) have no day count.
    const t = timelineFor({discovered: '2025-10-10', affected: {MA: 3000}, secured: true})
    const calendar = new ICAL.Component(ICAL.parse(renderIcs(t)))
    expect(calendar.getAllSubcomponents('vevent')).toHaveLength(0)
  })
})
