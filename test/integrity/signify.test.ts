import {execa} from 'execa'
import {chmod, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import nacl from 'tweetnacl'

import {UsageError} from '../../src/core/errors.js'
import {ed25519Sign, ed25519Verify} from '../../src/integrity/ed25519.js'
import {writeKeyPairFiles} from '../../src/integrity/key-files.js'
import {createOneTimeSigner, loadSigner} from '../../src/integrity/signer.js'
import {decodePublicKey, decodeSecretKeyFile, decodeSignature, encodePublicKey, encodeSecretKeyFile, encodeSignature} from '../../src/integrity/signify-format.js'
import {checkSignature, newKeyPair, openSecretKey, sealSecretKey} from '../../src/integrity/signify-keys.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-signify-')
})

async function signifyVerify(pub: string, message: string, sig: string): Promise<number> {
  const result = await execa('signify-openbsd', ['-V', '-q', '-p', pub, '-m', message, '-x', sig], {reject: false})
  return result.exitCode ?? 1
}

describe('signify formats', () => {
  test('public key, secret key and signature encode and decode to the same bytes', () => {
    const pair = newKeyPair()
    const pub = decodePublicKey(encodePublicKey({comment: 'x public key', keynum: pair.keynum, publicKey: pair.publicKey}))
    expect(pub.keynum).toEqual(pair.keynum)
    expect(pub.publicKey).toEqual(pair.publicKey)
    const sealed = sealSecretKey(pair, undefined, 'x secret key')
    const reopened = openSecretKey(decodeSecretKeyFile(encodeSecretKeyFile(sealed)), undefined)
    expect(reopened.ok && reopened.keyPair.secretKey).toEqual(pair.secretKey)
    const sig = decodeSignature(encodeSignature({comment: 'c', keynum: pair.keynum, signature: new Uint8Array(64).fill(7)}))
    expect(sig.signature).toEqual(new Uint8Array(64).fill(7))
  })

  test('a public key is refused where a signature or secret key is expected, and says what it is', () => {
    const pair = newKeyPair()
    const text = encodePublicKey({comment: 'k', keynum: pair.keynum, publicKey: pair.publicKey})
    expect(() => decodeSecretKeyFile(text)).toThrow(/public key, not a secret key/)
    expect(() => decodeSignature(text)).toThrow(/public key, not a signature/)
    expect(() => decodePublicKey('no comment\nAAAA\n')).toThrow(/untrusted comment/)
  })

  test('the native Ed25519 signer makes exactly the signatures tweetnacl makes, and each verifies the other', () => {
    const pair = newKeyPair()
    const message = new TextEncoder().encode('same bytes either way')
    const native = ed25519Sign(message, pair.secretKey)
    expect(native).toEqual(nacl.sign.detached(message, pair.secretKey))
    expect(nacl.sign.detached.verify(message, native, pair.publicKey)).toBe(true)
    expect(ed25519Verify(message, native, pair.publicKey)).toBe(true)
    expect(ed25519Verify(message, native.map((byte, index) => (index === 5 ? byte ^ 1 : byte)), pair.publicKey)).toBe(false)
  })

  test('a signature made with another key is wrong-key; a changed message is bad-signature', () => {
    const signer = createOneTimeSigner('C1')
    const other = createOneTimeSigner('C2')
    const message = new TextEncoder().encode('evidence')
    const sig = decodeSignature(signer.sign(message))
    expect(checkSignature(message, sig, decodePublicKey(signer.publicKeyText))).toBe('ok')
    expect(checkSignature(message, sig, decodePublicKey(other.publicKeyText))).toBe('wrong-key')
    expect(checkSignature(new TextEncoder().encode('evidencE'), sig, decodePublicKey(signer.publicKeyText))).toBe('bad-signature')
  })
})

describe('interoperability with signify-openbsd', () => {
  test('signify-openbsd -V accepts our signatures (one-time key and passphrase key)', async () => {
    const message = join(dir, 'msg')
    await writeFile(message, 'SHA256SUMS content\n')
    const oneTime = createOneTimeSigner('IR-1')
    await writeFile(join(dir, 'one.pub'), oneTime.publicKeyText)
    await writeFile(`${message}.sig`, oneTime.sign(await readFile(message)))
    expect(await signifyVerify(join(dir, 'one.pub'), message, `${message}.sig`)).toBe(0)

    await writeKeyPairFiles(dir, 'pp', newKeyPair(), 'correct horse')
    process.env.HIPAA_IR_PASSPHRASE = 'correct horse'
    try {
      const signer = await loadSigner(join(dir, 'pp.sec'))
      await writeFile(join(dir, 'msg.pp.sig'), signer.sign(await readFile(message)))
      expect(await signifyVerify(join(dir, 'pp.pub'), message, join(dir, 'msg.pp.sig'))).toBe(0)
    } finally {
      delete process.env.HIPAA_IR_PASSPHRASE
    }
    // signify itself opens our passphrase key and signs with it.
    await execa('signify-openbsd', ['-S', '-s', join(dir, 'pp.sec'), '-m', message, '-x', join(dir, 'msg.by-signify.sig')], {input: 'correct horse\n'})
    expect(await signifyVerify(join(dir, 'pp.pub'), message, join(dir, 'msg.by-signify.sig'))).toBe(0)
  })

  test('signify-openbsd -V rejects our signature over a changed message and with another key', async () => {
    const signer = createOneTimeSigner('IR-2')
    await writeFile(join(dir, 'm2'), 'one')
    await writeFile(join(dir, 'm2.sig'), signer.sign(new TextEncoder().encode('two')))
    await writeFile(join(dir, 'm2.pub'), signer.publicKeyText)
    expect(await signifyVerify(join(dir, 'm2.pub'), join(dir, 'm2'), join(dir, 'm2.sig'))).not.toBe(0)
    await writeFile(join(dir, 'other.pub'), createOneTimeSigner('x').publicKeyText)
    await writeFile(join(dir, 'm2.sig'), signer.sign(new TextEncoder().encode('one')))
    expect(await signifyVerify(join(dir, 'other.pub'), join(dir, 'm2'), join(dir, 'm2.sig'))).not.toBe(0)
  })

  test('keys made by signify-openbsd -G load in hipaa-ir, with and without a passphrase', async () => {
    await execa('signify-openbsd', ['-G', '-n', '-p', join(dir, 'sn.pub'), '-s', join(dir, 'sn.sec')])
    await execa('signify-openbsd', ['-G', '-p', join(dir, 'sp.pub'), '-s', join(dir, 'sp.sec')], {input: 'hunter2 hunter2\nhunter2 hunter2\n'})
    const message = new TextEncoder().encode('bundle bytes')
    const plain = await loadSigner(join(dir, 'sn.sec'))
    expect(checkSignature(message, decodeSignature(plain.sign(message)), decodePublicKey(await readFile(join(dir, 'sn.pub'), 'utf8')))).toBe('ok')
    expect(plain.publicKeyText.split('\n')[1]).toBe((await readFile(join(dir, 'sn.pub'), 'utf8')).split('\n')[1])

    process.env.HIPAA_IR_PASSPHRASE = 'hunter2 hunter2'
    try {
      const protectedSigner = await loadSigner(join(dir, 'sp.sec'))
      expect(protectedSigner.oneTime).toBe(false)
      expect(checkSignature(message, decodeSignature(protectedSigner.sign(message)), decodePublicKey(await readFile(join(dir, 'sp.pub'), 'utf8')))).toBe('ok')
      process.env.HIPAA_IR_PASSPHRASE = 'wrong'
      await expect(loadSigner(join(dir, 'sp.sec'))).rejects.toThrow(/wrong passphrase .*checksum mismatch/)
    } finally {
      delete process.env.HIPAA_IR_PASSPHRASE
    }
  })
})

describe('loading a secret key', () => {
  test('a group- or world-readable secret key is refused with the exact chmod command (exit 2)', async () => {
    await writeKeyPairFiles(dir, 'loose', newKeyPair(), undefined)
    const path = join(dir, 'loose.sec')
    for (const mode of [0o640, 0o604, 0o644]) {
      await chmod(path, mode)
      const error = await loadSigner(path).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(UsageError)
      expect((error as UsageError).exitCode).toBe(2)
      expect((error as UsageError).suggestions).toContain(`chmod 600 ${path}`)
    }
    await chmod(path, 0o600)
    await expect(loadSigner(path)).resolves.toMatchObject({oneTime: false})
  })

  test('a public key where a secret key is needed, a malformed key and a missing file are usage errors', async () => {
    await writeKeyPairFiles(dir, 'mixed', newKeyPair(), undefined)
    await chmod(join(dir, 'mixed.pub'), 0o600)
    await expect(loadSigner(join(dir, 'mixed.pub'))).rejects.toThrow(/is a public key; --key needs the secret key/)
    await writeFile(join(dir, 'junk.sec'), 'untrusted comment: x\nnot base64!\n', {mode: 0o600})
    await expect(loadSigner(join(dir, 'junk.sec'))).rejects.toThrow(UsageError)
    await expect(loadSigner(join(dir, 'absent.sec'))).rejects.toThrow(/no such file/)
  })

  test('a passphrase key without HIPAA_IR_PASSPHRASE and without a terminal says how to supply it', async () => {
    await writeKeyPairFiles(dir, 'needs-pass', newKeyPair(), 'pw')
    delete process.env.HIPAA_IR_PASSPHRASE
    await expect(loadSigner(join(dir, 'needs-pass.sec'))).rejects.toThrow(/passphrase-protected/)
  })

  test('keys are never overwritten', async () => {
    await writeKeyPairFiles(dir, 'once', newKeyPair(), undefined)
    const before = await readFile(join(dir, 'once.sec'), 'utf8')
    await expect(writeKeyPairFiles(dir, 'once', newKeyPair(), undefined)).rejects.toThrow(/already exists/)
    expect(await readFile(join(dir, 'once.sec'), 'utf8')).toBe(before)
  })
})
