import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface Row {
  path: string
  path_encoding?: string
  sha256: string | null
  error?: string
  type: string
}

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')
const LATIN_A = Buffer.from('latin1-\xff\xfe', 'latin1')
const LATIN_B = Buffer.from('latin1-\xfe\xff', 'latin1')
const NAMES = ['back\\slash', 'x\\y', 'new\nline', 'tab\tname', 'caf\u00e9 \u{1f600}', `long-${'n'.repeat(150)}`]

let work: string
let root: string
let phi: string
let json: {bundle_dir: string; name: string; status: string; tarball: string; public_key: string; self_verify: string}
let rows: Row[]
let exitCode: number
let stderr: string

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-names-')
  root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  phi = join(root, 'var/data/phi')
  for (const name of NAMES) await writeFile(join(phi, name), `content of ${name}\n`)
  await mkdir(join(phi, 'x'))
  await writeFile(join(phi, 'x', 'y'), 'content of x/y\n')
  // Names that are not UTF-8 (written by byte path).
  await writeFile(Buffer.concat([Buffer.from(`${phi}/`), LATIN_A]), 'latin A\n')
  await writeFile(Buffer.concat([Buffer.from(`${phi}/`), LATIN_B]), 'latin B\n')
  const result = await runCli(['collect', '--case', 'IR-NAMES', '--out-dir', join(work, 'out'), '--root', root, '--since', WINDOW_START, '--collectors', 'phi-files', '--include-contents', '--json'])
  exitCode = result.exitCode
  stderr = result.stderr
  json = parseJson(result)
  rows = (await readFile(join(json.bundle_dir, 'phi-files/recently-modified.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row)
})

describe('PHI file names that are not UTF-8 (security M7)', () => {
  it('are hashed, recorded losslessly (escaped, flagged) and never collapse into one record', () => {
    expect(exitCode, stderr).toBe(0)
    const a = rows.find((r) => r.path === '/var/data/phi/latin1-\\xff\\xfe')
    const b = rows.find((r) => r.path === '/var/data/phi/latin1-\\xfe\\xff')
    expect(a).toMatchObject({path_encoding: 'escaped', sha256: sha('latin A\n')})
    expect(b).toMatchObject({path_encoding: 'escaped', sha256: sha('latin B\n')})
    expect(rows.filter((r) => r.error !== undefined)).toEqual([])
  })

  it('are copied with --include-contents below contents-escaped/, under the escaped path', async () => {
    expect(await readFile(join(json.bundle_dir, 'phi-files/contents-escaped/var/data/phi/latin1-\\xff\\xfe'), 'utf8')).toBe('latin A\n')
    expect(await readFile(join(json.bundle_dir, 'phi-files/contents-escaped/var/data/phi/latin1-\\xfe\\xff'), 'utf8')).toBe('latin B\n')
  })

  it('the built-in walker (no find on PATH) records the same', async () => {
    const bin = join(work, 'bin-nofind')
    await mkdir(bin, {recursive: true})
    const result = await runCli(['collect', '--case', 'IR-NAMES2', '--out-dir', join(work, 'out2'), '--root', root, '--since', WINDOW_START, '--collectors', 'phi-files', '--include-contents', '--json'], {env: {PATH: bin}})
    expect(result.exitCode, result.stderr).toBe(0)
    const dir = parseJson<{bundle_dir: string}>(result).bundle_dir
    const own = (await readFile(join(dir, 'phi-files/recently-modified.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row)
    const key = (r: Row) => `${r.path}|${r.path_encoding ?? ''}|${r.sha256 ?? ''}`
    expect(own.map(key).sort()).toEqual(rows.map(key).sort())
  })
})

describe('any file name survives the bundle (security H3)', () => {
  it('lists every odd name once, with its hash', () => {
    for (const name of [...NAMES, 'x/y']) {
      const row = rows.find((r) => r.path === `/var/data/phi/${name}`)
      expect(row?.sha256, name).toBe(sha(`content of ${name}\n`))
    }
  })

  it('collect verifies its own tarball and says complete', () => {
    expect(json.self_verify).toBe('ok')
    expect(json.status).toBe('complete')
  })

  it('hipaa-ir verify, sha256sum -c and GNU tar agree on the fresh bundle', async () => {
    const verify = await runCli(['verify', json.tarball, '--pub', json.public_key, '--json'])
    expect(verify.exitCode, verify.stdout).toBe(0)
    // The folder as collect left it.
    const inFolder = await execa('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], {cwd: json.bundle_dir, reject: false})
    expect(inFolder.exitCode, inFolder.stdout + inFolder.stderr).toBe(0)
    // The tarball as GNU tar unpacks it: the same files, x\y and x/y apart.
    const unpacked = join(work, 'unpacked')
    await rm(unpacked, {force: true, recursive: true})
    await mkdir(unpacked)
    await execa('tar', ['-xzf', json.tarball, '-C', unpacked])
    const fromTar = await execa('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], {cwd: join(unpacked, json.name), reject: false})
    expect(fromTar.exitCode, fromTar.stdout + fromTar.stderr).toBe(0)
    const contents = join(unpacked, json.name, 'phi-files/contents/var/data/phi')
    expect(await readFile(join(contents, 'x\\y'), 'utf8')).toBe('content of x\\y\n')
    expect(await readFile(join(contents, 'x', 'y'), 'utf8')).toBe('content of x/y\n')
    const listing = (await execa('tar', ['-tzf', json.tarball])).stdout
    expect(listing).toContain(`${json.name}/phi-files/contents/var/data/phi/long-${'n'.repeat(150)}`)
  })
})
