/**
 * Collects a scenario's planted evidence and lays it out the way the distribution does:
 * Debian/Ubuntu (`/var/log/auth.log`, RFC 3339 stamps) or RHEL (`/var/log/secure`, classic stamps).
 * Events before the collect window go into a rotated log whose mtime is also before the window,
 * so collect skips them deterministically. Pure: returns a RootPlan; the runner writes it.
 */
import type {PatientRow, PlannedFile, RootPlan} from '../types.js'
import {auditFile, syslogFile, type AuditAccess, type StampStyle, type SyslogEvent} from './log-lines.js'
import {minutesAfter} from './phi-data.js'

export type Layout = 'debian' | 'rhel'

export class RootBuilder {
  private readonly auth: SyslogEvent[] = []
  private readonly oldAuth: SyslogEvent[] = []
  private readonly audit: AuditAccess[] = []
  private readonly oldAudit: AuditAccess[] = []
  private readonly files: PlannedFile[] = []
  private readonly patients: PatientRow[] = []

  constructor(
    readonly host: string,
    readonly layout: Layout,
    /** The collect window start; everything planted "before" is older than this. */
    readonly since: string,
  ) {}

  /** An auth event inside the collect window. */
  authEvent(time: string, program: string, message: string, pid?: number): this {
    this.auth.push({message, program, time, ...(pid === undefined ? {} : {pid})})
    return this
  }

  /** An auth event from before the window (rotated log): must not be collected. */
  oldAuthEvent(time: string, program: string, message: string, pid?: number): this {
    this.oldAuth.push({message, program, time, ...(pid === undefined ? {} : {pid})})
    return this
  }

  auditAccess(access: AuditAccess): this {
    this.audit.push(access)
    return this
  }

  /** An audit event from before the window (rotated audit.log.1): must not be collected. */
  oldAuditAccess(access: AuditAccess): this {
    this.oldAudit.push(access)
    return this
  }

  /** A row of the clinic's patient map (what its EHR would export): whose PHI a file holds, and their state. */
  patient(path: string, patientId: string, state: string): this {
    this.patients.push({path, patientId, state})
    return this
  }

  file(path: string, content: string | Uint8Array, mtime: string, mode = 0o640): this {
    this.files.push({content, mode, mtime, path})
    return this
  }

  build(): RootPlan {
    const style: StampStyle = this.layout === 'debian' ? 'rfc3339' : 'classic'
    const logName = this.layout === 'debian' ? '/var/log/auth.log' : '/var/log/secure'
    const rotatedName = this.layout === 'debian' ? '/var/log/auth.log.1' : '/var/log/secure-rotated'
    const lastTime = latest([...this.auth.map((e) => e.time), ...this.audit.map((a) => a.time), this.since])
    const closed = minutesAfter(lastTime, 5)
    const beforeWindow = minutesAfter(this.since, -60)
    const planned: PlannedFile[] = [
      {content: `${this.host}\n`, mtime: beforeWindow, path: '/etc/hostname', mode: 0o644},
      {content: 'UTC\n', mtime: beforeWindow, path: '/etc/timezone', mode: 0o644},
      {content: '', mtime: beforeWindow, path: '/var/log/wtmp', mode: 0o664},
      {content: syslogFile(this.auth, this.host, style), mtime: closed, path: logName, mode: 0o640},
      {content: auditFile(this.audit), mtime: closed, path: '/var/log/audit/audit.log', mode: 0o600},
      ...this.files,
    ]
    if (this.oldAuth.length > 0) {
      planned.push({content: syslogFile(this.oldAuth, this.host, style), mtime: beforeWindow, path: rotatedName, mode: 0o640})
    }
    if (this.oldAudit.length > 0) {
      planned.push({content: auditFile(this.oldAudit), mtime: beforeWindow, path: '/var/log/audit/audit.log.1', mode: 0o600})
    }
    return {files: planned, folderTime: beforeWindow, host: this.host, ...(this.patients.length > 0 ? {patients: [...this.patients]} : {})}
  }
}

function latest(times: string[]): string {
  return times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b))
}
