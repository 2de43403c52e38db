import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {validateFacts} from '../../src/timeline/facts/validate.js'
import {computeTimeline} from '../../src/timeline/engine.js'
import {renderHtml} from '../../src/timeline/render/html.js'
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

  it('Markdown escapes HTML and table breaks in values', () => {
    const facts = validateFacts({id: 'IR|<b>x</b>', discovered: '2026-03-02', affected: {CA: 10}}, 't')
    const md = renderMarkdown(computeTimeline(facts, '2026-03-20'), facts)
    expect(md).toContain('IR\\|&lt;b&gt;x&lt;/b&gt;')
  })
})
