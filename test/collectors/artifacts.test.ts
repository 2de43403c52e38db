import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {loadArtifactDir, parseArtifactText} from '../../src/collectors/artifacts/load.js'
import {parseDuration, parseSize} from '../../src/collectors/artifacts/schema.js'
import {makeTempDir} from '../helpers/temp.js'

const ehr = `# The EHR's own access log: which charts were opened, by whom.
id: ehr-access
version: 1
title: EHR chart access log
why: Which patient charts each account opened; the best record of PHI access the clinic has.
volatility: 55
needs_root: true
contains_phi: true
timeout: 2m
max_bytes: 512MiB
parser: lines
files:
  - glob: /var/log/ehr/access*.log
    max_bytes: 256MiB
`

describe('artifact files', () => {
  it('a valid artifact parses with its durations and sizes', () => {
    const artifact = parseArtifactText(ehr, 'ehr.yaml')
    expect(artifact).toMatchObject({contains_phi: true, id: 'ehr-access', max_bytes: 512 * 2 ** 20, timeout: 120_000, version: '1'})
    expect(artifact.files).toEqual([{glob: '/var/log/ehr/access*.log', max_bytes: 256 * 2 ** 20}])
    expect(parseDuration(30)).toBe(30_000)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('soon')).toBeNull()
    expect(parseSize('16MiB')).toBe(16 * 2 ** 20)
    expect(parseSize('lots')).toBeNull()
  })

  it('a malformed artifact names the file, the line and the field', () => {
    const bad = ehr.replace('timeout: 2m', 'timeout: soon').replace('    max_bytes: 256MiB', '    max_bytes: 256MiB\n    mode: fast')
    expect(() => parseArtifactText(bad, 'ehr.yaml')).toThrowError(/artifact ehr\.yaml is invalid: .*line 9, timeout: must be a duration/)
    try {
      parseArtifactText(bad, 'ehr.yaml')
    } catch (error) {
      expect((error as {exitCode: number}).exitCode).toBe(2)
      expect((error as Error).message).toMatch(/line 15, files\[0\]: unknown field mode/)
    }
    expect(() => parseArtifactText(ehr.replace(/^why: .*\n/m, ''), 'x.yaml')).toThrowError(/line 1, the file|why: is required|why/)
    expect(() => parseArtifactText(ehr.replace('  - glob: /var/log', '  - glob: var/log'), 'x.yaml')).toThrowError(/files\[0\]\.glob: must be an absolute path/)
    expect(() => parseArtifactText(ehr.replace(/files:\n.*\n.*\n/, ''), 'x.yaml')).toThrowError(/needs either commands: or files:/)
    expect(() => parseArtifactText('id: [unclosed\n', 'x.yaml')).toThrowError(/artifact x\.yaml:\d+: not valid YAML/)
    expect(() => parseArtifactText(`${ehr}commands:\n  - name: ls\n    argv: [ls]\n`, 'x.yaml')).toThrowError(/both commands: and files:/)
  })

  it('a folder of artifacts loads sorted; a taken id or an empty folder is refused', async () => {
    const dir = await makeTempDir('hipaa-ir-artifacts-')
    await writeFile(join(dir, 'b-ehr.yaml'), ehr)
    await writeFile(join(dir, 'a-app.yml'), ehr.replace('id: ehr-access', 'id: app-audit').replace(/files:[\s\S]*$/, 'commands:\n  - name: app-users\n    argv: [getent, passwd]\n'))
    await writeFile(join(dir, 'notes.txt'), 'ignored')
    const loaded = await loadArtifactDir(dir, new Set(['auth']))
    expect(loaded.map((l) => [l.artifact.id, l.source])).toEqual([['app-audit', join(dir, 'a-app.yml')], ['ehr-access', join(dir, 'b-ehr.yaml')]])
    await expect(loadArtifactDir(dir, new Set(['ehr-access']))).rejects.toThrowError(/id ehr-access is already taken/)
    const empty = join(dir, 'empty')
    await mkdir(empty)
    await expect(loadArtifactDir(empty)).rejects.toThrowError(/holds no \*\.yaml files/)
  })
})
