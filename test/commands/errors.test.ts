import {describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'

interface ErrorDocument {
  error: {code?: string; exit: number; message: string; name: string; suggestions?: string[]}
}

describe('errors as every command reports them (built CLI)', () => {
  it('a mistyped flag under --json prints one small error document and exits 2', async () => {
    const result = await runCli(['collect', '--outt', 'x', '--json'])
    expect(result.exitCode).toBe(2)
    expect(result.stdout.length).toBeLessThan(1000)
    const {error} = parseJson<ErrorDocument>(result)
    expect(error.exit).toBe(2)
    expect(error.message).toContain('Nonexistent flag: --outt')
    // Nothing of oclif's config or the environment leaks into it.
    expect(Object.keys(error).sort()).toEqual(['code', 'exit', 'message', 'name', 'suggestions'])
  })

  it('a typed error under --json carries its code and what to try', async () => {
    const result = await runCli(['timeline', '--facts', 'no-such-facts.yaml', '--json'])
    expect(result.exitCode).toBe(2)
    const {error} = parseJson<ErrorDocument>(result)
    expect(error).toMatchObject({code: 'E_FACTS', exit: 2})
    expect(error.message).toContain('no-such-facts.yaml does not exist')
    expect(error.suggestions?.[0]).toContain('hipaa-ir timeline init')
  })

  it('without a terminal, a long error message stays on one line however long the path', async () => {
    const deep = `${'a-long-directory-name/'.repeat(6)}facts.yaml`
    const result = await runCli(['timeline', '--facts', deep])
    expect(result.exitCode).toBe(2)
    const line = result.stderr.split('\n').find((l) => l.includes('Error:'))
    expect(line).toContain(`${deep} does not exist`)
  })
})
