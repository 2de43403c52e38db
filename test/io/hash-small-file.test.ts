import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {lstatSync} from 'node:fs'
import {rename, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {hashRegularFileSafely, hashSmallRegularFileSync, SYNC_HASH_MAX_BYTES} from '../../src/io/evidence-fs.js'
import {makeTempDir} from '../helpers/temp.js'

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')
const ids = (path: string) => {
  const {dev, ino} = lstatSync(path)
  return {dev, ino}
}

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-hash-small-')
})

// The PHI walk hashes small files synchronously (the ransomware case: every file changed); the
// synchronous path must refuse exactly what the asynchronous one refuses and hash the same bytes.
describe('hashSmallRegularFileSync', () => {
  it('hashes empty, small and exactly-the-limit files like hashRegularFileSafely, one read buffer or several', async () => {
    for (const [name, bytes] of [['empty', Buffer.alloc(0)], ['small', Buffer.from('MRN 0001 visit note\n')], ['limit', Buffer.alloc(SYNC_HASH_MAX_BYTES, 7)]] as const) {
      const path = join(work, name)
      await writeFile(path, bytes)
      const result = hashSmallRegularFileSync(path, ids(path))
      expect(result, name).toEqual({sha256: sha(bytes), size: bytes.length})
      expect(result).toEqual(await hashRegularFileSafely(path, ids(path)))
    }
  })

  it('reads nothing and returns undefined above the limit, so the caller streams it instead', async () => {
    const path = join(work, 'large')
    await writeFile(path, Buffer.alloc(SYNC_HASH_MAX_BYTES + 1, 1))
    expect(hashSmallRegularFileSync(path, ids(path))).toBeUndefined()
    expect(hashSmallRegularFileSync(path, ids(path), 10)).toBeUndefined()
  })

  it('accepts a path given as bytes that are not UTF-8', async () => {
    const name = Buffer.concat([Buffer.from(`${work}/latin1-`), Buffer.from([0xff, 0xfe])])
    await writeFile(name, 'x')
    const {dev, ino} = lstatSync(name)
    expect(hashSmallRegularFileSync(name, {dev, ino})).toEqual({sha256: sha('x'), size: 1})
  })

  it('refuses a file replaced since it was listed (another inode), a link and a FIFO, never blocking', async () => {
    const path = join(work, 'listed')
    await writeFile(path, 'before')
    const listed = ids(path)
    await writeFile(join(work, 'other'), 'planted')
    await rename(join(work, 'other'), path)
    expect(() => hashSmallRegularFileSync(path, listed)).toThrow(expect.objectContaining({code: 'ECHANGED'}))

    const link = join(work, 'link')
    await symlink('/etc/passwd', link)
    expect(() => hashSmallRegularFileSync(link, ids(link))).toThrow(expect.objectContaining({code: 'ELOOP'}))

    const fifo = join(work, 'fifo')
    await execa('mkfifo', [fifo])
    expect(() => hashSmallRegularFileSync(fifo, ids(fifo))).toThrow(expect.objectContaining({code: 'ECHANGED'}))
  })
})
