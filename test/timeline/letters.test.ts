import {strFromU8, unzipSync} from 'fflate'
import {describe, expect, it} from 'vitest'

import {validateFacts} from '../../src/timeline/facts/validate.js'
import {computeTimeline} from '../../src/timeline/engine.js'
import {readLetterTemplates} from '../../src/timeline/io/letter-files.js'
import {type RenderedLetter, renderLetters} from '../../src/timeline/letters/render.js'

const covered = {
  id: 'IR-2026-020',
  entity: {name: 'Example Clinic & Labs', phone: '1-800-555-0100', toll_free: true, email: 'privacy@example.org', website: 'https://example.org', address: '1 Main St, Springfield'},
  contact: {name: 'Pat Lee', title: 'Privacy Officer'},
  discovered: '2026-03-02',
  breach: {start: '2026-02-20', end: '2026-02-21', description: 'A misconfigured <b>backup</b> bucket was readable | publicly.', phi_types: ['name', 'date of birth', 'diagnosis']},
  affected: {CA: 1000, LA: 30, NY: 20},
  insufficient_contact: 12,
  mitigation: 'We locked the bucket and reviewed every access log.',
  individual_steps: ['Review statements from your health plan.'],
  hhs: {entity_type: 'Healthcare Provider'},
}

const ba = {
  id: 'IR-2025-BA-7',
  reporter: 'business-associate',
  entity: {name: 'Example Billing LLC', phone: '1-800-555-0199'},
  covered_entity: {name: 'Example Health Plan'},
  discovered: '2025-05-05',
  breach: {description: 'Claim files were emailed to the wrong client.', phi_types: ['name', 'member id']},
  affected: {OR: 800},
  law_enforcement_delay: {kind: 'oral', received: '2025-05-10', official: 'Det. J. Smith, Portland PD'},
}

const lowProbability = {
  id: 'IR-2025-LP',
  entity: {name: 'Example Clinic'},
  discovered: '2025-06-01',
  affected: {WA: 3},
  low_probability: true,
  risk_assessment: {nature_extent: 'Names only, no identifiers.', acquired_or_viewed: 'Returned unopened.'},
}

function documentXml(letter: RenderedLetter): string {
  return strFromU8(unzipSync(new Uint8Array(letter.docx))['word/document.xml'] as Uint8Array)
}

async function lettersFor(raw: Record<string, unknown>, asOf: string): Promise<Map<string, RenderedLetter>> {
  const facts = validateFacts(raw, 'test')
  const rendered = await renderLetters(computeTimeline(facts, asOf), facts, await readLetterTemplates())
  return new Map(rendered.map((l) => [l.name, l]))
}

describe('letter drafts', async () => {
  const ce = await lettersFor(covered, '2026-03-10')
  const baLetters = await lettersFor(ba, '2025-05-20')
  const memo = await lettersFor(lowProbability, '2025-06-10')
  const secured = await lettersFor({...lowProbability, id: 'IR-2025-SEC', low_probability: false, secured: true}, '2025-06-10')

  it('produces the letters each situation needs', () => {
    expect([...ce.keys()].sort()).toEqual(['hhs-worksheet', 'individual-notice', 'media-notice-CA', 'state-regulator-CA', 'state-regulator-LA', 'state-regulator-NY', 'substitute-notice'])
    expect([...baLetters.keys()]).toEqual(['ba-to-ce-notice'])
    expect([...memo.keys()]).toEqual(['no-notification-memo'])
  })

  it.each([
    ['individual-notice', [/## What happened/, /February 20, 2026 to February 21, 2026/, /discovered it on March 2, 2026/, /- date of birth/, /## What you can do/, /## What we are doing/, /Toll-free telephone: 1-800-555-0100/, /Email: privacy@example\.org/, /Website: https:\/\/example\.org/, /Postal address: 1 Main St/]],
    ['substitute-notice', [/at least 90 days/, /toll-free number, 1-800-555-0100/, /12 individuals/]],
    ['media-notice-CA', [/about 1,000 California residents/, /\[\[CITY\]\], California,/, /prominent media outlets serving California/, /Latest lawful date: May 1, 2026/]],
    ['hhs-worksheet', [/## 1\. General[\s\S]*## 2\. Contact \/ filer[\s\S]*## 3\. Breach[\s\S]*## 4\. Notice of breach and actions taken[\s\S]*## 5\. Attestation/, /\| Breach affecting\* \| 500 or more individuals \|/, /Approximate number of individuals affected\* \| 1,050/, /Was media notice required\? \| Yes/]],
    ['state-regulator-CA', [/California Attorney General/, /April 16, 2026/]],
    ['state-regulator-LA', [/names of all affected Louisiana residents/]],
  ])('%s has its required elements', (name, patterns) => {
    const letter = ce.get(name)!
    for (const p of patterns) expect(letter.markdown).toMatch(p)
  })

  it('the patient letter and press release read like letters (newcomer m7)', async () => {
    const m7 = await lettersFor({...covered, breach: {...covered.breach, phi_types: ['name', 'date-of-birth', 'medical-record-number', 'insurance-id']}, affected: {...covered.affected, OR: 1840}}, '2026-03-10')
    const individual = m7.get('individual-notice')!.markdown
    expect(individual).toMatch(/^- date of birth$/m)
    expect(individual).toMatch(/^- medical record number$/m)
    expect(individual).toMatch(/^- insurance ID$/m)
    expect(individual).not.toMatch(/date-of-birth|\d{4}-\d{2}-\d{2}/)
    expect(individual).toContain('from February 20, 2026 to February 21, 2026. We discovered it on March 2, 2026.')
    const press = m7.get('media-notice-OR')!.markdown
    expect(press).toContain('is notifying about 1,840 Oregon residents')
    expect(press).toContain('Notifies Oregon Residents')
    expect(press).not.toMatch(/\bOR residents|\d{4}-\d{2}-\d{2}/)
  })

  it('the DOCX state-status table is a real Word table (newcomer m7)', () => {
    const xml = documentXml(ce.get('individual-notice')!)
    const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? []
    expect(tables).toHaveLength(1)
    const rows = tables[0]!.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? []
    expect(rows).toHaveLength(4) // header + CA, LA, NY
    expect((rows[1]!.match(/<w:tc>/g) ?? []).length).toBe(4)
    expect(rows[3]).toContain('New York')
    expect(xml).not.toContain('\t')
  })

  it('a regulator letter with two notices lists each shared note once (newcomer m7)', () => {
    const md = ce.get('state-regulator-NY')!.markdown
    const notes = md.split('\n').filter((l) => l.startsWith('- ') && md.indexOf('## Notes for counsel') < md.indexOf(l))
    expect(notes.length).toBeGreaterThan(0)
    expect(new Set(notes).size).toBe(notes.length)
  })

  it('the BA notice carries 164.410(c) items and the oral delay with the official', () => {
    const md = baLetters.get('ba-to-ce-notice')!.markdown
    expect(md).toMatch(/To: Example Health Plan/)
    expect(md).toMatch(/identity of each individual/)
    expect(md).toMatch(/promptly as it becomes available/)
    expect(md).toMatch(/official: Det\. J\. Smith, Portland PD/)
    expect(md).toMatch(/Latest lawful date for this notice: July 4, 2025/)
  })

  it('the memo documents the 4-factor assessment or the secured-PHI route', () => {
    const lp = memo.get('no-notification-memo')!.markdown
    expect(lp).toMatch(/Four-factor risk assessment/)
    expect(lp).toMatch(/\| 1\. Nature and extent.*\| Names only, no identifiers\. \|/)
    expect(lp).toMatch(/\[\[MISSING: factor 2: the unauthorized person/)
    expect(secured.get('no-notification-memo')!.markdown).toMatch(/### Secured PHI/)
  })

  it('every letter shows the disclaimer and each state rule status, and no blank values', () => {
    for (const letter of [...ce.values(), ...baLetters.values(), ...memo.values()]) {
      expect(letter.markdown).toContain('NOT LEGAL ADVICE')
      expect(letter.html).toContain('NOT LEGAL ADVICE')
      expect(letter.markdown).toMatch(/Rule status of each state/)
      expect(letter.markdown).not.toMatch(/: \n|: $|\|\s+\|\s*$/m)
      expect(letter.docx.subarray(0, 2).toString()).toBe('PK')
    }
    expect(ce.get('individual-notice')!.markdown).toMatch(/\| New York \| covered \| SECONDARY \|/)
  })

  it('missing facts show as visible placeholders', () => {
    const md = baLetters.get('ba-to-ce-notice')!.markdown
    expect(md).toContain('[[MISSING: what you are doing to investigate')
    expect(md).toContain('[[MISSING: breach start date]]')
    expect(md).toContain('[[MISSING: contact email]]')
    expect(memo.get('no-notification-memo')!.markdown).toContain('[[MISSING: contact person name]]')
  })

  it('values are escaped once: Markdown text without HTML entities, HTML escaped, DOCX raw', () => {
    const letter = ce.get('individual-notice')!
    expect(letter.markdown).toContain('A misconfigured \\<b>backup\\</b> bucket was readable \\| publicly.')
    expect(letter.markdown).toContain('Example Clinic & Labs')
    expect(letter.markdown).not.toMatch(/&(amp|lt|gt|quot|#39);/)
    expect(letter.html).not.toContain('<b>backup</b>')
    expect(letter.html).toContain('A misconfigured &lt;b&gt;backup&lt;/b&gt; bucket was readable | publicly.')
    expect(letter.html).toContain('Example Clinic &amp; Labs')
    expect(letter.html).not.toContain('&amp;amp;')
    expect(letter.html).toContain('<h2>What happened</h2>')
  })

  it.each(['individual-notice', 'substitute-notice', 'media-notice-CA', 'hhs-worksheet', 'state-regulator-NY'])('snapshot: %s', async (name) => {
    await expect(ce.get(name)!.markdown).toMatchFileSnapshot(`__snapshots__/letters/${name}.md`)
  })

  it('snapshot: ba-to-ce-notice and no-notification-memo', async () => {
    await expect(baLetters.get('ba-to-ce-notice')!.markdown).toMatchFileSnapshot('__snapshots__/letters/ba-to-ce-notice.md')
    await expect(memo.get('no-notification-memo')!.markdown).toMatchFileSnapshot('__snapshots__/letters/no-notification-memo.md')
    await expect(ce.get('individual-notice')!.html).toMatchFileSnapshot('__snapshots__/letters/individual-notice.html')
  })
})

describe('letter escaping (hostile facts)', () => {
  it('a multi-line value with | stays on its line in the DOCX draft too, unescaped (docx escapes XML itself)', async () => {
    const facts = validateFacts({...covered, breach: {...covered.breach, description: 'Line one & <two>\n# Injected heading\n- injected bullet | cell'}}, 't')
    const letters = await renderLetters(computeTimeline(facts, '2026-03-10'), facts, await readLetterTemplates())
    const letter = letters.find((l) => l.name === 'individual-notice') as RenderedLetter
    expect(documentXml(letter)).toContain('Line one &amp; &lt;two&gt; # Injected heading - injected bullet | cell')
    expect(letter.markdown).toContain('Line one & \\<two> # Injected heading - injected bullet \\| cell')
  })

  it.each([
    ['#', '# Heading injected'],
    ['>', '> Quote injected'],
    ['-', '- Bullet injected'],
    ['+', '+ Bullet injected'],
    ['*', '* Bullet injected'],
    ['1.', '1. Numbered injected'],
    ['|', '| a | b |'],
    ['---', '---'],
    ['link', '[click](https://evil.example)'],
    ['html', '<h1>Raw heading</h1>'],
  ])('a value starting with %s stays text in every draft (security L8)', async (_, hostile) => {
    const baseline = await lettersFor(covered, '2026-03-10')
    const facts = validateFacts({...covered, entity: {...covered.entity, address: hostile}, mitigation: hostile, individual_steps: [hostile]}, 't')
    const letters = await renderLetters(computeTimeline(facts, '2026-03-10'), facts, await readLetterTemplates())
    for (const letter of letters) {
      const md = letter.markdown
      const html = letter.html
      // No line of the Markdown is the hostile value as structure: each starts escaped.
      if (hostile === '---') expect(html.split('<hr>').length, letter.name).toBe(baseline.get(letter.name)!.html.split('<hr>').length)
      else for (const line of md.split('\n')) expect(line.startsWith(hostile), `${letter.name}: ${line}`).toBe(false)
      expect(md).not.toMatch(/^(- |)\[click\]\(https/m)
      expect(html).not.toContain('Heading injected</h')
      expect(html).not.toContain('<blockquote><p>Quote injected')
      expect(html).not.toMatch(/<li>(Bullet|Numbered) injected/)
      expect(html).not.toContain('<a ')
      expect(html).not.toContain('<h1>Raw heading')
      const xml = documentXml(letter)
      expect(xml).not.toMatch(/<w:pStyle w:val="Heading1"\/>(?:(?!<\/w:p>).)*Heading injected/)
    }
    const individual = letters.find((l) => l.name === 'individual-notice')!
    if (hostile.startsWith('#')) {
      expect(individual.markdown).toContain('\\# Heading injected')
      expect(individual.html).toContain('# Heading injected')
    }
  })

  it('bidi control characters are removed from every draft (security L8)', async () => {
    const facts = validateFacts({...covered, entity: {...covered.entity, name: 'Clinic \u202Efdp.exe\u2066x\u2069'}, mitigation: 'a\u202Ab\u202Bc\u202Cd\u202De\u2067f\u2068g'}, 't')
    for (const letter of await renderLetters(computeTimeline(facts, '2026-03-10'), facts, await readLetterTemplates())) {
      for (const text of [letter.markdown, letter.html, documentXml(letter)]) expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/)
      expect(letter.markdown).toContain('Clinic fdp.exex')
    }
  })

  it('no value from the facts reaches the Markdown or HTML drafts unescaped', async () => {
    const fc = (await import('fast-check')).default
    const templates = await readLetterTemplates()
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (name, description) => {
        const hostileName = `<script>${name}</script>`
        const facts = validateFacts({...covered, entity: {...covered.entity, name: hostileName}, breach: {...covered.breach, description: `<img onerror=x>${description}`}}, 't')
        for (const letter of await renderLetters(computeTimeline(facts, '2026-03-10'), facts, templates)) {
          expect(letter.markdown).not.toMatch(/(^|[^\\])<(script|img)/)
          expect(letter.html).not.toContain('<script>')
          expect(letter.html).not.toContain('<img')
        }
      }),
      {numRuns: 15},
    )
  })
})
