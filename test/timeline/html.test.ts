import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {validateFacts} from '../../src/timeline/facts/validate.js'
import {computeTimeline} from '../../src/timeline/engine.js'
import {renderHtml} from '../../src/timeline/render/html.js'
import {nextDeadlineLine} from '../../src/timeline/render/format.js'
import {renderMarkdown} from '../../src/timeline/render/markdown.js'

function html(extra: Record<string, unknown>): string {
  const facts = validateFacts({id: 'IR-1', discovered: '2026-03-02', affected: {CA: 1000, NY: 20}, ...extra}, 't')
  return renderHtml(computeTimeline(facts, '2026-03-20'), facts)
}

describe('HTML timeline', () => {
  it('is self-contained: an inline SVG chart, no external assets or scripts', () => {
    const page = html({})
    expect(page).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(page).toContain('as of 2026-03-20')
    expect(page).not.toMatch(/<script|<link|src=|@import|url\(/i)
    expect(page).toContain('NOT LEGAL ADVICE')
    expect(page).toMatch(/class="status-secondary">SECONDARY/)
  })

  it('escapes every value from the facts (hostile ids and descriptions)', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1}), fc.string(), (id, description) => {
        const page = html({id, breach: {description}})
        const marker = '<img src=x onerror=alert(1)>'
        const hostile = html({id: marker, breach: {description: `</svg><script>${description}</script>`}})
        expect(hostile).not.toContain(marker)
        expect(hostile).not.toContain('<script>')
        expect(page.startsWith('<!doctype html>')).toBe(true)
      }),
      {numRuns: 30},
    )
  })

  it('Markdown escapes HTML and table breaks in values, without HTML entities (newcomer m5)', () => {
    const facts = validateFacts({id: 'IR|<b>x</b> & co', discovered: '2026-03-02', affected: {CA: 10, TX: 800}}, 't')
    const md = renderMarkdown(computeTimeline(facts, '2026-03-20'), facts)
    expect(md).toContain('# Breach-notification timeline: IR\\|\\<b>x\\</b> & co')
    expect(md).toContain('Tex. Bus. & Com. Code')
    expect(md).not.toMatch(/&(amp|lt|gt|quot|#39);/)
  })

  it('a value starting with # or > is not a heading or quote in the Markdown or the HTML (security L8)', () => {
    const facts = validateFacts({id: '# Heading injected', discovered: '2026-03-02', affected: {CA: 10}}, 't')
    const t = computeTimeline(facts, '2026-03-20')
    const md = renderMarkdown(t, facts)
    expect(md).not.toMatch(/^# Heading injected/m)
    expect(renderHtml(t, facts)).not.toMatch(/<h\d>Heading injected/)
  })

  it('no Markdown syntax leaks into the HTML: the rules\' `field` quotes become <code> (newcomer m5)', () => {
    const page = html({})
    expect(page).toContain('<code>discovered</code>')
    expect(page).not.toContain('`')
    expect(page).not.toMatch(/&gt; |\*\*/)
  })

  it('explains "(deferred?) HIPAA deference" where the user reads it (newcomer m8)', () => {
    const facts = validateFacts({id: 'IR-1', discovered: '2026-03-02', affected: {WA: 612, OR: 1840, NY: 40}}, 't')
    const t = computeTimeline(facts, '2026-03-20')
    const notes = t.deadlines.flatMap((d) => d.notes)
    expect(notes.some((n) => n.startsWith('(deferred?) HIPAA deference'))).toBe(true)
    for (const page of [renderHtml(t, facts), renderMarkdown(t, facts)]) {
      expect(page).not.toContain('(deferred?)')
      expect(page).toContain('its separate notice may not be needed (ask counsel before relying on it)')
      expect(page).toContain("HIPAA deference: whether notice given under HIPAA also satisfies the notice law of the state")
    }
  })
})

describe('HTML timeline chart (newcomer m6)', () => {
  /** Texts (x, y, anchor, content) and lines (x1, x2, y, dashed) of the chart. */
  function chart(page: string) {
    const svg = /<svg[\s\S]*<\/svg>/.exec(page)?.[0] ?? ''
    const texts = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"(?: text-anchor="(\w+)")?[^>]*>([^<]*)/g)].map((m) => ({x: Number(m[1]), y: Number(m[2]), anchor: m[3] ?? 'start', text: m[4] ?? ''}))
    const dashed = [...svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*stroke-dasharray="4 3"(?! \/>)[^>]*><title>other reading/g)].map((m) => ({x1: Number(m[1]), x2: Number(m[3]), y: Number(m[2])}))
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)?.[1])
    return {dashed, svg, texts, width}
  }

  const delayed = validateFacts({id: 'IR-1', discovered: '2026-03-02', affected: {CA: 1000, NY: 20}, law_enforcement_delay: {kind: 'written', received: '2026-03-20', until: '2026-06-30'}}, 't')

  it('tolled dashed lines never cross a label', () => {
    const {dashed, texts} = chart(renderHtml(computeTimeline(delayed, '2026-03-25'), delayed))
    expect(dashed.length).toBeGreaterThan(0)
    for (const line of dashed) {
      for (const text of texts) {
        // A 12px label occupies y-11..y+3 around its baseline; its width is about 7px a character.
        const width = text.text.length * 7
        const left = text.anchor === 'end' ? text.x - width : text.anchor === 'middle' ? text.x - width / 2 : text.x
        const overlapsX = line.x1 < left + width && line.x2 > left
        const overlapsY = line.y >= text.y - 11 && line.y <= text.y + 3
        expect(overlapsX && overlapsY, `dashed line at y=${line.y} crosses "${text.text}"`).toBe(false)
      }
    }
  })

  it('the as-of label is not clipped when items are overdue, and no label runs off the right edge', () => {
    const {texts, width} = chart(renderHtml(computeTimeline(delayed, '2027-06-01'), delayed))
    const asOf = texts.find((t) => t.text.startsWith('as of 2027-06-01'))!
    expect(asOf.anchor).toBe('end')
    expect(asOf.x).toBeLessThanOrEqual(width)
    for (const t of texts.filter((x) => x.anchor === 'start')) expect(t.x + t.text.length * 7, t.text).toBeLessThanOrEqual(width + 1)
  })

  it('labels are in words, urgency is the bar colour and the rule status a separate word', () => {
    const t = computeTimeline(delayed, '2026-03-25')
    const {svg, texts} = chart(renderHtml(t, delayed))
    expect(texts.map((x) => x.text)).toEqual(expect.arrayContaining(['CA residents', 'HHS', 'Individuals']))
    expect(texts.map((x) => x.text)).not.toContain('state:CA:individuals')
    expect(svg).toContain('bar colour = urgency')
    const soonest = t.deadlines.filter((d) => d.due !== null).sort((a, b) => (a.days_left ?? 0) - (b.days_left ?? 0))
    const fills = [...svg.matchAll(/<rect [^>]*fill="(#\w+)"/g)].map((m) => m[1])
    expect(new Set(fills).size).toBeGreaterThan(1)
    // The same rule status can carry different urgencies: colour follows days left, not status.
    expect(soonest[0]!.days_left).toBeLessThan(soonest.at(-1)!.days_left!)
    expect(texts.filter((x) => /^(verified|secondary|UNVERIFIED)$/.test(x.text)).length).toBe(t.deadlines.filter((d) => d.due !== null).length)
  })

  it('the next-deadline line names at most three overdue notices (newcomer m10)', () => {
    const line = nextDeadlineLine(computeTimeline(delayed, '2027-06-01'))
    expect(line).toMatch(/^OVERDUE: \d+ deadlines passed \([^;]+; [^;]+; [^;]+; and \d+ more\); next deadline: none left$/)
    expect(nextDeadlineLine(computeTimeline(delayed, '2026-03-25'))).toMatch(/^next deadline: \d{4}-\d{2}-\d{2} \(\d+ days\): /)
  })

  it('the latest-date column does not wrap', () => {
    expect(html({})).toMatch(/td\.date\{white-space:nowrap\}[\s\S]*<td class="date">2026-/)
  })
})
