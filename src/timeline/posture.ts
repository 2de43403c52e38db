import type {PostureInput} from './types.js'

import {encryptionFinding} from '../posture/encryption-finding.js'
import type {Evidence} from '../posture/types.js'

/**
 * What a bundle's posture snapshot says about `encryption.phi-at-rest`. It is an INPUT to the
 * secured/unsecured question (164.402), never the answer: only `secured` in the facts decides.
 */
export const ENCRYPTION_CONTROL = 'encryption.phi-at-rest'

function describeEvidence(item: Evidence): string {
  if ('missing' in item) return `${item.file} is missing`
  if ('command' in item) return `${item.command}: ${item.output}`
  if ('mode' in item) return `${item.path} mode ${item.mode}`
  return `${item.file}:${item.line}: ${item.text}`
}

export function postureFinding(path: string, postureJson: string | undefined, secured: boolean): PostureInput {
  if (postureJson === undefined) return {path, found: false, note: `The evidence bundle has no posture/posture.json; nothing to say about ${ENCRYPTION_CONTROL}.`}
  let doc: unknown
  try {
    doc = JSON.parse(postureJson)
  } catch {
    return {path, found: false, note: 'posture/posture.json in the evidence bundle is not valid JSON.'}
  }
  const finding = encryptionFinding(doc)
  if (finding === undefined) return {path, found: false, note: `posture/posture.json has no ${ENCRYPTION_CONTROL} control.`}
  const evidence = [...finding.evidence.map((e) => describeEvidence(e)), ...(finding.reason === undefined ? [] : [finding.reason])].join('; ')
  const control = {id: ENCRYPTION_CONTROL, status: finding.status, evidence, phi_dirs: finding.phiDirs, ...(finding.time === undefined ? {} : {time: finding.time})}
  const facts = `The facts say secured: ${String(secured)}; that entry, not this snapshot, decides the question.`
  const mismatch =
    (finding.status === 'fail' && secured) || (finding.status === 'pass' && !secured)
      ? ' The snapshot and the facts point different ways: review the encryption evidence (key custody, NIST SP 800-111) with counsel.'
      : ''
  return {
    path,
    found: true,
    control,
    note: `Input to the secured/unsecured question (164.402): posture control ${ENCRYPTION_CONTROL} is "${finding.status}" (${evidence || 'no evidence recorded'}). Encryption at rest alone does not make PHI "secured": the key must not have been compromised and must be kept apart from the data. ${facts}${mismatch}`,
  }
}
