import {execa} from 'execa'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, test} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {encryptFileToRecipients, validateRecipients} from '../../src/integrity/age.js'
import {makeTempDir} from '../helpers/temp.js'

describe('age encryption', () => {
  test('stock `age -d -i KEY` decrypts what hipaa-ir encrypts (two recipients, several 64 KiB chunks)', async () => {
    const dir = await makeTempDir('hipaa-ir-age-')
    const recipients: string[] = []
    for (const name of ['a', 'b']) {
      await execa('age-keygen', ['-o', join(dir, `${name}.key`)])
      recipients.push((await execa('age-keygen', ['-y', join(dir, `${name}.key`)])).stdout.trim())
    }
    const plain = join(dir, 'bundle.tar.gz')
    const content = Buffer.alloc(300_000, 0).map((_byte, index) => (index * 31) % 251)
    await writeFile(plain, content)
    await encryptFileToRecipients(plain, `${plain}.age`, recipients)
    expect((await stat(`${plain}.age`)).mode & 0o777).toBe(0o600)
    for (const name of ['a', 'b']) {
      const out = join(dir, `out-${name}`)
      await execa('age', ['-d', '-i', join(dir, `${name}.key`), '-o', out, `${plain}.age`])
      expect((await readFile(out)).equals(content)).toBe(true)
    }
    await expect(encryptFileToRecipients(plain, `${plain}.age`, recipients)).rejects.toThrow(/EEXIST/)
  })

  test('anything but an age X25519 recipient is a usage error', () => {
    expect(() => validateRecipients([])).toThrow(UsageError)
    expect(() => validateRecipients(['ssh-ed25519 AAAA'])).toThrow(/not an age X25519 recipient/)
    expect(() => validateRecipients(['AGE-SECRET-KEY-1QQQ'])).toThrow(/secret identity/)
    // Right shape, wrong bech32 checksum.
    expect(() => validateRecipients([`age1${'q'.repeat(58)}`])).toThrow(UsageError)
  })

  test('the ciphertext is 0600 whatever the umask (security L6)', async () => {
    const dir = await makeTempDir('hipaa-ir-age-umask-')
    await execa('age-keygen', ['-o', join(dir, 'k.key')])
    const recipient = (await execa('age-keygen', ['-y', join(dir, 'k.key')])).stdout.trim()
    await writeFile(join(dir, 'plain'), 'evidence')
    const old = process.umask(0o777)
    try {
      await encryptFileToRecipients(join(dir, 'plain'), join(dir, 'plain.age'), [recipient])
    } finally {
      process.umask(old)
    }
    expect((await stat(join(dir, 'plain.age'))).mode & 0o7777).toBe(0o600)
  })
})
