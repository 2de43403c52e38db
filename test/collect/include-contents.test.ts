import {createHash} from 'node:crypto'
import {readdir, readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-contents-')
})

describe('collect --include-contents', () => {
  it('copies each recent regular PHI file (0600) with exactly the bytes it hashed, and never a FIFO or a link target', async () => {
    const root = join(work, 'root')
    await buildFixtureRoot(root, {layout: 'debian'})
    const result = await runCli(['collect', '--case', 'IR-CONTENTS', '--out-dir', join(work, 'out'), '--root', root, '--since', WINDOW_START, '--collectors', 'phi-files', '--include-contents', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const dir = parseJson<{bundle_dir: string}>(result).bundle_dir
    const entries = (await readFile(join(dir, 'phi-files/recently-modified.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as {path: string; sha256: null | string; type: string})
    const files = entries.filter((e) => e.type === 'file')
    expect(files.map((e) => e.path).sort()).toEqual(['/var/data/phi/labs/results.csv', '/var/data/phi/patients.csv'])
    for (const entry of files) {
      const copy = join(dir, 'phi-files/contents', entry.path)
      const bytes = await readFile(copy)
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(entry.sha256)
      expect(bytes.equals(await readFile(join(root, entry.path)))).toBe(true)
      expect((await stat(copy)).mode & 0o777).toBe(0o600)
    }
    const copied = await readdir(join(dir, 'phi-files/contents/var/data/phi'))
    expect(copied.sort()).toEqual(['labs', 'patients.csv'])
  })
})
