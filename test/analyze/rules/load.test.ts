import {describe, expect, it} from 'vitest'

import {loadRules} from '../../../src/analyze/rules/load.js'
import {runRules} from '../../../src/analyze/rules/run.js'
import {caseDb} from './case-db.js'

const CONTRACT_IDS = [
  'auth.bruteforce-then-success', 'auth.password-spray', 'auth.new-source', 'auth.off-hours-login', 'sudo.denied', 'privilege.root-shell',
  'phi.mass-read', 'phi.unusual-reader', 'phi.mass-change', 'phi.exfil-tool', 'logs.gap', 'account.created', 'persistence.added', 'process.deleted-exe',
]

describe('built-in rules', () => {
  it('are files, one per contract id plus auth.lateral-movement, each with a title, a severity and a reason', async () => {
    const rules = await loadRules()
    const ids = rules.map((r) => r.rule.id).sort()
    expect(ids).toEqual([...CONTRACT_IDS, 'auth.lateral-movement'].sort())
    for (const {rule, file, source} of rules) {
      expect(source).toBe('builtin')
      expect(file).toMatch(new RegExp(`${rule.id.replaceAll('.', '\\.')}\\.yaml$`))
      expect(rule.title.length).toBeGreaterThan(10)
      expect(rule.reason.length).toBeGreaterThan(40)
    }
  })

  it('every query runs on an empty case', async () => {
    const connection = await caseDb([])
    expect(await runRules(connection)).toEqual([])
  })
})
