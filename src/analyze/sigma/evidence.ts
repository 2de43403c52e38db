/**
 * One piece of evidence as Sigma rules see it: an audit event (every record sharing a serial, each
 * record a document with its raw fields) or a log line (one document, its text). Built from raw
 * audit records (audit-records.ts) or from the case database's rows (case-event.ts).
 */
import type {SigmaDoc} from './compile.js'

export type SigmaOrigin =
  /** An audit event read from the raw records (`audit/KEY.raw`). */
  | 'audit'
  /** An audit event rebuilt from `audit/events.jsonl` (no EXECVE arguments, no syscall): used only for a bundle without raw records. */
  | 'audit-summary'
  /** An auth log line (`auth/events.jsonl`'s `raw`). */
  | 'auth'
  /** A shell-history command. */
  | 'shell-history'

export interface SigmaEvidence {
  readonly origin: SigmaOrigin
  readonly host: string
  readonly bundle: string
  /** ISO 8601 UTC, or null. */
  readonly time: string | null
  readonly verified: boolean
  /** Bundle-relative file and line (`audit/phi_access.raw:12`). */
  readonly ref: string
  /** Identifies the event across files (an audit event is written under each of its keys): counted once. */
  readonly identity: string
  readonly user: string | null
  readonly ip: string | null
  readonly paths: readonly string[]
  /** Auth lines: the program (syslog tag), lower case; else null. */
  readonly program: string | null
  readonly docs: readonly SigmaDoc[]
  /** Command lines the event holds (an EXECVE record's arguments, a shell-history command), for keyword rules without a service. */
  readonly commands: readonly string[]
}
