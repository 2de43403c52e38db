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
  // Signed: verify decrypts nothing whose signature does not check out.
  await execa('signify-openbsd', ['-S', '-s', join(work, 'keys', 'hipaa-ir.sec'), '-m', ciphertext, '-x', `${ciphertext}.sig`])
}, 120_000)

describe.each([
  ['SIGINT', 130],
  ['SIGHUP', 129],
  ['SIGQUIT', 131],
] as const)('verify --identity stopped by %s', (signal, code) => {
  it(`exits ${code} and leaves no decrypted or extracted evidence in the temporary folder`, async () => {
    const temp = join(work, `tmp-${signal}`)
    await mkdir(temp, {mode: 0o700})
    const child = execa(process.execPath, [join(projectRoot, 'bin/run.js'), 'verify', ciphertext, '--pub', pub, '--identity', identity], {
      detached: true, env: {TMPDIR: temp}, reject: false,
    })
    let seen: string[] = []
    // The ciphertext signature is checked first (streamed over 96 MiB), so decryption starts after a while.
    for (let i = 0; i < 6000 && seen.length === 0; i++) {
      seen = (await readdir(temp)).filter((n) => n.startsWith('hipaa-ir-decrypt-'))
      if (seen.length === 0) await sleep(10)
    }
    expect(seen, 'the decryption folder appeared').toHaveLength(1)
    // As a terminal delivers them: Ctrl-C to the whole process group (the CLI may run under a runtime wrapper), the others to the process.
    if (signal === 'SIGINT' && child.pid !== undefined) process.kill(-child.pid, signal)
    else child.kill(signal)
    const result = await child
    expect(result.exitCode).toBe(code)
    expect(await readdir(temp)).toEqual([])
  }, 120_000)
})
