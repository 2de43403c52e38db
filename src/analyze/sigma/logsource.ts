/**
 * Which evidence a Sigma rule's `logsource` points at. `product: linux` with `service: auditd` reads
 * audit records; with `service` auth, sshd, sudo, cron or syslog, or no service (the "builtin" rules),
 * it reads the auth log's lines (sshd, sudo and cron rules only their program's lines). Rules without
 * a service also read command lines (shell-history commands, the arguments of audit EXECVE records),
 * where the commands most of them look for appear. Anything else (another product, a `category` such
 * as process_creation, a service whose log hipaa-ir does not collect) is outside what the bundle
 * holds: the reason says so.
 */
import {UnsupportedFeature} from './value.js'

export type SigmaTarget =
  | {readonly kind: 'audit'}
  | {
    readonly kind: 'line'
    /** Lowercase program names (syslog tag) the rule applies to; null: every line. */
    readonly programs: readonly string[] | null
    readonly service: string | null
    /** Also command lines: shell-history commands and audit EXECVE arguments (rules with no service). */
    readonly commands: boolean
  }

const PROGRAMS: Readonly<Record<string, readonly string[] | null>> = {
  auth: null,
  cron: ['cron', 'crond', 'crontab', 'anacron'],
  sshd: ['sshd', 'sshd-session', 'sshd-auth'],
  sudo: ['sudo'],
  syslog: null,
}

export interface LogSource {
  readonly category?: string | undefined
  readonly product?: string | undefined
  readonly service?: string | undefined
}

/** The target of a logsource, or UnsupportedFeature with the reason. */
export function targetOf(logsource: LogSource): SigmaTarget {
  const product = logsource.product?.toLowerCase()
  const service = logsource.service?.toLowerCase()
  if (product !== 'linux') {
    throw new UnsupportedFeature(product === undefined ? 'the logsource names no product (only product: linux is supported)' : `logsource product '${logsource.product}': only product: linux is supported`)
  }
  if (logsource.category !== undefined) {
    throw new UnsupportedFeature(`logsource category '${logsource.category}' needs an EDR or Sysmon for Linux log, which hipaa-ir does not collect (supported: service auditd, auth, sshd, sudo, cron, syslog, or none)`)
  }
  if (service === 'auditd') return {kind: 'audit'}
  if (service === undefined) return {kind: 'line', commands: true, programs: null, service: null}
  if (service in PROGRAMS) return {kind: 'line', commands: false, programs: PROGRAMS[service] ?? null, service}
  throw new UnsupportedFeature(`logsource service '${logsource.service}': hipaa-ir does not collect that log (supported: auditd, auth, sshd, sudo, cron, syslog, or none)`)
}
