import {execa} from 'execa'
import {randomBytes} from 'node:crypto'
import {mkdir, readdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {beforeAll, describe, expect, it} from 'vitest'

import {projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

let work: string
let ciphertext: string
let identity: string
let pub: string

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-verify-stop-')
  identity = join(work, 'id.agekey')
  await execa('age-keygen', ['-o', identity])
  const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim()
  expect((await runCli(['keys', 'generate', '--out-dir', join(work, 'keys')])).exitCode).toBe(0)
  pub = join(work, 'keys', 'hipaa-ir.pub')
  // A 96 MiB bundle-shaped tarball, so decryption takes long enough to be interrupted.
  const name = 'IR-STOP_web1_20260303T000000Z'
  await mkdir(join(work, 'src', name), {recursive: true})
  await writeFile(join(work, 'src', name, 'big.bin'), randomBytes(96 * 1024 * 1024))
  ciphertext = join(work, `${name}.tar.gz.age`)
  await execa('bash', ['-c', 'tar czf - -C "$1" "$2" | age -r "$3" -o "$4"', '_', join(work, 'src'), name, recipient, ciphertext])
}, 120_000)

describe('verify --identity stopped by Ctrl-C', () => {
  it('exits 130 and leaves no decrypted or extracted evidence in the temporary folder', async () => {
    const temp = join(work, 'tmp')
    await mkdir(temp, {mode: 0o700})
    const child = execa(process.execPath, [join(projectRoot, 'bin/run.js'), 'verify', ciphertext, '--pub', pub, '--identity', identity], {
      env: {TMPDIR: temp}, reject: false,
    })
    let seen: string[] = []
    for (let i = 0; i < 400 && seen.length === 0; i++) {
      seen = (await readdir(temp)).filter((n) => n.startsWith('hipaa-ir-decrypt-'))
      if (seen.length === 0) await sleep(10)
    }
    expect(seen, 'the decryption folder appeared').toHaveLength(1)
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(await readdir(temp)).toEqual([])
  })
})
