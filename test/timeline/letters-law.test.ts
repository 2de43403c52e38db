import {describe, expect, it} from 'vitest'

import {validateFacts} from '../../src/timeline/facts/validate.js'
import {computeTimeline} from '../../src/timeline/engine.js'
import {readLetterTemplates} from '../../src/timeline/io/letter-files.js'
import {type RenderedLetter, renderLetters} from '../../src/timeline/letters/render.js'

/** Letter content the law requires (law review L1-L5, F1 memo, F10, F14). */

async function letters(raw: Record<string, unknown>, asOf = '2026-03-10'): Promise<Map<string, string>> {
  const facts = validateFacts({id: 'IR-LAW', ...raw}, 'test')
  const rendered: RenderedLetter[] = await renderLetters(computeTimeline(facts, asOf), facts, await readLetterTemplates())
  return new Map(rendered.map((l) => [l.name, l.markdown]))
}

const vendor = {
  regime: 'ftc-hbnr',
  reporter: 'vendor',
  entity: {name: 'Example Cycle App', phone: '1-800-555-0142', toll_free: true, email: 'privacy@example.app'},
  discovered: '2026-03-02',
  breach: {description: 'An analytics SDK received cycle data without authorization.', phi_types: ['cycle dates', 'device identifier']},
  affected: {CA: 600, OH: 30},
  insufficient_contact: 12,
}

describe('FTC letters (L1, L2, L5)', async () => {
  const ftc = await letters({...vendor, third_parties: ['Example Ads Inc.'], protections: '12 months of free identity monitoring.'})

  it('L1: the individual notice names the third parties (318.6(a)) and the protections offered (318.6(d)) in its body', async () => {
    // 318.6(a): "the full name or identity … of any third parties that acquired unsecured PHR identifiable health
    // information"; 318.6(d): what is done "to protect affected individuals, such as offering credit monitoring".
    const body = ftc.get('individual-notice')!.split('## Notes for counsel')[0]!
    expect(body).toMatch(/## Who obtained your information\s+- Example Ads Inc\./)
    expect(body).toMatch(/## What we are doing to protect you\s+12 months of free identity monitoring\./)
    const blank = await letters(vendor)
    expect(blank.get('individual-notice')).toMatch(/\[\[MISSING: full name or identity of each third party/)
  })

  it('L2: a worksheet for the FTC filing replaces the HHS worksheet', async () => {
    expect([...ftc.keys()].sort()).toEqual(['ftc-worksheet', 'individual-notice', 'media-notice-CA', 'state-regulator-CA', 'substitute-notice'])
    expect(ftc.get('ftc-worksheet')).toMatch(/Latest date for this filing: May 1, 2026 \(500 or more individuals/)
    expect(ftc.get('ftc-worksheet')).toMatch(/Third parties that acquired the information \(318\.6\(a\)\) \| Example Ads Inc\./)
    const small = await letters({...vendor, affected: {OH: 30}})
    expect(small.get('ftc-worksheet')).toMatch(/Latest date for this filing: March 1, 2027 \(annual log/)
  })

  it('L5/F12: no FTC letter cites 45 CFR or a 164 section', () => {
    for (const [name, text] of ftc) {
      if (name.startsWith('state-regulator')) continue
      expect({name, hit: /45 CFR|\b164\.\d/.exec(text)?.[0]}).toEqual({name, hit: undefined})
    }
    expect(ftc.get('individual-notice')).toMatch(/16 CFR 318\.5\(a\)\(1\)/)
    expect(ftc.get('substitute-notice')).toMatch(/16 CFR 318\.5\(a\)\(2\)/)
    expect(ftc.get('media-notice-CA')).toMatch(/16 CFR 318\.5\(b\)/)
  })

  it('F14: a third-party service provider gets its notice to the vendor', async () => {
    const sp = await letters({...vendor, reporter: 'service-provider', covered_entity: {name: 'Example Cycle App'}, entity: {name: 'Example Analytics LLC'}})
    expect([...sp.keys()]).toEqual(['service-provider-to-vendor-notice'])
    expect(sp.get('service-provider-to-vendor-notice')).toMatch(/Under 16 CFR 318\.3\(b\), we are notifying you of a breach of security/)
    expect(sp.get('service-provider-to-vendor-notice')).not.toMatch(/45 CFR|\b164\.\d/)
  })
})

describe('HIPAA letters (L3, L4, F10, F1)', async () => {
  const base = {entity: {name: 'Example Clinic', phone: '555-0100', email: 'privacy@example.org'}, discovered: '2026-03-02', affected: {OH: 40}, individual_steps: ['Watch your explanation-of-benefits statements.']}

  it('L3/F10: the BA notice carries the steps for individuals, the contact procedures and the computed delay end', async () => {
    // 164.410(c)(2): "any other available information that the covered entity is required to include in
    // notification to the individual under § 164.404(c)"; 164.404(c)(1)(C): steps individuals should take.
    const ba = await letters({...base, reporter: 'business-associate', law_enforcement_delay: {kind: 'oral', received: '2026-05-10', official: 'Det. J. Smith'}})
    const text = ba.get('ba-to-ce-notice')!
    expect(text).toMatch(/## Steps individuals should take \(164\.404\(c\)\(1\)\(C\)\)[\s\S]*- Watch your explanation-of-benefits statements\./)
    expect(text).toMatch(/## Contact procedures for individuals \(164\.404\(c\)\(1\)\(E\)\)[\s\S]*- Telephone: 555-0100/)
    // 164.412(b): an oral delay lasts "no longer than 30 days from the date of the oral statement": 2026-05-10 + 30.
    expect(text).toMatch(/delay until June 9, 2026\)/)
  })

  it('L4: the number is "toll-free" only when entity.toll_free is true, and the substitute notice asks for one', async () => {
    // 164.404(d)(2)(ii)(B): substitute notice must "include a toll-free phone number that remains active for at least 90 days".
    const plain = await letters({...base, insufficient_contact: 12})
    expect(plain.get('individual-notice')).toMatch(/- Telephone: 555-0100/)
    expect(plain.get('individual-notice')).not.toMatch(/Toll-free/)
    expect(plain.get('substitute-notice')).toMatch(/Call our toll-free number, \[\[MISSING: toll-free number \(substitute notice requires one; set entity\.toll_free: true/)
    const tollFree = await letters({...base, entity: {...base.entity, phone: '1-800-555-0100', toll_free: true}, insufficient_contact: 12})
    expect(tollFree.get('individual-notice')).toMatch(/- Toll-free telephone: 1-800-555-0100/)
    expect(tollFree.get('substitute-notice')).toMatch(/Call our toll-free number, 1-800-555-0100\./)
  })

  it('F1: the 164.414(b) memo says which state notices may still be owed, and why', async () => {
    const memo = await letters({...base, affected: {TX: 300, TN: 20}, low_probability: true})
    const text = memo.get('no-notification-memo')!
    expect(text).toMatch(/## State law: notices that may still be owed/)
    expect(text).toMatch(/- Texas \(300 residents; rule status SECONDARY\): MAY STILL BE OWED/)
    expect(text).toMatch(/- Tennessee \(20 residents; .*\): Not owed/)
    expect(text).toMatch(/\| state:TX:regulator \| April 1, 2026 \|/)
  })
})
