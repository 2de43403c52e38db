/** proveStored's decisions for answers the local server never gives (AWS checksums, SSE-KMS ETags). */
import type {S3Client} from '@aws-sdk/client-s3'
import {describe, expect, it} from 'vitest'

import {proveStored} from '../../src/storage/proof.js'
import type {UploadResult} from '../../src/storage/upload.js'

const uploaded: UploadResult = {
  digests: {md5Base64: 'AAAAAAAAAAAAAAAAAAAAAA==', sha256Base64: 'c2hhMjU2', sha256Hex: 'ab', size: 10},
  expectedEtag: '0'.repeat(32), multipart: false, parts: 1, resumedParts: 0, versionId: 'v1',
}
const until = new Date(Date.now() + 86_400_000)
const lock = {legalHold: false, mode: 'GOVERNANCE' as const, retainUntil: until}

function fakeClient(head: Record<string, unknown>): S3Client {
  return {send: async () => ({ContentLength: 10, ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: until, VersionId: 'v1', ...head})} as unknown as S3Client
}

describe('proveStored', () => {
  it('prefers a SHA-256 checksum the server kept (AWS) and still checks the ETag', async () => {
    const proof = await proveStored({bucket: 'b', client: fakeClient({ChecksumSHA256: 'c2hhMjU2', ETag: `"${'0'.repeat(32)}"`}), key: 'k', lock, now: new Date(), uploaded})
    expect(proof.proof).toBe('checksum-sha256')
    expect(proof.checks).toEqual(['checksum-sha256', 'etag-md5'])
  })

  it('fails on a checksum that differs, even when the ETag matches', async () => {
    await expect(proveStored({bucket: 'b', client: fakeClient({ChecksumSHA256: 'b3RoZXI=', ETag: `"${'0'.repeat(32)}"`}), key: 'k', now: new Date(), uploaded}))
      .rejects.toThrow(/SHA-256 checksum is b3RoZXI=/)
  })

  it('fails when nothing proves the bytes (an ETag that is not an MD5, no checksum) and says to use --read-back', async () => {
    const error = await proveStored({bucket: 'b', client: fakeClient({ETag: '"kms-opaque-etag"'}), key: 'k', now: new Date(), uploaded}).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/nothing proves the stored bytes.*--read-back/)
    expect((error as {exitCode: number}).exitCode).toBe(5)
  })

  it('fails on weaker retention than asked for, and on another VersionId', async () => {
    await expect(proveStored({bucket: 'b', client: fakeClient({ETag: `"${'0'.repeat(32)}"`, ObjectLockMode: 'GOVERNANCE', VersionId: 'v2'}), key: 'k', lock: {...lock, mode: 'COMPLIANCE'}, now: new Date(), uploaded}))
      .rejects.toThrow(/not the version v1 just written.*COMPLIANCE|COMPLIANCE.*not the version v1/)
  })
})
