import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {FACTS_TEMPLATE} from '../../src/timeline/facts/template.js'
import {validateFacts} from '../../src/timeline/facts/validate.js'
import {parseFactsText} from '../../src/timeline/io/load-facts.js'

function problem(raw: unknown): string {
  try {
    validateFacts(raw, 'facts.yaml')
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).exitCode).toBe(2)
    return (error as Error).message
  }
  throw new Error('expected the facts to be rejected')
}

describe('facts validation: field, problem, example', () => {
  it.each([
    ['impossible date', {id: 'x', discovered: '2026-02-30', affected: {CA: 1}}, /discovered: is not a real calendar date \(got "2026-02-30"\)\. Example: discovered: 2026-03-03/],
    ['date in another format', {id: 'x', discovered: '03/03/2026', affected: {CA: 1}}, /discovered: must be a date written YYYY-MM-DD/],
    ['unknown state code', {id: 'x', discovered: '2026-02-03', affected: {ZZ: 1}}, /affected\.ZZ: "ZZ" is not a US state or territory code.*Example: affected: \{ CA: 300, NV: 512 \}/],
    ['negative count', {id: 'x', discovered: '2026-02-03', affected: {NY: -5}}, /affected\.NY: must not be negative \(got -5\)/],
    ['fractional count', {id: 'x', discovered: '2026-02-03', affected: {NY: 1.5}}, /affected\.NY: must be a whole number/],
    ['written delay without until', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, law_enforcement_delay: {kind: 'written', received: '2026-02-10'}}, /law_enforcement_delay\.until: is required for a written delay.*Example: law_enforcement_delay: \{ kind: written/],
    ['oral delay without official', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, law_enforcement_delay: {kind: 'oral', received: '2026-02-10'}}, /law_enforcement_delay\.official: is required for an oral delay/],
    ['missing discovered, no BA block', {id: 'x', affected: {NY: 1}}, /discovered: is required \(unless a business_associate block/],
    ['BA independent contractor without notified_ce', {id: 'x', affected: {NY: 1}, business_associate: {discovered: '2026-01-01', is_agent: false}}, /business_associate\.notified_ce: is required when is_agent is false/],
    ['unknown top-level key, close to a field', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, discoverd: '2026-02-01'}, /discoverd: is not a known field; did you mean `discovered`\?\. Example: discovered: 2026-03-03/],
    ['unknown top-level key, close to nothing', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, colour: 'red'}, /colour: is not a known field.*known fields: id, regime/],
    ['a date far in the future', {id: 'x', discovered: '9999-12-31', affected: {NY: 1}}, /discovered: 9999-12-31 is out of range: dates must fall between 1970 and 2199/],
    ['a planned date far in the past', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, planned: {hhs: '0026-02-03'}}, /planned\.hhs: 0026-02-03 is out of range/],
    ['bad enum', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, exception: 'maybe'}, /exception: must be none, workforce-good-faith/],
    ['breach end before start', {id: 'x', discovered: '2026-02-03', affected: {NY: 1}, breach: {start: '2026-01-10', end: '2026-01-05'}}, /breach\.end: 2026-01-05 is earlier than breach\.start \(2026-01-10\); swap them/],
    ['missing id', {discovered: '2026-02-03', affected: {NY: 1}}, /id: is required\. Example: id: IR-2026-014/],
    ['top level not a mapping', ['a'], /top level must be a mapping/],
  ])('%s', (_name, raw, pattern) => {
    expect(problem(raw)).toMatch(pattern)
  })

  it('a typo says "did you mean" once, without the consequential "is required" or a list of every field (newcomer m11)', () => {
    const message = problem({id: 'x', discoverd: '2026-02-03', affected: {NY: 1}})
    expect(message).toContain('discoverd: is not a known field; did you mean `discovered`?')
    expect(message).not.toContain('is required')
    expect(message).not.toContain('known fields:')
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(1)
  })

  it('several unknown keys list the known fields once', () => {
    const message = problem({id: 'x', discovered: '2026-02-03', affected: {NY: 1}, colour: 'red', flavour: 'sweet'})
    expect(message.match(/known fields:/g)).toHaveLength(1)
    expect(message).toContain('flavour: is not a known field (check the spelling)')
  })

  it('bidi and control characters are removed from every value when the facts are read (security L8)', () => {
    const facts = parseFactsText('id: "IR-\u202E1"\ndiscovered: 2026-01-02\naffected: {CA: 1}\nentity: {name: "Clinic\u2066 \u0007A\u2069"}\n', 'y')
    expect(facts.id).toBe('IR-1')
    expect(facts.entity.name).toBe('Clinic A')
  })

  it('a business_associate block can stand in for discovered', () => {
    const facts = validateFacts({id: 'x', affected: {OR: 1}, business_associate: {discovered: '2025-05-05'}}, 'f')
    expect(facts.business_associate?.is_agent).toBe('unknown')
  })

  it('the init template validates as written', () => {
    const facts = parseFactsText(FACTS_TEMPLATE, 'template')
    expect(facts.id).toBe('IR-2026-014')
    expect(facts.affected).toEqual({CA: 300, NV: 512})
  })

  it('YAML dates stay strings and JSON works too', () => {
    expect(parseFactsText('id: a\ndiscovered: 2026-01-02\naffected: {CA: 1}\n', 'y').discovered).toBe('2026-01-02')
    expect(parseFactsText('{"id":"a","discovered":"2026-01-02","affected":{"CA":1}}', 'j').discovered).toBe('2026-01-02')
  })
})
