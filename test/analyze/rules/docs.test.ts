import {readFile} from 'node:fs/promises'

import {describe, expect, it} from 'vitest'

import {loadRules, parseRuleText} from '../../../src/analyze/rules/load.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {auth, caseDb} from './case-db.js'

const doc = await readFile(new URL('../../../docs/analyze-rules.md', import.meta.url), 'utf8')

describe('docs/analyze-rules.md', () => {
  it('documents every built-in rule and each of its parameters', async () => {
    for (const {rule} of await loadRules()) {
      expect(doc).toContain(`### \`${rule.id}\``)
      for (const name of Object.keys(rule.params)) expect(doc, `${rule.id}: ${name}`).toContain(`| \`${name}\` |`)
    }
  })

  it('its two example rules load, and the match example fires', async () => {
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    const [query, match] = blocks.map((text, i) => parseRuleText(text.replace('  ...\n', '  An example.\n'), `example-${i}.yaml`))
    expect(query?.rule.id).toBe('site.after-hours-export')
    const events = [auth('accepted', '2026-03-04T10:00:00Z', {data: {method: 'password'}, ip: '192.0.2.1', user: 'root'})]
    const findings = await runRules(await caseDb(events), {rules: [match as NonNullable<typeof match>]})
    expect(findings.map((f) => f.reason)).toEqual(['root logged in to web1 from 192.0.2.1 with a password 1 times'])
  })
})
