import bcryptPbkdf from 'bcrypt-pbkdf'
import {randomBytes} from 'node:crypto'
import nacl from 'tweetnacl'

import {ed25519Sign, ed25519Verify} from './ed25519.js'
import {ed25519SignFile, ed25519VerifyFile} from './ed25519-file.js'
import {
  type SignifyPublicKey,
  type SignifySecretKeyFile,
  type SignifySignature,
  KEYNUM_BYTES,
  sameBytes,
  secretKeyChecksum,
} from './signify-format.js'

/** signify's bcrypt_pbkdf rounds for a passphrase-protected key. */
export const SIGNIFY_KDF_ROUNDS = 42
/** More bcrypt rounds than any genuine key asks for; a key file asking for more is refused unread. */
export const MAX_KDF_ROUNDS = 1024
const SALT_BYTES = 16

/** A usable Ed25519 key pair with its signify key number. */
export interface KeyPair {
  keynum: Uint8Array
  publicKey: Uint8Array
  /** tweetnacl's 64-byte secret key (seed | public key), the same bytes signify stores. */
  secretKey: Uint8Array
}

export type OpenSecretKeyResult = {keyPair: KeyPair; ok: true} | {ok: false; reason: 'checksum' | 'inconsistent'}

export function newKeyPair(): KeyPair {
  const pair = nacl.sign.keyPair()
  return {keynum: new Uint8Array(randomBytes(KEYNUM_BYTES)), publicKey: pair.publicKey, secretKey: pair.secretKey}
}

/** bcrypt_pbkdf as signify uses it; rounds 0 yields zeros (XOR is then a no-op). */
function derivedXorKey(passphrase: string | undefined, salt: Uint8Array, rounds: number, length: number): Uint8Array {
  const key = new Uint8Array(length)
  if (rounds === 0) return key
  if (rounds > MAX_KDF_ROUNDS) throw new Error(`${rounds} bcrypt rounds is over the ${MAX_KDF_ROUNDS} a genuine key asks for`)
  if (passphrase === undefined || passphrase === '') throw new Error('a passphrase is required for this key')
  const pass = new Uint8Array(Buffer.from(passphrase, 'utf8'))
  bcryptPbkdf.pbkdf(pass, pass.length, salt, salt.length, key, length, rounds)
  pass.fill(0)
  return key
}

function xor(data: Uint8Array, key: Uint8Array): Uint8Array {
  return data.map((value, index) => value ^ (key[index] ?? 0))
}

/** Builds the secret-key file content for a key pair: sealed with a passphrase, or plain when none is given. */
export function sealSecretKey(keyPair: KeyPair, passphrase: string | undefined, comment: string): SignifySecretKeyFile {
  const rounds = passphrase === undefined ? 0 : SIGNIFY_KDF_ROUNDS
  const salt = new Uint8Array(randomBytes(SALT_BYTES))
  const xorKey = derivedXorKey(passphrase, salt, rounds, keyPair.secretKey.length)
  const sealedKey = xor(keyPair.secretKey, xorKey)
  xorKey.fill(0)
  return {checksum: secretKeyChecksum(keyPair.secretKey), comment, keynum: keyPair.keynum, rounds, salt, sealedKey}
}

/** Recovers the key pair; `checksum` means a wrong passphrase (or a damaged key). */
export function openSecretKey(file: SignifySecretKeyFile, passphrase: string | undefined): OpenSecretKeyResult {
  const xorKey = derivedXorKey(passphrase, file.salt, file.rounds, file.sealedKey.length)
  const secretKey = xor(file.sealedKey, xorKey)
  xorKey.fill(0)
  if (!sameBytes(secretKeyChecksum(secretKey), file.checksum)) {
    secretKey.fill(0)
    return {ok: false, reason: 'checksum'}
  }
  // tweetnacl's secret key is seed | public key: the public half must be the seed's.
  const derived = nacl.sign.keyPair.fromSeed(secretKey.subarray(0, 32))
  if (!sameBytes(derived.publicKey, secretKey.subarray(32))) return {ok: false, reason: 'inconsistent'}
  return {keyPair: {keynum: file.keynum, publicKey: derived.publicKey, secretKey}, ok: true}
}

export function publicKeyOf(keyPair: KeyPair, comment: string): SignifyPublicKey {
  return {comment, keynum: keyPair.keynum, publicKey: keyPair.publicKey}
}

export function signDetached(message: Uint8Array, keyPair: KeyPair, comment: string): SignifySignature {
  return {comment, keynum: keyPair.keynum, signature: ed25519Sign(message, keyPair.secretKey)}
}

/** signDetached over a file's bytes, with flat memory however large the file (see ed25519-file.ts). */
export async function signDetachedFile(path: string, keyPair: KeyPair, comment: string): Promise<SignifySignature> {
  return {comment, keynum: keyPair.keynum, signature: await ed25519SignFile(path, keyPair.secretKey)}
}

export type SignatureCheck = 'ok' | 'wrong-key' | 'bad-signature'

/** Checks a detached signature: `wrong-key` when the key numbers differ (signify's "checked against wrong key"). */
export function checkSignature(message: Uint8Array, signature: SignifySignature, key: SignifyPublicKey): SignatureCheck {
  if (!sameBytes(signature.keynum, key.keynum)) return 'wrong-key'
  return ed25519Verify(message, signature.signature, key.publicKey) ? 'ok' : 'bad-signature'
}

/** checkSignature over a file's bytes, with flat memory however large the file. */
export async function checkSignatureFile(path: string, signature: SignifySignature, key: SignifyPublicKey): Promise<SignatureCheck> {
  if (!sameBytes(signature.keynum, key.keynum)) return 'wrong-key'
  return (await ed25519VerifyFile(path, signature.signature, key.publicKey)) ? 'ok' : 'bad-signature'
}
