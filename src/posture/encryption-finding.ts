import type {ControlStatus, Evidence} from './types.js'

/** What a posture snapshot says about encryption of the PHI directory: input to the secured/unsecured question, never the answer. */
export interface EncryptionFinding {
  evidence: Evidence[]
  phiDirs: string[]
  reason?: string
  status: ControlStatus
  /** When the snapshot was taken (ISO 8601 UTC). */
  time?: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Reads the `encryption.phi-at-rest` control from a parsed `posture.json` (or `assess --json`)
 * document. Undefined when the document has no such control (an older or foreign file).
 */
export function encryptionFinding(document: unknown): EncryptionFinding | undefined {
  if (!isRecord(document) || !Array.isArray(document.controls)) return undefined
  const control = document.controls.find((item: unknown) => isRecord(item) && item.id === 'encryption.phi-at-rest')
  if (!isRecord(control)) return undefined
  const status = control.status
  if (status !== 'pass' && status !== 'fail' && status !== 'unknown') return undefined
  return {
    evidence: Array.isArray(control.evidence) ? (control.evidence as Evidence[]) : [],
    phiDirs: Array.isArray(document.phi_dirs) ? document.phi_dirs.filter((dir): dir is string => typeof dir === 'string') : [],
    ...(typeof control.reason === 'string' ? {reason: control.reason} : {}),
    status,
    ...(typeof document.time === 'string' ? {time: document.time} : {}),
  }
}
