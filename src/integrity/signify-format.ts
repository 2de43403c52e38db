import {createHash} from 'node:crypto'

/**
 * OpenBSD signify's file formats, pure (no I/O). Every file is two lines:
 * `untrusted comment: TEXT` and the base64 of a binary blob:
 * - public key: "Ed" | keynum (8) | Ed25519 public key (32)
 * - secret key: "Ed" | "BK" | rounds (4, big-endian) | salt (16) | checksum (8) | keynum (8) | secret key (64)
 * - signature:  "Ed" | keynum (8) | Ed25519 signature (64)
 * The secret key is XORed with bcrypt_pbkdf(passphrase, salt, rounds); rounds 0 means no passphrase.
 * The checksum is the first 8 bytes of SHA-512 of the plain secret key.
 */

export const COMMENT_HEADER = 'untrusted comment: '
/** signify's own limit on the comment line. */
const COMMENT_MAX = 1024
const PKALG = 'Ed'
const KDFALG = 'BK'

export const KEYNUM_BYTES = 8
export const PUBLIC_KEY_BYTES = 42
export const SECRET_KEY_BYTES = 104
export const SIGNATURE_BYTES = 74

export interface SignifyPublicKey {
  comment: string
  keynum: Uint8Array
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array
}

export interface SignifySecretKeyFile {
  checksum: Uint8Array
  comment: string
  keynum: Uint8Array
  /** bcrypt_pbkdf rounds; 0 = not passphrase-protected. */
  rounds: number
  salt: Uint8Array
  /** The 64 secret-key bytes as stored (XORed with the derived key when rounds > 0). */
  sealedKey: Uint8Array
}

export interface SignifySignature {
  comment: string
  keynum: Uint8Array
  signature: Uint8Array
}

export type SignifyFileKind = 'public-key' | 'secret-key' | 'signature'

/** A file that is not in the expected signify format. `kind` says what it looks like instead, if anything. */
export class SignifyFormatError extends Error {
  constructor(
    message: string,
    readonly looksLike?: SignifyFileKind,
  ) {
    super(message)
    this.name = 'SignifyFormatError'
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

export function sha512(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha512').update(bytes).digest())
}

/** signify's checksum of a plain secret key. */
export function secretKeyChecksum(secretKey: Uint8Array): Uint8Array {
  return sha512(secretKey).subarray(0, 8)
}

/** Makes any text safe as a one-line comment (no line breaks, signify's length limit). */
export function sanitizeComment(comment: string): string {
  return comment.replaceAll(/[\r\n]+/g, ' ').slice(0, COMMENT_MAX - COMMENT_HEADER.length - 1)
}

function frame(comment: string, blob: Uint8Array): string {
  return `${COMMENT_HEADER}${sanitizeComment(comment)}\n${Buffer.from(blob).toString('base64')}\n`
}

/** Splits a signify file into its comment and decoded blob, or says what is wrong. */
function unframe(text: string, what: string): {blob: Uint8Array; comment: string} {
  const lines = text.split('\n')
  const first = lines[0] ?? ''
  if (!first.startsWith(COMMENT_HEADER)) {
    throw new SignifyFormatError(`${what}: the first line must start with "${COMMENT_HEADER.trim()}"`)
  }
  if (first.length > COMMENT_MAX) throw new SignifyFormatError(`${what}: the comment line is longer than ${COMMENT_MAX} bytes`)
  const encoded = (lines[1] ?? '').trim()
  // Anything after the base64 line other than one final newline is not signify's format.
  if (lines.slice(2).some((line) => line.trim() !== '')) throw new SignifyFormatError(`${what}: unexpected text after the base64 line`)
  if (encoded === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new SignifyFormatError(`${what}: the second line is not base64`)
  }
  return {blob: new Uint8Array(Buffer.from(encoded, 'base64')), comment: first.slice(COMMENT_HEADER.length)}
}

function kindOfLength(length: number): SignifyFileKind | undefined {
  if (length === PUBLIC_KEY_BYTES) return 'public-key'
  if (length === SECRET_KEY_BYTES) return 'secret-key'
  if (length === SIGNATURE_BYTES) return 'signature'
  return undefined
}

function expect(blob: Uint8Array, length: number, kind: SignifyFileKind, what: string): void {
  const actual = kindOfLength(blob.length)
  if (actual !== undefined && actual !== kind) {
    throw new SignifyFormatError(`${what}: this is a signify ${actual.replace('-', ' ')}, not a ${kind.replace('-', ' ')}`, actual)
  }
  if (blob.length !== length) throw new SignifyFormatError(`${what}: ${blob.length} bytes where a ${kind.replace('-', ' ')} has ${length}`)
  if (Buffer.from(blob.subarray(0, 2)).toString('latin1') !== PKALG) {
    throw new SignifyFormatError(`${what}: unsupported algorithm (signify Ed25519 blobs start with "Ed")`)
  }
}

export function encodePublicKey(key: SignifyPublicKey): string {
  return frame(key.comment, concat(ascii(PKALG), key.keynum, key.publicKey))
}

export function decodePublicKey(text: string, what = 'public key'): SignifyPublicKey {
  const {blob, comment} = unframe(text, what)
  expect(blob, PUBLIC_KEY_BYTES, 'public-key', what)
  return {comment, keynum: blob.slice(2, 10), publicKey: blob.slice(10, 42)}
}

export function encodeSecretKeyFile(key: SignifySecretKeyFile): string {
  const rounds = new Uint8Array(4)
  new DataView(rounds.buffer).setUint32(0, key.rounds, false)
  return frame(key.comment, concat(ascii(PKALG), ascii(KDFALG), rounds, key.salt, key.checksum, key.keynum, key.sealedKey))
}

export function decodeSecretKeyFile(text: string, what = 'secret key'): SignifySecretKeyFile {
  const {blob, comment} = unframe(text, what)
  expect(blob, SECRET_KEY_BYTES, 'secret-key', what)
  if (Buffer.from(blob.subarray(2, 4)).toString('latin1') !== KDFALG) {
    throw new SignifyFormatError(`${what}: unsupported key derivation (signify secret keys use "BK", bcrypt_pbkdf)`)
  }
  return {
    checksum: blob.slice(24, 32),
    comment,
    keynum: blob.slice(32, 40),
    rounds: new DataView(blob.buffer, blob.byteOffset).getUint32(4, false),
    salt: blob.slice(8, 24),
    sealedKey: blob.slice(40, 104),
  }
}

export function encodeSignature(sig: SignifySignature): string {
  return frame(sig.comment, concat(ascii(PKALG), sig.keynum, sig.signature))
}

export function decodeSignature(text: string, what = 'signature'): SignifySignature {
  const {blob, comment} = unframe(text, what)
  expect(blob, SIGNATURE_BYTES, 'signature', what)
  return {comment, keynum: blob.slice(2, 10), signature: blob.slice(10, 74)}
}

/** What a signify file holds, judged by its blob length; undefined when it is none of the three. */
export function sniffSignifyFile(text: string): SignifyFileKind | undefined {
  try {
    return kindOfLength(unframe(text, 'file').blob.length)
  } catch {
    return undefined
  }
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}

function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'))
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
