import {basename} from 'node:path'

import {UsageError} from '../core/errors.js'
import {readSecretKeyFile} from './key-files.js'
import {passphraseForKey} from './passphrase.js'
import {type SignifyPublicKey, decodePublicKey, decodeSignature, encodePublicKey, encodeSignature, hex, sanitizeComment} from './signify-format.js'
import {type KeyPair, newKeyPair, openSecretKey, publicKeyOf, signDetached, signDetachedFile} from './signify-keys.js'

/** What collect, custody and push sign with. The secret key never leaves this object. */
export interface Signer {
  /** signify key number, 8 bytes. */
  readonly keynum: Uint8Array
  /** Hex of keynum: the key's name in custody lines and reports. */
  readonly fingerprint: string
  /** True for a key made for one case and thrown away: it proves integrity, not origin. */
  readonly oneTime: boolean
  /** The matching `.pub` file content (signify format). */
  readonly publicKeyText: string
  /** Returns signify `.sig` file content for the message (a detached signature). */
  sign(message: Uint8Array, comment?: string): string
  /** The same for a file's bytes, with flat memory however large the file. */
  signFile(path: string, comment?: string): Promise<string>
}

function makeSigner(keyPair: KeyPair, publicComment: string, defaultSigComment: string, oneTime: boolean): Signer {
  const fingerprint = hex(keyPair.keynum)
  return {
    fingerprint,
    keynum: keyPair.keynum,
    oneTime,
    publicKeyText: encodePublicKey(publicKeyOf(keyPair, publicComment)),
    sign(message: Uint8Array, comment?: string): string {
      return encodeSignature(signDetached(message, keyPair, sanitizeComment(comment ?? defaultSigComment)))
    },
    async signFile(path: string, comment?: string): Promise<string> {
      return encodeSignature(await signDetachedFile(path, keyPair, sanitizeComment(comment ?? defaultSigComment)))
    },
  }
}

/**
 * Loads a signify secret key for signing. Exit 2 (UsageError) when the file is group/world-accessible
 * (the message gives `chmod 600 FILE`), is a public key, is malformed, or the passphrase is wrong.
 * Passphrase-protected keys read HIPAA_IR_PASSPHRASE or ask on the terminal.
 */
export async function loadSigner(secretKeyPath: string): Promise<Signer> {
  const file = await readSecretKeyFile(secretKeyPath)
  const passphrase = file.rounds === 0 ? undefined : await passphraseForKey(secretKeyPath)
  const opened = openSecretKey(file, passphrase)
  if (!opened.ok) {
    const message =
      opened.reason === 'inconsistent'
        ? `${secretKeyPath} is damaged: its public half does not match its secret half`
        : file.rounds === 0
          ? `${secretKeyPath} is damaged: its checksum does not match`
          : `wrong passphrase for ${secretKeyPath} (checksum mismatch)`
    throw new UsageError(message, {code: opened.reason === 'checksum' && file.rounds > 0 ? 'E_PASSPHRASE' : 'E_KEY_MALFORMED'})
  }
  const base = basename(secretKeyPath).replace(/\.sec$/, '')
  const publicComment = file.comment.endsWith(' secret key') ? file.comment.replace(/ secret key$/, ' public key') : `${base} public key`
  return makeSigner(opened.keyPair, publicComment, `verify with ${base}.pub`, false)
}

/**
 * A fresh key pair for one case, kept only in memory. Collect writes its public key next to the
 * bundle and warns that it proves integrity (nothing changed since signing) but not origin.
 */
export function createOneTimeSigner(caseId: string): Signer {
  const label = sanitizeComment(`hipaa-ir one-time key for case ${caseId}`)
  return makeSigner(newKeyPair(), `${label} public key`, `verify with the ${label}`, true)
}

/** The raw 64-byte Ed25519 signature a signer makes over a message (custody lines carry it in base64). */
export function signRaw(signer: Signer, message: Uint8Array): Uint8Array {
  return decodeSignature(signer.sign(message)).signature
}

/** The signer's public key, decoded from its `.pub` text. */
export function signerPublicKey(signer: Signer): SignifyPublicKey {
  return decodePublicKey(signer.publicKeyText)
}
