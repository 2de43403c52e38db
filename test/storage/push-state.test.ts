import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {PushError} from '../../src/core/errors.js'
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
