import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import {basename, join} from 'node:path'
import {stringify} from 'yaml'
import {afterAll, describe, expect, it} from 'vitest'

import {writeRootPlan} from '../../src/drills/io/write-root.js'
import {findScenario, SCENARIOS} from '../../src/drills/scenarios/index.js'
import {projectRoot, runCli} from '../helpers/cli.js'
import {extractCommands, readRunbook, runbookFiles, toArgv} from './runbook-commands.js'
import {makeTempDir} from '../helpers/temp.js'

const RUNBOOKS = join(projectRoot, 'docs/runbooks')
const made: string[] = []
afterAll(async () => {
  for (const dir of made) await rm(dir, {force: true, recursive: true})
})

/** Which synthetic system each runbook is exercised on: the drill scenario it belongs to. */
function scenarioFor(runbook: string) {
  return SCENARIOS.find((s) => s.runbook === runbook) ?? findScenario('ransomware')
}

async function newestBundle(out: string, caseId: string): Promise<string> {
  const names = (await readdir(out).catch(() => [] as string[])).filter((n) => n.startsWith(`${caseId}_`) && n.endsWith('.tar.gz')).sort()
  const last = names.at(-1)
  return last === undefined ? join(out, `${caseId}_NO-BUNDLE-YET.tar.gz`) : join(out, last)
}

// An endpoint where nothing listens and throw-away credentials: push fails fast with exit 5 (never the network).
const PUSH_ENV = {AWS_ACCESS_KEY_ID: 'drill', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'drill'}

describe.concurrent('runbook commands', async () => {
  const files = await runbookFiles(RUNBOOKS)

  it('has a first-hour runbook and one per scenario kind', () => {
    const names = files.map((f) => basename(f, '.md'))
    expect(names).toContain('first-hour')
    for (const s of SCENARIOS) expect(names).toContain(s.runbook)
  })

  it('splits command lines like sh does for the quoting the runbooks use', () => {
    expect(toArgv('hipaa-ir verify "$B" --pub "$K/x.pub"   # exit 0 or 3', {B: '/a b/c.tar.gz', K: '/k'})).toEqual(['hipaa-ir', 'verify', '/a b/c.tar.gz', '--pub', '/k/x.pub'])
    expect(toArgv("hipaa-ir custody add $B --note 'a $B' --by x", {B: 'b'})).toEqual(['hipaa-ir', 'custody', 'add', 'b', '--note', 'a $B', '--by', 'x'])
    expect(extractCommands('x', '```sh\nhipaa-ir collect \\\n  --root /   # exit 0 or 4\nBUNDLE=1\n```\n')).toEqual([{allowed: [0, 4], line: 'hipaa-ir collect --root /   # exit 0 or 4', runbook: 'x'}])
  })

  for (const file of files) {
    const name = basename(file, '.md')
    it(`${name}: every hipaa-ir command runs on a synthetic root with an allowed exit code`, {timeout: 240_000}, async () => {
      const commands = extractCommands(name, await readRunbook(file))
      expect(commands.length).toBeGreaterThan(0)
      const scenario = scenarioFor(name)
      if (scenario === undefined) throw new Error('no scenario')
      const work = await makeTempDir(`runbook-${name}-`)
      made.push(work)
      const vars: Record<string, string> = {
        BUCKET: 'ir-evidence-test',
        CASE: 'IR-RUNBOOK-1',
        EXAMINER: 'Runbook Test (synthetic)',
        FACTS: join(work, 'out/incident.yaml'),
        KEYS: join(work, 'keys'),
        OUT: join(work, 'out'),
        ROOT: join(work, 'root'),
        SINCE: scenario.since,
      }
      await writeRootPlan(vars.ROOT as string, scenario.generate())
      const all = commands.map((c) => c.line).join('\n')
      if (!all.includes('hipaa-ir keys generate')) {
        expect((await runCli(['keys', 'generate', '--out-dir', vars.KEYS as string])).exitCode).toBe(0)
      }
      if (!all.includes('hipaa-ir timeline init')) {
        await mkdir(vars.OUT as string, {recursive: true})
        await writeFile(vars.FACTS as string, stringify(scenario.facts))
      }
      for (const command of commands) {
        vars.BUNDLE = await newestBundle(vars.OUT as string, vars.CASE as string)
        const argv = toArgv(command.line, vars).slice(1)
        const result = await runCli(argv, {env: PUSH_ENV, timeoutMs: 120_000})
        expect(command.allowed, `${name}: ${command.line}\nexit ${result.exitCode}\n${result.stderr.slice(0, 2000)}`).toContain(result.exitCode)
      }
    })
  }
})
