import {UsageError} from '../core/errors.js'

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/

/** `YYYYMMDDTHHMMSSZ` (UTC): the stamp in bundle names and in other dated file and folder names. */
export function utcStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z')
}

/** `CASE_HOST_YYYYMMDDTHHMMSSZ` (UTC), the contract's bundle name. */
export function bundleName(caseId: string, host: string, startedAt: Date): string {
  return `${caseId}_${safeHost(host)}_${utcStamp(startedAt)}`
}

/** Case ids become file and object-key names, so only a safe alphabet is allowed. */
export function checkCaseId(caseId: string): string {
  if (!SAFE_ID.test(caseId)) {
    throw new UsageError(`--case: "${caseId}" is not a usable case id`, {
      code: 'E_CASE',
      suggestions: ['Use letters, digits, dot and dash only (up to 64; no underscore, which separates the parts of a bundle name), starting with a letter or digit, e.g. IR-2026-014.'],
    })
  }
  return caseId
}

/** Host names go into file names: keep the safe alphabet, replace the rest. */
export function safeHost(host: string): string {
  const cleaned = host.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 63)
  return cleaned.length > 0 ? cleaned : 'unknown-host'
}
