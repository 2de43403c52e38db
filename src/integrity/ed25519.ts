import {createPrivateKey, createPublicKey, sign, verify} from 'node:crypto'

/**
 * Ed25519 signing and verification through Node's native implementation. Keys are made with tweetnacl
 * (the 64-byte secret key is seed | public key, as signify stores it); Ed25519 is deterministic, so the
 * signatures are byte-for-byte tweetnacl's (a test checks this), only about a hundred times faster,
 * which matters for custody chains and large tarballs.
 */
function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

export function ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({format: 'jwk', key: {crv: 'Ed25519', d: b64url(secretKey.subarray(0, 32)), kty: 'OKP', x: b64url(secretKey.subarray(32, 64))}})
  return new Uint8Array(sign(null, message, key))
}

export function ed25519Verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false
  try {
    const key = createPublicKey({format: 'jwk', key: {crv: 'Ed25519', kty: 'OKP', x: b64url(publicKey)}})
    return verify(null, message, key, signature)
  } catch {
    return false
  }
}
