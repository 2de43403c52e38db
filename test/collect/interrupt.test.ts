import {execa} from 'execa'
import {chmod, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {beforeAll, describe, expect, it} from 'vitest'

import {projectRoot} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-interrupt-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
})

/** An ausearch that writes its pid to `mark`, then hangs: the collection is caught mid-way. (Collector commands get a minimal environment, so the path is written into the script.) */
async function hangingAusearch(dir: string, mark: string): Promise<string> {
  await execa('mkdir', ['-p', dir])
  await writeFile(join(dir, 'ausearch'), `#!/bin/sh\necho $$ > '${mark}'\nexec sleep 60\n`)
  await chmod(join(dir, 'ausearch'), 0o755)
  return dir
}

async function waitFor(path: string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const text = await readFile(path, 'utf8').catch(() => '')
    if (text.trim() !== '') return text.trim()
    await sleep(50)
  }
  throw new Error(`${path} never appeared`)
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
  ['SIGQUIT', 131],
] as const)('collect stopped by %s', (signal, code) => {
  it(`exits ${code}, keeps the evidence as NAME.incomplete with the signal logged, and leaves nothing that looks sealed`, async () => {
    const out = join(work, `out-${signal}`)
    const mark = join(work, `mark-${signal}`)
    const bin = await hangingAusearch(join(work, `bin-${signal}`), mark)
    const child = execa(process.execPath, [join(projectRoot, 'bin/run.js'), 'collect', '--case', 'IR-STOP', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--collectors', 'auth,audit', '--json'], {
      env: {PATH: `${bin}:/usr/bin:/bin`},
      detached: true,
      reject: false,
    })
    const ausearchPid = Number(await waitFor(mark))
    // As a terminal delivers them: Ctrl-C to the whole process group (the CLI may run under a runtime wrapper), the others to the process.
    if (signal === 'SIGINT' && child.pid !== undefined) process.kill(-child.pid, signal)
    else child.kill(signal)
    const result = await child
    expect(result.exitCode).toBe(code)
    const error = (JSON.parse(String(result.stdout)) as {error: {code: string; exit: number; message: string}}).error
    expect(error).toMatchObject({code: 'E_INTERRUPTED', exit: code})
    const names = await readdir(out)
    expect(names).toHaveLength(1)
    expect(names[0]).toMatch(/^IR-STOP_.+\.incomplete$/)
    expect(error.message).toContain(names[0])
    const kept = join(out, names[0] as string)
    expect((await stat(kept)).mode & 0o777).toBe(0o700)
    const lines = (await readFile(join(kept, 'acquisition.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as {step: string; note?: string})
    expect(lines.at(-1)).toMatchObject({step: 'interrupted'})
    expect(lines.at(-1)?.note).toContain(signal)
    // The finished auth collector's output is kept; the hung ausearch did not outlive hipaa-ir.
    await expect(stat(join(kept, 'auth/events.jsonl'))).resolves.toBeTruthy()
    for (let i = 0; i < 40 && alive(ausearchPid); i++) await sleep(50)
    expect(alive(ausearchPid)).toBe(false)
  })
})
