import {execa} from 'execa'
import {chmod, open, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

interface VerifyJson {
  filesChecked: number
  ok: boolean
  problems: {detail: string; kind: string; path: string}[]
  signatures: {file: string; status: string}[]
  warnings: string[]
}

let work: string
let identity: string
let secretKey: string
let publicKey: string
let ciphertext: string

/** Re-signs a changed ciphertext with the organisation's key, as an insider holding the key could. */
async function resign(file: string): Promise<void> {
  await rm(`${file}.sig`, {force: true})
  await execa('signify-openbsd', ['-S', '-s', secretKey, '-m', file, '-x', `${file}.sig`])
}

beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-verify-age-')
  identity = join(work, 'counsel.agekey')
  await execa('age-keygen', ['-o', identity])
  const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim()
  expect((await runCli(['keys', 'generate', '--out-dir', join(work, 'keys'), '--json'])).exitCode).toBe(0)
  secretKey = join(work, 'keys', 'hipaa-ir.sec')
  publicKey = join(work, 'keys', 'hipaa-ir.pub')
  const root = join(work, 'root')
  await buildFixtureRoot(root, {layout: 'debian'})
  const collected = await runCli([
    'collect', '--case', 'IR-AGE', '--out-dir', join(work, 'out'), '--root', root, '--since', WINDOW_START,
    '--collectors', 'auth', '--key', secretKey, '--encrypt-to', recipient, '--json',
  ])
  expect(collected.exitCode, collected.stderr).toBe(0)
  ciphertext = parseJson<{tarball: string}>(collected).tarball
}, 120_000)

describe('verify NAME.tar.gz.age', () => {
  it('without --identity checks the ciphertext signature only, and says so', async () => {
    const result = await runCli(['verify', ciphertext, '--pub', publicKey, '--json'])
    expect(result.exitCode).toBe(0)
    const json = parseJson<VerifyJson>(result)
    expect(json.signatures).toEqual([{file: expect.stringMatching(/\.tar\.gz\.age\.sig$/), status: 'ok'}])
    expect(json.filesChecked).toBe(0)
    expect(json.warnings.join(' ')).toContain('--identity')
    expect(parseJson<{contentsChecked: boolean}>(result).contentsChecked).toBe(false)
    // A person is not told "OK ... 0 files": only the ciphertext's signature was checked, and how to check the inside.
    const human = await runCli(['verify', ciphertext, '--pub', publicKey])
    expect(human.exitCode).toBe(0)
    expect(human.stdout).not.toMatch(/OK:|0 files/)
    expect(human.stdout).toMatch(/SIGNATURE ONLY: .*\.tar\.gz\.age is signed by key [0-9a-f]{16}, but it is encrypted and its contents were NOT checked/)
    expect(human.stdout).toContain('--identity FILE')
  })

  it('with --identity decrypts privately and checks everything inside, leaving no plaintext behind', async () => {
    const result = await runCli(['verify', ciphertext, '--pub', publicKey, '--identity', identity, '--json'])
    expect(result.exitCode, result.stdout).toBe(0)
    const json = parseJson<VerifyJson>(result)
    expect(json.ok).toBe(true)
    expect(json.filesChecked).toBeGreaterThan(3)
    expect(json.signatures.map((s) => [s.file, s.status])).toEqual([
      [expect.stringMatching(/\.tar\.gz\.age\.sig$/), 'ok'],
      ['SHA256SUMS.sig', 'ok'],
    ])
    const leftovers = await execa('bash', ['-c', 'ls -d "$1"/hipaa-ir-decrypt-* 2>/dev/null | wc -l', '_', tmpdir()])
    expect(Number(leftovers.stdout.trim())).toBe(0)
  })

  it('finds a file changed inside, even when the ciphertext was re-encrypted and re-signed with the right key', async () => {
    const dir = join(work, 'tamper')
    const recipient = (await execa('age-keygen', ['-y', identity])).stdout.trim()
    await execa('mkdir', ['-p', dir])
    await execa('bash', ['-c', 'age -d -i "$1" "$2" | tar xzf - -C "$3"', '_', identity, ciphertext, dir])
    const top = (await execa('ls', [dir])).stdout.trim()
    const events = join(dir, top, 'auth', 'events.jsonl')
    await writeFile(events, `${(await readFile(events, 'utf8')).replace('alice', 'mallory')}`)
    const forged = join(work, 'forged', `${top}.tar.gz.age`)
    await execa('mkdir', ['-p', join(work, 'forged')])
    await execa('bash', ['-c', 'tar czf - -C "$1" "$2" | age -r "$3" -o "$4"', '_', dir, top, recipient, forged])
    await resign(forged)
    const result = await runCli(['verify', forged, '--pub', publicKey, '--identity', identity, '--json'])
    expect(result.exitCode).toBe(3)
    const json = parseJson<VerifyJson>(result)
    expect(json.signatures[0]?.status).toBe('ok')
    expect(json.problems).toContainEqual(expect.objectContaining({kind: 'hash-mismatch', path: 'auth/events.jsonl'}))
  })

  it('names a damaged ciphertext as malformed (exit 3)', async () => {
    const damaged = join(work, 'damaged', 'IR-AGE_x_20260303T000000Z.tar.gz.age')
    await execa('mkdir', ['-p', join(work, 'damaged')])
    await execa('cp', [ciphertext, damaged])
    const handle = await open(damaged, 'r+')
    const {size} = await handle.stat()
    const byte = Buffer.alloc(1)
    await handle.read(byte, 0, 1, size - 10)
    await handle.write(Buffer.from([(byte[0] as number) ^ 0xff]), 0, 1, size - 10)
    await handle.close()
    await resign(damaged)
    const result = await runCli(['verify', damaged, '--pub', publicKey, '--identity', identity, '--json'])
    expect(result.exitCode, result.stdout).toBe(3)
    expect(parseJson<VerifyJson>(result).problems).toContainEqual(expect.objectContaining({kind: 'malformed', detail: expect.stringContaining('does not decrypt')}))
  })

  it('refuses an identity file others can read (exit 2, with the chmod) and one that does not match (exit 2)', async () => {
    const shared = join(work, 'shared.agekey')
    await writeFile(shared, await readFile(identity))
    await chmod(shared, 0o644)
    const loose = await runCli(['verify', ciphertext, '--pub', publicKey, '--identity', shared])
    expect(loose.exitCode).toBe(2)
    expect(loose.stderr).toContain(`chmod 600 ${shared}`)

    const other = join(work, 'other.agekey')
    await execa('age-keygen', ['-o', other])
    const wrong = await runCli(['verify', ciphertext, '--pub', publicKey, '--identity', other, '--json'])
    expect(wrong.exitCode).toBe(2)
    expect(parseJson<{error: {code: string}}>(wrong).error.code).toBe('E_IDENTITY_MISMATCH')

    const notKey = join(work, 'recipient.txt')
    const recipientOf = (await execa('age-keygen', ['-y', identity])).stdout.trim()
    await writeFile(notKey, `${recipientOf}\n`, {mode: 0o600})
    const bad = await runCli(['verify', ciphertext, '--pub', publicKey, '--identity', notKey])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('is not an age identity')
    // The message names the line, never its content.
    expect(bad.stderr).not.toContain(recipientOf)
  })
})
