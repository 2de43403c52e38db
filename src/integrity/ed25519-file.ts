import {createHash} from 'node:crypto'
import {createReadStream} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'

import {ed25519Sign, ed25519Verify} from './ed25519.js'

/**
 * Ed25519 (PureEdDSA, RFC 8032), as signify uses it, over a file of any size with flat memory.
 *
 * PureEdDSA hashes the whole message twice (once for the nonce r, once for the challenge k), so
 * signify and Node's crypto hold the message in memory. Files up to IN_MEMORY_BYTES still go that
 * way (one read, Node's native code); larger ones are streamed through SHA-512 twice and the two
 * scalar multiplications are done with @noble/curves (audited, constant-time where it matters).
 * Ed25519 is deterministic: both paths give the same 64 bytes, which a test checks, and stock
 * signify verifies either. The file is hashed with SHA-256 on both passes as well: if it changed
 * between them the signature would be worthless, so signing fails instead.
 */
export const IN_MEMORY_BYTES = 64 * 1024 * 1024

const READ_CHUNK = 1024 * 1024

type Curve = typeof import('@noble/curves/ed25519.js')
let curve: Promise<Curve> | undefined
/** @noble/curves is loaded only for a file too large to sign in memory. */
function loadCurve(): Promise<Curve> {
  curve ??= import('@noble/curves/ed25519.js')
  return curve
}

function littleEndian(bytes: Uint8Array): bigint {
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number)
  return value
}

function toLittleEndian32(value: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let rest = value
  for (let i = 0; i < 32; i++) {
    out[i] = Number(rest & 0xffn)
    rest >>= 8n
  }
  return out
}

/** SHA-512 of prefix parts then the file's bytes, with the SHA-256 of the file alone. */
async function hashFilePass(path: string, prefix: readonly Uint8Array[]): Promise<{sha256: string; sha512: Buffer}> {
  const sha512 = createHash('sha512')
  const sha256 = createHash('sha256')
  for (const part of prefix) sha512.update(part)
  for await (const chunk of createReadStream(path, {highWaterMark: READ_CHUNK})) {
    sha512.update(chunk as Buffer)
    sha256.update(chunk as Buffer)
  }
  return {sha256: sha256.digest('hex'), sha512: sha512.digest()}
}

/** The 64-byte Ed25519 signature of the file's bytes with a signify secret key (seed | public key). */
export async function ed25519SignFile(path: string, secretKey: Uint8Array): Promise<Uint8Array> {
  if ((await stat(path)).size <= IN_MEMORY_BYTES) return ed25519Sign(await readFile(path), secretKey)
  return ed25519SignFileStreaming(path, secretKey)
}

/** ed25519SignFile's way for large files, whatever the size (exported for tests). */
export async function ed25519SignFileStreaming(path: string, secretKey: Uint8Array): Promise<Uint8Array> {
  const {ed25519} = await loadCurve()
  const {Point} = ed25519
  const order = Point.Fn.ORDER
  const publicKey = secretKey.subarray(32, 64)
  const expanded = createHash('sha512').update(secretKey.subarray(0, 32)).digest()
  const scalarBytes = Uint8Array.from(expanded.subarray(0, 32))
  scalarBytes[0] = (scalarBytes[0] as number) & 248
  scalarBytes[31] = ((scalarBytes[31] as number) & 127) | 64
  const a = littleEndian(scalarBytes) % order

  const first = await hashFilePass(path, [expanded.subarray(32, 64)])
  const r = littleEndian(first.sha512) % order
  const R = (r === 0n ? Point.ZERO : Point.BASE.multiply(r)).toBytes()
  const second = await hashFilePass(path, [R, publicKey])
  if (second.sha256 !== first.sha256) throw new Error(`${path} changed while it was being signed`)
  const k = littleEndian(second.sha512) % order
  const signature = new Uint8Array(64)
  signature.set(R, 0)
  signature.set(toLittleEndian32((r + k * a) % order), 32)
  return signature
}

/**
 * Checks an Ed25519 signature over the file's bytes, as signify does (cofactorless: the encoding of
 * [S]B - [k]A must equal R). False for a malformed key or signature.
 */
export async function ed25519VerifyFile(path: string, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if ((await stat(path)).size <= IN_MEMORY_BYTES) return ed25519Verify(await readFile(path), signature, publicKey)
  return ed25519VerifyFileStreaming(path, signature, publicKey)
}

/** ed25519VerifyFile's way for large files, whatever the size (exported for tests). */
export async function ed25519VerifyFileStreaming(path: string, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (signature.length !== 64 || publicKey.length !== 32) return false
  const {ed25519} = await loadCurve()
  const {Point} = ed25519
  const order = Point.Fn.ORDER
  const s = littleEndian(signature.subarray(32, 64))
  if (s >= order) return false
  let A
  try {
    A = Point.fromBytes(publicKey)
  } catch {
    return false
  }
  const R = signature.subarray(0, 32)
  const k = littleEndian((await hashFilePass(path, [R, publicKey])).sha512) % order
  const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).toBytes()
  return Buffer.from(check).equals(Buffer.from(R))
}
