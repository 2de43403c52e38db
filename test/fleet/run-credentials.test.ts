import {stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {removeRunCredentials} from '../../src/fleet/host-step.js'
import {makeTempDir} from '../helpers/temp.js'

describe('fleet host step: the S3 credentials file is removed when the step ends', () => {
  it('removes exactly the run\'s .s3-credentials-RUN file named by AWS_SHARED_CREDENTIALS_FILE, nothing else', async () => {
    const dir = await makeTempDir('hipaa-ir-run-creds-')
    const mine = join(dir, '.s3-credentials-R1')
    const other = join(dir, 'credentials')
    await writeFile(mine, '[default]\naws_secret_access_key = x\n', {mode: 0o600})
    await writeFile(other, 'keep', {mode: 0o600})
    expect(await removeRunCredentials('R1', {AWS_SHARED_CREDENTIALS_FILE: mine})).toBe(true)
    await expect(stat(mine)).rejects.toMatchObject({code: 'ENOENT'})
    expect(await removeRunCredentials('R1', {AWS_SHARED_CREDENTIALS_FILE: other})).toBe(false)
    expect(await removeRunCredentials('R2', {AWS_SHARED_CREDENTIALS_FILE: join(dir, '.s3-credentials-R1')})).toBe(false)
    expect(await removeRunCredentials('R1', {})).toBe(false)
    expect((await stat(other)).isFile()).toBe(true)
  })
})
