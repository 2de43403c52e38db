import type {PostureInput} from './types.js'

/**
 * Reads what a bundle's posture snapshot says about `encryption.phi-at-rest`. It is an INPUT to the
 * secured/unsecured question (164.402), never the answer: only `secured` in the facts decides.
 */
export const ENCRYPTION_CONTROL = 'encryption.phi-at-rest'

export function postureFinding(path: string, postureJson: string | undefined, secured: boolean): PostureInput {
  if (postureJson === undefined) return {path, found: false, note: `The evidence bundle has no posture/posture.json; nothing to say about ${ENCRYPTION_CONTROL}.`}
  let doc: unknown
  try {
    doc = JSON.parse(postureJson)
  } catch {
    return {path, found: false, note: 'posture/posture.json in the evidence bundle is not valid JSON.'}
  }
  const controls = (doc as {controls?: unknown}).controls
  const control = Array.isArray(controls) ? (controls as Array<Record<string, unknown>>).find((c) => c.id === ENCRYPTION_CONTROL) : undefined
  if (control === undefined) return {path, found: false, note: `posture/posture.json has no ${ENCRYPTION_CONTROL} control.`}
  const found = {
    id: ENCRYPTION_CONTROL,
    status: String(control.status ?? 'unknown'),
    evidence: String(control.evidence ?? ''),
    reference: String(control.reference ?? ''),
  }
  const facts = `The facts say secured: ${String(secured)}; that entry, not this snapshot, decides the question.`
  const mismatch =
    (found.status === 'fail' && secured) || (found.status === 'pass' && !secured)
      ? ` The snapshot and the facts point different ways: review the encryption evidence (key custody, NIST SP 800-111) with counsel.`
      : ''
  return {
    path,
    found: true,
    control: found,
    note: `Input to the secured/unsecured question (164.402): posture control ${ENCRYPTION_CONTROL} is "${found.status}" (${found.evidence || 'no evidence text'}). Encryption at rest alone does not make PHI "secured": the key must not have been compromised and must be kept apart from the data. ${facts}${mismatch}`,
  }
}
