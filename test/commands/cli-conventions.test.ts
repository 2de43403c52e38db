import {execa} from 'execa'
import {existsSync, realpathSync} from 'node:fs'
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {closestMatch, editDistance} from '../../src/core/closest-match.js'
import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

interface ErrorDocument {
  error: {code?: string; exit: number; message: string; name: string; suggestions?: string[]}
}

describe('the oclif conventions users expect (built CLI)', () => {
  it('help, help COMMAND, -h and --help all print help and exit 0', async () => {
    for (const args of [['help'], ['-h'], ['--help']]) {
      const result = await runCli(args)
      expect(result.exitCode, args.join(' ')).toBe(0)
      expect(result.stdout).toContain('USAGE')
      expect(result.stdout).toContain('collect')
    }
    for (const args of [['help', 'collect'], ['collect', '-h'], ['keys', 'generate', '-h'], ['help', 'keys', 'generate']]) {
      const result = await runCli(args)
      expect(result.exitCode, args.join(' ')).toBe(0)
      expect(result.stdout, args.join(' ')).toMatch(/USAGE\n {2}\$ hipaa-ir (collect|keys generate)/)
    }
  })

  it('--version and -v print the version and the runtime, which is a supported Node.js', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag])
      expect(result.exitCode).toBe(0)
      const match = /^hipaa-ir\/\d+\.\d+\.\d+ linux-\w+ node-v(\d+)\.\d+\.\d+$/.exec(result.stdout)
      expect(match, result.stdout).not.toBeNull()
      expect(Number(match?.[1])).toBeGreaterThanOrEqual(22)
    }
  })

  it('commands lists every command, autocomplete prints its set-up', async () => {
    const commands = await runCli(['commands', '--json'])
    expect(commands.exitCode).toBe(0)
    const ids = parseJson<Array<{id: string}>>(commands).map((c) => c.id)
    expect(ids).toEqual(expect.arrayContaining(['collect', 'verify', 'keys:generate', 'timeline', 'autocomplete', 'help']))
    const autocomplete = await runCli(['autocomplete', 'bash'], {env: {XDG_CACHE_HOME: await makeTempDir('hipaa-ir-cache-')}})
    expect(autocomplete.exitCode, autocomplete.stderr).toBe(0)
    expect(autocomplete.stdout).toContain('hipaa-ir autocomplete script bash')
  })

  it('an unknown command is exit 2 and names the nearest command in words, not oclif ids', async () => {
    const cases: Array<[string[], string]> = [
      [['colect'], 'hipaa-ir collect'],
      [['verfy', 'x.tar.gz'], 'hipaa-ir verify'],
      [['keys', 'gen'], 'hipaa-ir keys generate'],
      [['custody', 'sho'], 'hipaa-ir custody show'],
    ]
    for (const [args, guess] of cases) {
      const result = await runCli(args)
      expect(result.exitCode, args.join(' ')).toBe(2)
      expect(result.stderr).toContain(`Did you mean \`${guess}\`?`)
      expect(result.stderr).not.toMatch(/\w:\w/)
    }
    const far = await runCli(['zzzzzz'])
    expect(far.exitCode).toBe(2)
    expect(far.stderr).toContain('zzzzzz is not a hipaa-ir command.')
    expect(far.stderr).not.toContain('Did you mean')
  })

  it('an unknown command under --json prints the one error document', async () => {
    const result = await runCli(['colect', '--json'])
    expect(result.exitCode).toBe(2)
    const {error} = parseJson<ErrorDocument>(result)
    expect(error).toMatchObject({code: 'E_COMMAND', exit: 2})
    expect(error.message).toContain('`hipaa-ir collect`')
    expect(error.suggestions).toContain('hipaa-ir help collect')
  })

  it('a mistyped flag names the nearest flag and does not dump the whole usage', async () => {
    const result = await runCli(['collect', '--out-dirr', 'x'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--out-dirr (did you mean --out-dir?)')
    expect(result.stderr).toContain('hipaa-ir collect --help')
    expect(result.stderr).not.toContain('USAGE')
    const json = parseJson<ErrorDocument>(await runCli(['timeline', '--factz', 'f.yaml', '--json']))
    expect(json.error).toMatchObject({code: 'E_FLAG', exit: 2, name: 'UsageError'})
    expect(json.error.message).toBe('Nonexistent flag: --factz (did you mean --facts?)')
  })
})

describe('closestMatch', () => {
  it('finds typos and refuses far-off words', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('discoevred', 'discovered')).toBe(1)
    expect(closestMatch('discoverd', ['determined', 'discovered', 'description'])).toBe('discovered')
    expect(closestMatch('colect', ['collect', 'verify'])).toBe('collect')
    expect(closestMatch('zzzzzz', ['collect', 'verify'])).toBeUndefined()
  })
})

describe('docs/commands.md', () => {
  it('is what the generator makes from the built CLI (regenerate: node scripts/command-reference.mjs)', async () => {
    const result = await execa(process.execPath, ['scripts/command-reference.mjs', '--check'], {cwd: projectRoot, reject: false})
    expect(result.exitCode, result.stderr).toBe(0)
  })
})

describe('runtime', () => {
  it('runs on Node.js 22 or newer; an older node hands over to the pinned runtime in .node/', async () => {
    // Any node on PATH other than the one running the tests: in CI that is the system's Node 20.
    const others = (process.env.PATH ?? '').split(':').map((dir) => join(dir, 'node'))
      .filter((file) => existsSync(file) && !file.includes('/.node/'))
    for (const node of others) {
      const own = await execa(node, ['-p', 'process.versions.node.split(".")[0]'], {reject: false})
      const result = await execa(node, [join(projectRoot, 'bin/run.js'), '--version'], {reject: false})
      if (Number(own.stdout) >= 22) {
        expect(result.stdout).toContain(`node-v${own.stdout}.`)
      } else if (existsSync(join(projectRoot, '.node'))) {
        expect(result.exitCode, result.stderr).toBe(0)
        expect(result.stdout).toMatch(/node-v(2[2-9]|[3-9]\d)\./)
      } else {
        expect(result.exitCode).toBe(1)
        expect(result.stderr).toContain('needs Node.js 22 or 24')
      }
    }
  })

  it('through the hand-over, a SIGINT sent to the CLI without a terminal still stops a collection (exit 130, .incomplete)', async () => {
    const older = new Set((process.env.PATH ?? '').split(':').map((dir) => join(dir, 'node'))
      .filter((file) => existsSync(file) && !file.includes('/.node/')).map((file) => realpathSync(file)))
    const work = await makeTempDir('hipaa-ir-handover-')
    for (const node of older) {
      const own = await execa(node, ['-p', 'process.versions.node.split(".")[0]'], {reject: false})
      // Only an older node hands over; a supported one runs the CLI itself (the collect tests cover that).
      if (Number(own.stdout) >= 22 || !existsSync(join(projectRoot, '.node'))) continue
      const out = join(work, own.stdout)
      await execa('mkdir', ['-m', '700', out])
      const child = execa(node, [join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-HO', '--out-dir', out, '--collectors', 'phi-files', '--phi-dir', '/usr', '--since', '3650d'], {reject: false, stdin: 'ignore'})
      await new Promise((resolve) => setTimeout(resolve, 4000))
      child.kill('SIGINT')
      const result = await child
      expect(result.exitCode, result.stderr).toBe(130)
      expect((await readdir(out)).some((n) => n.endsWith('.incomplete'))).toBe(true)
    }
  }, 120_000)

  it('the AWS SDK has nothing to warn about: no runtime support warning reaches the terminal', async () => {
    // Port 9 (discard) on loopback refuses at once; the S3 client is created and used before that.
    const result = await runCli(['verify', 's3://b/IR-1/h/IR-1_h_20260101T000000Z.tar.gz', '--endpoint', 'http://127.0.0.1:9'], {
      env: {AWS_ACCESS_KEY_ID: 'test', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'test'},
    })
    expect(result.stderr).toContain('127.0.0.1:9')
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|require node >=|Warning:/)
  })
})
