import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {bundleKeys, normalisePrefix, parseBundleName, parseS3Url} from '../../src/storage/object-key.js'

describe('bundle names and object keys', () => {
  it('parses CASE_HOST_STAMP and places the siblings under PREFIX/CASE/HOST/', () => {
    const parsed = parseBundleName('IR-2026-014_db1.example.org_20260303T101500Z')
    expect(parsed).toEqual({caseId: 'IR-2026-014', host: 'db1.example.org', name: 'IR-2026-014_db1.example.org_20260303T101500Z', stamp: '20260303T101500Z'})
    expect(bundleKeys('/evidence//2026/', parsed!)).toEqual({
      custody: 'evidence/2026/IR-2026-014/db1.example.org/IR-2026-014_db1.example.org_20260303T101500Z.custody.jsonl',
      pub: 'evidence/2026/IR-2026-014/db1.example.org/IR-2026-014_db1.example.org_20260303T101500Z.pub',
      sig: 'evidence/2026/IR-2026-014/db1.example.org/IR-2026-014_db1.example.org_20260303T101500Z.tar.gz.sig',
      tarball: 'evidence/2026/IR-2026-014/db1.example.org/IR-2026-014_db1.example.org_20260303T101500Z.tar.gz',
    })
    expect(bundleKeys(undefined, parsed!).tarball).toBe('IR-2026-014/db1.example.org/IR-2026-014_db1.example.org_20260303T101500Z.tar.gz')
  })

  it('rejects names that are not CASE_HOST_STAMP', () => {
    for (const name of ['IR-1_web1', 'IR-1_web1_2026-03-03', '_web1_20260303T101500Z', 'IR-1__20260303T101500Z', 'a/b_web1_20260303T101500Z']) {
      expect(parseBundleName(name)).toBeUndefined()
    }
  })

  it('never yields a key that escapes its folder, whatever the name (hostile input)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), fc.string(), (caseId, host, prefix) => {
      const parsed = parseBundleName(`${caseId}_${host}_20260303T101500Z`)
      if (parsed === undefined) return
      let keys
      try {
        keys = bundleKeys(prefix, parsed)
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError)
        return
      }
      for (const key of Object.values(keys)) {
        const segments = key.split('/')
        expect(segments).not.toContain('..')
        expect(segments).not.toContain('.')
        expect(segments).not.toContain('')
        // eslint-disable-next-line no-control-regex
        expect(key).not.toMatch(/[\u0000-\u001f\\]/)
      }
    }))
  })

  it('rejects dot-dot prefixes and parses s3 URLs', () => {
    expect(() => normalisePrefix('a/../b')).toThrow(RangeError)
    expect(parseS3Url('s3://bucket/a/b/NAME.tar.gz')).toEqual({bucket: 'bucket', key: 'a/b/NAME.tar.gz'})
    expect(parseS3Url('https://bucket/a')).toBeUndefined()
    expect(parseS3Url('s3://bucket/')).toBeUndefined()
  })
})
