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

async function letters(raw: Record<string, unknown>, asOf: string): Promise<Map<string, RenderedLetter>> {
  const facts = validateFacts(raw, 'test')
  const rendered = await renderLetters(computeTimeline(facts, asOf), facts, await readLetterTemplates())
  return new Map(rendered.map((l) => [l.name, l]))
}

describe('letter drafts', async () => {
  const ce = await letters(covered, '2026-03-10')
  const baLetters = await letters(ba, '2025-05-20')
  const memo = await letters(lowProbability, '2025-06-10')
  const secured = await letters({...lowProbability, id: 'IR-2025-SEC', low_probability: false, secured: true}, '2025-06-10')

  it('produces the letters each situation needs', () => {
    expect([...ce.keys()].sort()).toEqual(['hhs-worksheet', 'individual-notice', 'media-notice-CA', 'state-regulator-CA', 'state-regulator-LA', 'state-regulator-NY', 'substitute-notice'])
    expect([...baLetters.keys()]).toEqual(['ba-to-ce-notice'])
    expect([...memo.keys()]).toEqual(['no-notification-memo'])
  })

  it.each([
    ['individual-notice', [/## What happened/, /2026-02-20 to 2026-02-21/, /discovered it on 2026-03-02/, /- date of birth/, /## What you can do/, /## What we are doing/, /Toll-free telephone: 1-800-555-0100/, /Email: privacy@example\.org/, /Website: https:\/\/example\.org/, /Postal address: 1 Main St/]],
    ['substitute-notice', [/at least 90 days/, /toll-free number, 1-800-555-0100/, /12 individuals/]],
    ['media-notice-CA', [/1000 CA residents/, /prominent media outlets serving CA/, /Latest lawful date: 2026-05-01/]],
    ['hhs-worksheet', [/## 1\. General[\s\S]*## 2\. Contact \/ filer[\s\S]*## 3\. Breach[\s\S]*## 4\. Notice of breach and actions taken[\s\S]*## 5\. Attestation/, /\| Breach affecting\* \| 500 or more individuals \|/, /Approximate number of individuals affected\* \| 1050/, /Was media notice required\? \| Yes/]],
    ['state-regulator-CA', [/California Attorney General/, /2026-04-16/]],
    ['state-regulator-LA', [/names of all affected Louisiana residents/]],
  ])('%s has its required elements', (name, patterns) => {
    const letter = ce.get(name)!
    for (const p of patterns) expect(letter.markdown).toMatch(p)
  })

  it('the BA notice carries 164.410(c) items and the oral delay with the official', () => {
    const md = baLetters.get('ba-to-ce-notice')!.markdown
    expect(md).toMatch(/To: Example Health Plan/)
    expect(md).toMatch(/identity of each individual/)
    expect(md).toMatch(/promptly as it becomes available/)
    expect(md).toMatch(/official: Det\. J\. Smith, Portland PD/)
    expect(md).toMatch(/Latest lawful date for this notice: 2025-07-04/)
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
    expect(ce.get('individual-notice')!.markdown).toMatch(/\| NY \| covered \| SECONDARY \|/)
  })

  it('missing facts show as visible placeholders', () => {
    const md = baLetters.get('ba-to-ce-notice')!.markdown
    expect(md).toContain('[[MISSING: what you are doing to investigate')
    expect(md).toContain('[[MISSING: breach start date]]')
    expect(md).toContain('[[MISSING: contact email]]')
    expect(memo.get('no-notification-memo')!.markdown).toContain('[[MISSING: contact person name]]')
  })

  it('values are escaped in Markdown and HTML, raw in DOCX', () => {
    const letter = ce.get('individual-notice')!
    expect(letter.markdown).toContain('A misconfigured &lt;b&gt;backup&lt;/b&gt; bucket')
    expect(letter.markdown).toContain('Example Clinic &amp; Labs')
    expect(letter.html).not.toContain('<b>backup</b>')
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
    const xml = strFromU8(unzipSync(new Uint8Array(letter.docx))['word/document.xml'] as Uint8Array)
    expect(xml).toContain('Line one &amp; &lt;two&gt; # Injected heading - injected bullet \u2223 cell')
    expect(letter.markdown).toContain('Line one &amp; &lt;two&gt; # Injected heading - injected bullet \u2223 cell')
  })


  it('no value from the facts reaches the Markdown or HTML drafts unescaped', async () => {
    const fc = (await import('fast-check')).default
    const templates = await readLetterTemplates()
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (name, description) => {
        const hostileName = `<script>${name}</script>`
        const facts = validateFacts({...covered, entity: {...covered.entity, name: hostileName}, breach: {...covered.breach, description: `<img onerror=x>${description}`}}, 't')
        for (const letter of await renderLetters(computeTimeline(facts, '2026-03-10'), facts, templates)) {
          expect(letter.markdown).not.toContain('<script>')
          expect(letter.html).not.toContain('<script>')
          expect(letter.html).not.toContain('<img')
        }
      }),
      {numRuns: 15},
    )
  })
})
