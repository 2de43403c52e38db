import {writeFile} from 'node:fs/promises'
import {chmod, chown, mkdir, readFile, stat, symlink} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {HipaaIrError, PushError} from '../../src/core/errors.js'
import {readPushState, writePushState} from '../../src/storage/push-state.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-push-state-')
})

describe('NAME.push.json', () => {
  it('is absent before any push, and round-trips', async () => {
    const tarball = join(dir, 'IR-1_web1_20260303T000000Z.tar.gz')
    expect(await readPushState(tarball)).toBeUndefined()
    await writePushState(tarball, {bucket: 'evidence', status: 'pending'})
    expect(await readPushState(tarball)).toMatchObject({bucket: 'evidence', status: 'pending'})
  })

  it('a damaged file is named, with how to recover (exit 5), not a bare JSON error', async () => {
    const tarball = join(dir, 'IR-2_web1_20260303T000000Z.tar.gz')
    await writeFile(join(dir, 'IR-2_web1_20260303T000000Z.push.json'), '{"status": "pend')
    const error = await readPushState(tarball).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PushError)
    expect((error as PushError).exitCode).toBe(5)
    expect((error as PushError).message).toContain('IR-2_web1_20260303T000000Z.push.json is damaged')
    expect((error as PushError).suggestions?.[0]).toContain('mv ')
  })
})

describe('NAME.push.json is never read or written through a link (security H1)', () => {
  it('a planted link is refused (exit 1, naming it and its target) and the file it points at is untouched', async () => {
    const victim = join(dir, 'victim.conf')
    await writeFile(victim, '{"status": "pushed"}\n')
    await chmod(victim, 0o644)
    const tarball = join(dir, 'IR-3_web1_20260303T000000Z.tar.gz')
    const state = join(dir, 'IR-3_web1_20260303T000000Z.push.json')
    await symlink(victim, state)
    for (const attempt of [readPushState(tarball), writePushState(tarball, {status: 'pending'})]) {
      const error = await attempt.then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(HipaaIrError)
      expect((error as HipaaIrError).code).toBe('E_OUTPUT_LINK')
      expect((error as HipaaIrError).message).toContain(`${state} is a symbolic link (to ${victim})`)
    }
    expect(await readFile(victim, 'utf8')).toBe('{"status": "pushed"}\n')
    expect((await stat(victim)).mode & 0o7777).toBe(0o644)
  })

  it('a bundle folder other users can write is refused (exit 2) with what to do', async () => {
    expect(process.getuid?.(), 'chown to nobody needs root (CI runs as root)').toBe(0)
    const shared = join(dir, 'shared')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await chown(shared, 65534, 65534)
    const error = await writePushState(join(shared, 'IR-4_web1_20260303T000000Z.tar.gz'), {status: 'pending'}).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(HipaaIrError)
    expect((error as HipaaIrError).exitCode).toBe(2)
    expect((error as HipaaIrError).message).toContain(`the bundle folder ${shared} can be written by other users`)
    expect((error as HipaaIrError).suggestions.join(' ')).toMatch(/folder only you can write/)
  })
})
