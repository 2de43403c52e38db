/**
 * Log lines in the exact formats real systems write, for synthetic drill roots: sshd/sudo lines
 * with Debian 12 / Ubuntu 24.04 RFC 3339 stamps or RHEL 9 classic stamps (no year), and raw
 * auditd records (SYSCALL, CWD, PATH, PROCTITLE, EOE sharing one serial). Pure.
 */

export type StampStyle = 'classic' | 'rfc3339'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `2026-03-03T09:15:02.000000+00:00` (rsyslog's high-precision format) or `Mar  3 09:15:02` (UTC). */
export function syslogStamp(iso: string, style: StampStyle): string {
  const date = new Date(iso)
  if (style === 'rfc3339') return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00')
  const day = String(date.getUTCDate()).padStart(2, ' ')
  return `${MONTHS[date.getUTCMonth()] ?? 'Jan'} ${day} ${date.toISOString().slice(11, 19)}`
}

export interface SyslogEvent {
  time: string
  program: string
  /** Omitted for programs that log without one (sudo). */
  pid?: number
  message: string
}

export function syslogLine(event: SyslogEvent, host: string, style: StampStyle): string {
  const tag = event.pid === undefined ? `${event.program}:` : `${event.program}[${event.pid}]:`
  return `${syslogStamp(event.time, style)} ${host} ${tag} ${event.message}`
}

/** Lines sorted by time, newline-terminated: the body of an auth.log or secure file. */
export function syslogFile(events: readonly SyslogEvent[], host: string, style: StampStyle): string {
  const sorted = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
  return sorted.map((e) => syslogLine(e, host, style)).join('\n') + (sorted.length > 0 ? '\n' : '')
}

export const sshd = {
  accepted: (user: string, ip: string, port: number, method: 'password' | 'publickey'): string =>
    `Accepted ${method} for ${user} from ${ip} port ${port} ssh2${method === 'publickey' ? ': ED25519 SHA256:SYNTHETICdrillKEYfingerprint0000000000000' : ''}`,
  failed: (user: string, ip: string, port: number, invalidUser = false): string =>
    `Failed password for ${invalidUser ? 'invalid user ' : ''}${user} from ${ip} port ${port} ssh2`,
  invalidUser: (user: string, ip: string, port: number): string => `Invalid user ${user} from ${ip} port ${port}`,
  sessionOpened: (user: string, uid: number): string => `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`,
  sessionClosed: (user: string): string => `pam_unix(sshd:session): session closed for user ${user}`,
  disconnected: (user: string, ip: string, port: number): string => `Disconnected from user ${user} ${ip} port ${port}`,
}

export function sudoMessage(user: string, command: string, cwd = `/home/${user}`): string {
  return `   ${user} : TTY=pts/0 ; PWD=${cwd} ; USER=root ; COMMAND=${command}`
}

export interface AuditAccess {
  time: string
  serial: number
  auid: number
  /** Effective uid; defaults to auid (sudo keeps auid and changes uid). */
  uid?: number
  comm: string
  exe: string
  path: string
  key?: string
  /** O_RDONLY read (default) or a write (O_WRONLY|O_CREAT|O_TRUNC). */
  write?: boolean
  success?: boolean
}

function hexOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').toUpperCase()
}

/** One audit event as the kernel writes it to audit.log: an openat SYSCALL record and its companions. */
export function auditEvent(a: AuditAccess): string {
  const stamp = `${(Date.parse(a.time) / 1000).toFixed(3)}:${a.serial}`
  const uid = a.uid ?? a.auid
  const ok = a.success ?? true
  const flags = a.write === true ? '241' : '0'
  const ids = `auid=${a.auid} uid=${uid} gid=${uid} euid=${uid} suid=${uid} fsuid=${uid} egid=${uid} sgid=${uid} fsgid=${uid}`
  return [
    `type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=257 success=${ok ? 'yes' : 'no'} exit=${ok ? 3 : -13} a0=ffffff9c a1=7ffc1d2e3f40 a2=${flags} a3=0 items=1 ppid=${2000 + (a.serial % 997)} pid=${3000 + (a.serial % 4999)} ${ids} tty=pts0 ses=${a.auid % 97} comm="${a.comm}" exe="${a.exe}" subj=unconfined key="${a.key ?? 'phi_access'}"`,
    `type=CWD msg=audit(${stamp}): cwd="/"`,
    `type=PATH msg=audit(${stamp}): item=0 name="${a.path}" inode=${400_000 + a.serial} dev=fd:01 mode=0100640 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
    `type=PROCTITLE msg=audit(${stamp}): proctitle=${hexOf(`${a.comm}\u0000${a.path}`)}`,
    `type=EOE msg=audit(${stamp}): `,
  ].join('\n')
}

/** audit.log body: events sorted by time. */
export function auditFile(events: readonly AuditAccess[]): string {
  const sorted = [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time))
  return sorted.map((e) => auditEvent(e)).join('\n') + (sorted.length > 0 ? '\n' : '')
}
