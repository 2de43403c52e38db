import {execa} from 'execa'
import fc from 'fast-check'
import {open, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import {ed25519Sign, ed25519Verify} from '../../src/integrity/ed25519.js'
import {IN_MEMORY_BYTES, ed25519SignFile, ed25519SignFileStreaming, ed25519VerifyFile, ed25519VerifyFileStreaming} from '../../src/integrity/ed25519-file.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'
import {newKeyPair} from '../../src/integrity/signify-keys.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-ed25519-file-')
})

describe('Ed25519 over a file, streamed', () => {
  test('gives the same signature as the in-memory signer for any message, and each verifies the other', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({maxLength: 3000}), fc.boolean(), async (message, tamper) => {
        const pair = newKeyPair()
        const path = join(dir, `m${n++}`)
        await writeFile(path, message)
        const streamed = await ed25519SignFileStreaming(path, pair.secretKey)
        expect(Buffer.from(streamed).toString('hex')).toBe(Buffer.from(ed25519Sign(message, pair.secretKey)).toString('hex'))
        expect(await ed25519VerifyFileStreaming(path, streamed, pair.publicKey)).toBe(true)
        if (tamper) {
          const changed = Uint8Array.from(streamed)
          changed[n % 64] = (changed[n % 64] as number) ^ 1
          expect(await ed25519VerifyFileStreaming(path, changed, pair.publicKey)).toBe(ed25519Verify(message, changed, pair.publicKey))
          expect(await ed25519VerifyFileStreaming(path, changed, pair.publicKey)).toBe(false)
        }
      }),
      {numRuns: 60},
    )
  })

  test('refuses a signature whose S is not reduced, a wrong key and garbage lengths', async () => {
    const pair = newKeyPair()
    const path = join(dir, 'plain')
    await writeFile(path, 'evidence')
    const good = await ed25519SignFileStreaming(path, pair.secretKey)
    const unreduced = Uint8Array.from(good)
    unreduced.fill(0xff, 32)
    expect(await ed25519VerifyFileStreaming(path, unreduced, pair.publicKey)).toBe(false)
    expect(await ed25519VerifyFileStreaming(path, good, newKeyPair().publicKey)).toBe(false)
    expect(await ed25519VerifyFileStreaming(path, good.subarray(0, 63), pair.publicKey)).toBe(false)
    expect(await ed25519VerifyFileStreaming(path, good, new Uint8Array(32).fill(0xff))).toBe(false)
  })

  test(
    `a file over ${IN_MEMORY_BYTES / 1024 / 1024} MiB is signed streamed, and stock signify-openbsd verifies it`,
    async () => {
      const path = join(dir, 'large.tar.gz')
      const handle = await open(path, 'w')
      const block = Buffer.alloc(1024 * 1024)
      for (let i = 0; i <= IN_MEMORY_BYTES / block.length; i++) {
        block.fill(i % 251)
        await handle.write(block)
      }
      await handle.close()
      const signer = createOneTimeSigner('LARGE-1')
      const sigPath = `${path}.sig`
      await writeFile(sigPath, await signer.signFile(path, 'large file'))
      const pub = join(dir, 'large.pub')
      await writeFile(pub, signer.publicKeyText)
      const result = await execa('signify-openbsd', ['-V', '-q', '-p', pub, '-m', path, '-x', sigPath], {reject: false})
      expect(result.exitCode).toBe(0)

      // And our own check agrees, then notices one changed byte.
      const pair = newKeyPair()
      const signature = await ed25519SignFile(path, pair.secretKey)
      expect(await ed25519VerifyFile(path, signature, pair.publicKey)).toBe(true)
      const writer = await open(path, 'r+')
      await writer.write(Buffer.from([1]), 0, 1, IN_MEMORY_BYTES - 5)
      await writer.close()
      expect(await ed25519VerifyFile(path, signature, pair.publicKey)).toBe(false)
      const refused = await execa('signify-openbsd', ['-V', '-q', '-p', pub, '-m', path, '-x', sigPath], {reject: false})
      expect(refused.exitCode).not.toBe(0)
    },
    120_000,
  )
})
