/** Shared shapes of the posture snapshot (`assess --json`, `posture/posture.json`). Types only. */

export type ControlStatus = 'fail' | 'pass' | 'unknown'

/** A configuration line that decided (or informed) a control, as seen on the system (not below --root). */
export interface LineEvidence {
  file: string
  line: number
  text: string
}

/** What a live command printed (only the lines that matter; the full output goes to `posture/cmd/`). */
export interface CommandEvidence {
  command: string
  output: string
}

/** A file or directory's mode (octal string, e.g. `0750`). */
export interface ModeEvidence {
  mode: string
  path: string
  type?: string
}

/** A file that was looked for and is not there: absence is evidence too. */
export interface MissingEvidence {
  file: string
  missing: true
}

export type Evidence = CommandEvidence | LineEvidence | MissingEvidence | ModeEvidence

export interface ControlResult {
  evidence: Evidence[]
  id: string
  /** Why the status is what it is; always present for `unknown` and `fail`. */
  reason?: string
  /** HIPAA Security Rule citation, e.g. `45 CFR 164.312(d)`. */
  reference: string
  status: ControlStatus
  title: string
}

export interface PostureDocument {
  controls: ControlResult[]
  host: string
  phi_dirs: string[]
  root: string
  summary: {fail: number; pass: number; unknown: number}
  time: string
  tool_version?: string
}

/** One file's text, split into lines, with the path as seen on the inspected system. */
export interface TextFile {
  path: string
  text: string
}

export interface PathStat {
  gid: number
  mode: number
  size: number
  type: 'device' | 'dir' | 'fifo' | 'file' | 'other' | 'socket' | 'symlink'
  uid: number
}

/**
 * Read-only view of the inspected system's files (paths as seen on that system). The io layer
 * implements it below a root; parsers and judges only see this interface, so they stay pure.
 */
export interface FileView {
  /** Names in a directory (unsorted), or undefined when it is missing or unreadable. */
  list(dir: string): string[] | undefined
  /** lstat of the path itself (symlinks are not followed). */
  lstat(path: string): PathStat | undefined
  /** The file's text, or undefined when it does not exist or cannot be read. */
  read(path: string): TextFile | undefined
}
