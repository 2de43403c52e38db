import {mkdir, readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'

import {readBundleMember, safeExtractTarGz, UnsafeArchiveError} from '../../src/integrity/safe-extract.js'
import {type TarEntry as Entry, writeTarGz} from './helpers/tar-gz.js'
import {makeTempDir} from '../helpers/temp.js'

/** A parent folder holding only an `extract` folder: anything else in it afterwards was written outside. */
async function sandbox(): Promise<{parent: string; extractParent: string}> {
  const parent = await makeTempDir('hipaa-ir-hostile-')
  const extractParent = join(parent, 'extract')
  await mkdir(extractParent)
  return {extractParent, parent}
}

const HOSTILE: Record<string, [RegExp, (parent: string) => Entry[]]> = {
  'a ".." traversal': [/"\.\." component/, () => [{name: 'B/', type: 'directory'}, {body: 'pwned', name: 'B/../../escaped.txt'}]],
  'an absolute path': [/absolute path/, (parent) => [{name: 'B/', type: 'directory'}, {body: 'pwned', name: join(parent, 'absolute.txt')}]],
  'a symlink pointing out, then a file through it': [
    /a symlink/,
    () => [
      {name: 'B/', type: 'directory'},
      {linkname: '../..', name: 'B/link', type: 'symlink'},
      {body: 'pwned', name: 'B/link/through-link.txt'},
    ],
  ],
  'a symlink to an absolute path': [/a symlink/, (parent) => [{name: 'B/', type: 'directory'}, {linkname: parent, name: 'B/abs-link', type: 'symlink'}]],
  'a hardlink': [/a link/, () => [{name: 'B/', type: 'directory'}, {linkname: '/etc/passwd', name: 'B/hard', type: 'link'}]],
  'a character device': [/a character-device/, () => [{name: 'B/', type: 'directory'}, {devmajor: 1, devminor: 3, name: 'B/null', type: 'character-device'}]],
  'a fifo': [/a fifo/, () => [{name: 'B/', type: 'directory'}, {name: 'B/pipe', type: 'fifo'}]],
  'two top folders': [/second top folder/, () => [{body: 'x', name: 'A/one.txt'}, {body: 'y', name: 'B/two.txt'}]],
  'a file at the top level': [/outside the top folder/, () => [{body: 'x', name: 'loose.txt'}]],
  'a duplicate entry': [/appears twice/, () => [{body: 'x', name: 'B/f.txt'}, {body: 'y', name: 'B/f.txt'}]],
}

describe('safe extraction', () => {
  for (const [what, [reason, entries]] of Object.entries(HOSTILE)) {
    test(`refuses ${what} and writes nothing outside its temporary folder`, async () => {
      const {extractParent, parent} = await sandbox()
      const tarball = join(extractParent, '..', 'hostile.tar.gz')
      await writeTarGz(tarball, entries(parent))
      const error = await safeExtractTarGz(tarball, {parentDir: extractParent}).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(UnsafeArchiveError)
      expect((error as Error).message).toMatch(reason)
      expect((await readdir(parent)).sort()).toEqual(['extract', 'hostile.tar.gz'])
      expect(await readdir(extractParent)).toEqual([]) // the temporary folder was removed too
    })
  }

  test('refuses a tar bomb by entry count, per-file size and total size', async () => {
    const {extractParent} = await sandbox()
    const tarball = join(extractParent, '..', 'bomb.tar.gz')
    await writeTarGz(tarball, [{name: 'B/', type: 'directory'}, ...Array.from({length: 20}, (_, index) => ({body: 'z'.repeat(1000), name: `B/f${index}`}))])
    await expect(safeExtractTarGz(tarball, {limits: {maxEntries: 10}, parentDir: extractParent})).rejects.toThrow(/more than 10 entries/)
    await expect(safeExtractTarGz(tarball, {limits: {maxFileBytes: 500}, parentDir: extractParent})).rejects.toThrow(/per-file limit/)
    await expect(safeExtractTarGz(tarball, {limits: {maxTotalBytes: 5000}, parentDir: extractParent})).rejects.toThrow(/more than 5000 bytes/)
    expect(await readdir(extractParent)).toEqual([])
  })

  test('refuses a file that is not a gzip tarball', async () => {
    const {extractParent} = await sandbox()
    const tarball = join(extractParent, '..', 'junk.tar.gz')
    const {writeFile} = await import('node:fs/promises')
    await writeFile(tarball, 'this is not gzip')
    await expect(safeExtractTarGz(tarball, {parentDir: extractParent})).rejects.toThrow(/not a readable \.tar\.gz/)
    expect(await readdir(extractParent)).toEqual([])
  })

  test('unpacks a well-formed bundle into one private folder and reads single members without writing', async () => {
    const {extractParent} = await sandbox()
    const tarball = join(extractParent, '..', 'good.tar.gz')
    await writeTarGz(tarball, [{name: 'NAME/', type: 'directory'}, {body: 'hello', name: 'NAME/a/b.txt'}, {body: 'line\n', name: './NAME/custody.jsonl'}])
    const result = await safeExtractTarGz(tarball, {parentDir: extractParent})
    expect(result.top).toBe('NAME')
    expect((await readdir(join(result.dir, 'a'))).sort()).toEqual(['b.txt'])
    expect((await readBundleMember(tarball, 'custody.jsonl'))?.toString()).toBe('line\n')
    expect(await readBundleMember(tarball, 'absent')).toBeUndefined()
    await expect(readBundleMember(tarball, 'a/b.txt', 4)).rejects.toThrow(/a\/b\.txt .* is 5 bytes, over the 4/)
  })
})
