import {describe, expect, it} from 'vitest'

import {encryptionFinding} from '../../src/posture/encryption-finding.js'

describe('encryptionFinding', () => {
  it('extracts the encryption control of a posture document', () => {
    const document = {
      controls: [{evidence: [{file: '/etc/crypttab', line: 1, text: 'phi-data /dev/sdb none luks'}], id: 'encryption.phi-at-rest', reason: 'configured, not seen live', reference: 'x', status: 'pass', title: 't'}],
      phi_dirs: ['/var/data/phi'],
      time: '2026-03-03T10:00:00.000Z',
    }
    expect(encryptionFinding(document)).toEqual({
      evidence: [{file: '/etc/crypttab', line: 1, text: 'phi-data /dev/sdb none luks'}],
      phiDirs: ['/var/data/phi'],
      reason: 'configured, not seen live',
      status: 'pass',
      time: '2026-03-03T10:00:00.000Z',
    })
  })

  it('returns undefined for documents without a valid encryption control', () => {
    expect(encryptionFinding(null)).toBeUndefined()
    expect(encryptionFinding({controls: 'x'})).toBeUndefined()
    expect(encryptionFinding({controls: [{id: 'encryption.phi-at-rest', status: 'maybe'}]})).toBeUndefined()
  })
})
