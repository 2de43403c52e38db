import type {ControlResult, ControlStatus, Evidence, FileView} from '../types.js'
import {CONTROLS, type ControlId} from './catalog.js'

/** What a live command produced, reduced to what the judges need (the io layer fills it from ExecResult). */
export interface ProbeOutput {
  /** The command line as a person would type it (for evidence). */
  command: string
  /** Set when the command could not give an answer: not installed, timed out, non-zero exit. */
  failure?: string
  output: string
}

/** Live evidence; every field is absent under --root (not the live system). */
export interface LiveProbes {
  auditctl?: ProbeOutput
  dmsetup?: ProbeOutput
  /** `fscrypt status DIR`, per PHI directory. */
  fscrypt?: Record<string, ProbeOutput>
  lsblk?: ProbeOutput
  sshdT?: ProbeOutput
}

export interface PostureContext {
  /** True only when the root is `/` of the running system. */
  live: boolean
  phiDirs: string[]
  probes: LiveProbes
  view: FileView
}

export function verdict(id: ControlId, status: ControlStatus, evidence: Evidence[], reason?: string): ControlResult {
  const {reference, title} = CONTROLS[id]
  const seen = new Set<string>()
  const unique = evidence.filter((item) => {
    const key = JSON.stringify(item)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return {evidence: unique, id, ...(reason === undefined ? {} : {reason}), reference, status, title}
}

/** Several sub-answers (one per PHI dir, per PAM service) folded into one: any fail fails, else any unknown is unknown. */
export function worst(statuses: ControlStatus[]): ControlStatus {
  if (statuses.includes('fail')) return 'fail'
  if (statuses.includes('unknown') || statuses.length === 0) return 'unknown'
  return 'pass'
}

/** The first relevant lines of a command's output, for evidence. */
export function outputLines(output: string, keep: (line: string) => boolean, limit = 20): string {
  return output
    .split('\n')
    .filter((line) => keep(line))
    .slice(0, limit)
    .join('\n')
}
