import {createHash} from 'node:crypto'
import {mkdir, readFile, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import type {PhiFileEntry} from '../../src/collectors/runners/phi-walk.js'
import {SYNC_HASH_MAX_BYTES} from '../../src/io/evidence-fs.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

type Row = PhiFileEntry

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')
// Small files are hashed synchronously as find's records are parsed, larger ones streamed through the queue.
const FILES: Record<string, Buffer> = {
  'big/at-limit.pdf': Buffer.alloc(SYNC_HASH_MAX_BYTES, 0x41),
  'big/over-limit.pdf': Buffer.alloc(SYNC_HASH_MAX_BYTES + 1, 0x42),
  'big/scan.tiff': Buffer.alloc(3 * SYNC_HASH_MAX_BYTES + 17, 0x43),
  'empty.txt': Buffer.alloc(0),
  ...Object.fromEntries(Array.from({length: 300}, (_, i) => [`notes/n${i}.txt`, Buffer.from(`note ${i} `.repeat(i + 1))])),
}

let work: string
let root: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-phi-hashing-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  const phi = join(root, 'srv/ransom')
  for (const [name, bytes] of Object.entries(FILES)) {
    await mkdir(join(phi, name, '..'), {recursive: true})
    await writeFile(join(phi, name), bytes)
  }
  await symlink('notes/n1.txt', join(phi, 'link'))
})

async function rowsOf(out: string, env?: Record<string, string>): Promise<Row[]> {
  const result = await runCli(['collect', '--case', 'IR-RANSOM', '--out-dir', join(work, out), '--root', root, '--phi-dir', '/srv/ransom', '--since', WINDOW_START, '--collectors', 'phi-files', '--json'], {env})
  expect(result.exitCode, result.stderr).toBe(0)
  const dir = parseJson<{bundle_dir: string}>(result).bundle_dir
  return (await readFile(join(dir, 'phi-files/recently-modified.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Row)
}

describe('every changed file hashed, small or large (the ransomware case)', () => {
  for (const [walk, env] of [['find', undefined], ['the built-in walker', {PATH: '/nonexistent'}]] as const) {
    it(`${walk}: each file once with its SHA-256 and the contract's fields; links listed, not hashed`, async () => {
      const rows = await rowsOf(walk === 'find' ? 'out-find' : 'out-builtin', env)
      const files = rows.filter((r) => r.type === 'file')
      expect(files.map((r) => r.path).sort()).toEqual(Object.keys(FILES).map((n) => `/srv/ransom/${n}`).sort())
      for (const row of files) {
        const bytes = FILES[row.path.slice('/srv/ransom/'.length)] as Buffer
        expect(row.sha256, row.path).toBe(sha(bytes))
        expect(row.size, row.path).toBe(bytes.length)
        expect(Object.keys(row).sort()).toEqual(['ctime', 'gid', 'mode', 'mtime', 'path', 'sha256', 'size', 'type', 'uid'])
      }
      expect(rows.find((r) => r.path === '/srv/ransom/link')).toMatchObject({sha256: null, target: 'notes/n1.txt', type: 'symlink'})
      expect(rows.filter((r) => r.type === 'dir').map((r) => r.path).sort()).toEqual(['/srv/ransom/big', '/srv/ransom/notes'])
    })
  }
})
