import {execa} from 'execa'
import {chmod, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {type BundleFixture, buildBundle} from './helpers/bundle-fixture.js'
import {makeTempDir} from '../helpers/temp.js'

/** oclif wraps error lines and prefixes them with ›; this joins them back. */
const flat = (text: string): string => text.replaceAll(/\s*›\s*/g, ' ').replaceAll(/\s+/g, ' ')

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-cmd-')
})

describe('keys generate', () => {
  test('writes NAME.sec 0600 and NAME.pub that signify-openbsd uses, and never overwrites', async () => {
    const result = await runCli(['keys', 'generate', '--out-dir', join(dir, 'keys'), '--name', 'examiner', '--json'])
    expect(result.exitCode).toBe(0)
    const json = parseJson<{fingerprint: string; passphrase: string; secretKey: string}>(result)
    expect(json.passphrase).toBe('none')
    expect(result.stdout).not.toMatch(/RWR/) // no key material in the output
    expect((await stat(join(dir, 'keys/examiner.sec'))).mode & 0o777).toBe(0o600)
    await writeFile(join(dir, 'm'), 'message')
    await execa('signify-openbsd', ['-S', '-s', join(dir, 'keys/examiner.sec'), '-m', join(dir, 'm')])
    await execa('signify-openbsd', ['-V', '-p', join(dir, 'keys/examiner.pub'), '-m', join(dir, 'm')])

    const before = await readFile(join(dir, 'keys/examiner.sec'), 'utf8')
    const again = await runCli(['keys', 'generate', '--out-dir', join(dir, 'keys'), '--name', 'examiner'])
    expect(again.exitCode).toBe(2)
    expect(flat(again.stderr)).toMatch(/already exists; keys are never overwritten/)
    expect(await readFile(join(dir, 'keys/examiner.sec'), 'utf8')).toBe(before)
  })

  test('under umask 0777 the folder is 0700, NAME.sec 0600 and NAME.pub 0644, each set on its open file (security L6)', async () => {
    const keys = join(dir, 'umask', 'keys')
    const result = await execa('bash', ['-c', 'umask 0777; exec "$0" "$@"', process.execPath, join(projectRoot, 'bin/run.js'), 'keys', 'generate', '--out-dir', keys, '--name', 'u'], {reject: false})
    expect(result.exitCode).toBe(0)
    expect((await stat(keys)).mode & 0o7777).toBe(0o700)
    expect((await stat(join(keys, 'u.sec'))).mode & 0o7777).toBe(0o600)
    expect((await stat(join(keys, 'u.pub'))).mode & 0o7777).toBe(0o644)
  })

  test('HIPAA_IR_PASSPHRASE protects the key; --passphrase without a terminal is a usage error', async () => {
    const result = await runCli(['keys', 'generate', '--out-dir', join(dir, 'keys'), '--name', 'pp', '--json'], {env: {HIPAA_IR_PASSPHRASE: 's3cret pass'}})
    expect(parseJson<{passphrase: string}>(result).passphrase).toBe('environment')
    expect(result.stdout).not.toContain('s3cret')
    await execa('signify-openbsd', ['-S', '-s', join(dir, 'keys/pp.sec'), '-m', join(dir, 'm'), '-x', join(dir, 'm.pp.sig')], {input: 's3cret pass\n'})
    const tty = await runCli(['keys', 'generate', '--out-dir', join(dir, 'keys'), '--name', 'tty', '--passphrase'])
    expect(tty.exitCode).toBe(2)
    expect(flat(tty.stderr)).toMatch(/needs a terminal/)
  })
})

describe('custody add and show', () => {
  let bundle: BundleFixture
  let keyPath: string
  beforeAll(async () => {
    bundle = await buildBundle({parent: dir})
    await runCli(['keys', 'generate', '--out-dir', join(dir, 'custodian'), '--name', 'alice'])
    keyPath = join(dir, 'custodian/alice.sec')
  })

  test('adds signed sidecar events linked to the in-bundle chain; show reports the whole chain intact', async () => {
    const add = await runCli(['custody', 'add', bundle.tarball, '--action', 'transferred', '--by', 'Alice', '--to', 'Counsel', '--note', 'ticket 42', '--key', keyPath, '--json'])
    expect(add.exitCode).toBe(0)
    const added = parseJson<{event: {seq: number; bundle_sha256: string}; head: string}>(add)
    expect(added.event.seq).toBe(4)
    // With --pub, keys next to the bundle are not trusted: the bundle's own key is passed too.
    const show = await runCli(['custody', 'show', bundle.tarball, '--pub', bundle.pub, '--pub', join(dir, 'custodian/alice.pub'), '--json'])
    expect(show.exitCode).toBe(0)
    const json = parseJson<{events: {action: string; file: string}[]; intact: boolean; head: {seq: number; sha256: string}}>(show)
    expect(json.intact).toBe(true)
    expect(json.events.map((event) => event.action)).toEqual(['collected', 'sealed', 'signed', 'transferred'])
    expect(json.events[3]?.file).toBe(`${bundle.name}.custody.jsonl`)
    expect(`${json.head.seq}:${json.head.sha256}`).toBe(added.head)
  })

  test('an edited sidecar line is named and exits 3; a removed last line is caught with --expect-head', async () => {
    const sidecar = join(bundle.dir, `${bundle.name}.custody.jsonl`)
    await runCli(['custody', 'add', bundle.tarball, '--action', 'accessed', '--by', 'Alice', '--key', keyPath])
    const original = await readFile(sidecar, 'utf8')
    const head = parseJson<{head: {seq: number; sha256: string}}>(await runCli(['custody', 'show', bundle.tarball, '--pub', bundle.pub, '--pub', join(dir, 'custodian/alice.pub'), '--json'])).head

    await writeFile(sidecar, original.replace('ticket 42', 'ticket 43'))
    const edited = await runCli(['custody', 'show', bundle.tarball, '--pub', join(dir, 'custodian/alice.pub')])
    expect(edited.exitCode).toBe(3)
    expect(edited.stdout).toMatch(/edited|bad-signature/)

    await writeFile(sidecar, original.split('\n').slice(0, 1).join('\n') + '\n')
    const cut = await runCli(['custody', 'show', bundle.tarball, '--pub', join(dir, 'custodian/alice.pub'), '--expect-head', `${head.seq}:${head.sha256}`, '--json'])
    expect(cut.exitCode).toBe(3)
    expect(parseJson<{problems: {kind: string}[]}>(cut).problems.map((problem) => problem.kind)).toContain('truncated')
    await writeFile(sidecar, original)
  })

  test('--key checks: loose permissions give the chmod command, a public key is refused (exit 2)', async () => {
    await chmod(keyPath, 0o644)
    const loose = await runCli(['custody', 'add', bundle.tarball, '--action', 'copied', '--by', 'Alice', '--key', keyPath])
    expect(loose.exitCode).toBe(2)
    expect(flat(loose.stderr)).toContain(`chmod 600 ${keyPath}`)
    await chmod(keyPath, 0o600)
    const pub = await runCli(['custody', 'add', bundle.tarball, '--action', 'copied', '--by', 'Alice', '--key', join(dir, 'custodian/alice.pub')])
    expect(pub.exitCode).toBe(2)
    expect(flat(pub.stderr)).toMatch(/is a public key/)
    const noTo = await runCli(['custody', 'add', bundle.tarball, '--action', 'transferred', '--by', 'Alice', '--key', keyPath])
    expect(noTo.exitCode).toBe(2)
  })

  test('custody add never appends through a NAME.custody.jsonl link planted next to the bundle (security H1)', async () => {
    const other = await buildBundle({parent: await makeTempDir('hipaa-ir-sidecar-link-')})
    const victim = join(other.dir, 'created-by-root.sh')
    await writeFile(victim, '#!/bin/sh\n')
    await chmod(victim, 0o644)
    const sidecar = join(other.dir, `${other.name}.custody.jsonl`)
    await symlink(victim, sidecar)
    const add = await runCli(['custody', 'add', other.tarball, '--action', 'copied', '--by', 'Alice', '--key', keyPath])
    expect(add.exitCode).toBe(1)
    expect(flat(add.stderr)).toContain(`${sidecar} is a symbolic link (to ${victim}): hipaa-ir never writes through a link`)
    expect(await readFile(victim, 'utf8')).toBe('#!/bin/sh\n')
    expect((await stat(victim)).mode & 0o7777).toBe(0o644)
  })
})
