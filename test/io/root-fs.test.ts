import {execa} from 'execa'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {contentsTarget} from '../../src/collectors/runners/phi-walk.js'
import {decodeEscapedName, encodeName} from '../../src/io/byte-names.js'
import {readRegularFileBounded, readSystemFile, resolveInRoot} from '../../src/io/root-fs.js'
import {makeTempDir} from '../helpers/temp.js'

describe('resolveInRoot (security H2)', () => {
  it('resolves absolute and climbing links below the root, never above it', async () => {
    const root = await makeTempDir('hipaa-ir-rootfs-')
    await mkdir(join(root, 'usr/share/zoneinfo/Europe'), {recursive: true})
    await mkdir(join(root, 'etc'), {recursive: true})
    await symlink('/usr/share/zoneinfo/Europe', join(root, 'etc/zones'))
    await symlink('../../../../../../etc', join(root, 'usr/up'))
    expect(resolveInRoot(root, '/etc/zones/Paris').host).toBe(join(root, 'usr/share/zoneinfo/Europe/Paris'))
    expect(resolveInRoot(root, '/usr/up/zones').host).toBe(join(root, 'usr/share/zoneinfo/Europe'))
    expect(resolveInRoot(root, '/missing/../../../../etc/passwd').host).toBe(join(root, 'etc/passwd'))
    expect(resolveInRoot(root, '/etc/zones', true)).toEqual({host: join(root, 'etc/zones'), links: []})
    expect(resolveInRoot(root, '/etc/zones/x').links).toEqual(['/etc/zones -> /usr/share/zoneinfo/Europe'])
  })

  it('reports a link loop instead of following it', async () => {
    const root = await makeTempDir('hipaa-ir-rootfs-')
    await mkdir(join(root, 'etc'))
    await symlink('/etc/hostname', join(root, 'etc/hostname'))
    expect(resolveInRoot(root, '/etc/hostname').problem).toBe('too many levels of symbolic links')
    expect(() => readSystemFile(root, '/etc/hostname', 64)).toThrow('/etc/hostname: too many levels of symbolic links')
  })
})

describe('bounded reads of single files (security L7)', () => {
  it('refuses a FIFO without blocking, a device without reading it, and a file above the bound', async () => {
    const dir = await makeTempDir('hipaa-ir-rootfs-')
    await execa('mkfifo', [join(dir, 'fifo')])
    expect(() => readRegularFileBounded(join(dir, 'fifo'), 64)).toThrow('is not a regular file')
    expect(() => readRegularFileBounded('/dev/zero', 64)).toThrow('is not a regular file')
    await writeFile(join(dir, 'big'), 'x'.repeat(65))
    expect(() => readRegularFileBounded(join(dir, 'big'), 64)).toThrow('is larger than 64 bytes')
    await writeFile(join(dir, 'ok'), 'host\n')
    expect(readRegularFileBounded(join(dir, 'ok'), 64).toString()).toBe('host\n')
  })
})

describe('byte names (security M7)', () => {
  it('keeps UTF-8 names as they are and escapes other bytes losslessly', () => {
    expect(encodeName(Buffer.from('caf\u00e9\\x.txt'))).toEqual({text: 'caf\u00e9\\x.txt'})
    const a = encodeName(Buffer.from('latin1-\xff\xfe', 'latin1'))
    const b = encodeName(Buffer.from('latin1-\xfe\xff', 'latin1'))
    expect(a).toEqual({encoding: 'escaped', text: 'latin1-\\xff\\xfe'})
    expect(b).toEqual({encoding: 'escaped', text: 'latin1-\\xfe\\xff'})
    const mixed = Buffer.concat([Buffer.from('a\\b-\u00e9-'), Buffer.from([0xc3, 0x28, 0xff])])
    const encoded = encodeName(mixed)
    expect(encoded).toEqual({encoding: 'escaped', text: 'a\\\\b-\u00e9-\\xc3(\\xff'})
    expect(decodeEscapedName(encoded.text).equals(mixed)).toBe(true)
  })
})

describe('--include-contents copy targets (security L4)', () => {
  it('stay below contents/', () => {
    expect(contentsTarget('/b/phi-files/contents', Buffer.from('/var/data/phi/x'))).toBe('/b/phi-files/contents/var/data/phi/x')
    expect(() => contentsTarget('/b/phi-files/contents', Buffer.from('/../../etc/x'))).toThrow('not copied')
    expect(() => contentsTarget('/b/phi-files/contents', Buffer.from('/var//x'))).toThrow('not copied')
    expect(() => contentsTarget('/b/phi-files/contents', Buffer.from('var/x'))).toThrow('not copied')
  })
})
