import {classifyAuthMessage, pamService, sameAuthProgram} from './auth-classify.js'
import type {AuthEvent, TrustedFields} from './auth-line.js'
import {escapeControls} from './text.js'

/**
 * One line of `journalctl -o json` → an auth event plus a syslog-style raw line for
 * `auth-events.txt`. Returns null for anything that is not a journal entry with a message.
 *
 * Attribution uses the fields journald sets itself from the sender's credentials (`_EXE`, `_COMM`,
 * `_UID`, `_PID`, `_SYSTEMD_UNIT`), never SYSLOG_IDENTIFIER, which any local user can set
 * (`logger -t sshd`). An entry whose identifier claims an auth program that did not send it is
 * kept as `other` with a note, so it is visible but never counted as a login, failure or sudo.
 * Control characters of MESSAGE are escaped in `raw`, so a multi-line message stays one line.
 */
export function journalEntryToAuthEvent(line: string): {event: AuthEvent; rawLine: string} | null {
  if (!line.startsWith('{')) return null
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return null
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null
  const message = text(entry.MESSAGE)
  const micros = Number(text(entry.__REALTIME_TIMESTAMP))
  if (message === null || !Number.isFinite(micros) || micros <= 0) return null
  const date = new Date(Math.floor(micros / 1000))
  if (Number.isNaN(date.getTime())) return null
  const trusted = trustedFields(entry)
  const claimed = text(entry.SYSLOG_IDENTIFIER)
  const sender = trusted.exe === null ? trusted.comm : baseName(trusted.exe)
  const program = sender ?? claimed ?? 'unknown'
  const pidText = text(entry._PID) ?? text(entry.SYSLOG_PID)
  const pid = pidText !== null && /^\d{1,10}$/.test(pidText) ? Number(pidText) : null
  const host = text(entry._HOSTNAME) ?? ''
  const time = date.toISOString()
  // Only the first line is classified: no auth program writes a line break into its messages.
  const firstLine = /^[^\n\r]*/.exec(message)?.[0] ?? ''
  const name = claimed ?? program
  let found = classifyAuthMessage(name, firstLine)
  let note: string | undefined
  if (found.kind !== 'other') {
    const doubt = untrusted(name, firstLine, trusted)
    if (doubt !== null) {
      note = `claims to be ${escapeControls(name).slice(0, 64)}; ${doubt}`
      found = {ip: null, kind: 'other', method: null, port: null, user: null}
    }
  }
  const rawLine = `${time} ${escapeControls(host)} ${escapeControls(program)}${pid === null ? '' : `[${pid}]`}: ${escapeControls(message)}`
  const event: AuthEvent = {host, pid, program, raw: rawLine, source: 'journal', time, ...found}
  if (claimed !== null) event.syslog_identifier = claimed
  event.trusted = trusted
  if (note !== undefined) event.note = note
  return {event, rawLine}
}

/** Interpreters and logging tools: anyone can make them log any text under any name. */
const GENERIC_SENDERS = /^(?:logger|systemd-cat|busybox|env|(?:ba|da|z|k|c|tc|fi)?sh|python[\d.]*|perl[\d.]*|ruby[\d.]*|node(?:js)?|php[\d.]*|lua[\d.]*|tclsh[\d.]*|java|socat|nc|ncat|netcat|curl)$/

/** Folders only root can write to: a binary there was installed, not dropped by a user. */
const SYSTEM_DIRS = /^\/(?:usr\/|bin\/|sbin\/|lib\/|lib64\/|lib32\/|libexec\/)/

/**
 * Null when journald's own fields vouch for `name` having sent this auth message; otherwise
 * why not (`sent by logger (uid 1000)`). The sender must be the named program (by `_EXE` or
 * `_COMM`), run from a system folder, not a generic logging tool or interpreter, and for a PAM
 * message the PAM service must belong to it (`pam_unix(sshd:auth)` from sshd, `su-l` from su).
 */
function untrusted(name: string, message: string, trusted: TrustedFields): string | null {
  const exeBase = trusted.exe === null ? null : baseName(trusted.exe)
  const sender = exeBase ?? trusted.comm
  const by = (who: string) => `sent by ${escapeControls(who).slice(0, 128)} (uid ${trusted.uid ?? 'unknown'})`
  if (sender === null) return 'journald recorded no _EXE or _COMM for the sender'
  const matches = (program: string) => (exeBase !== null && sameAuthProgram(program, exeBase)) || (trusted.comm !== null && sameAuthProgram(program, trusted.comm))
  if (!matches(name) || GENERIC_SENDERS.test(sender.toLowerCase())) return by(sender)
  if (trusted.exe !== null && !SYSTEM_DIRS.test(trusted.exe)) return by(trusted.exe)
  const service = pamService(message)
  if (service !== null && !samePrefix(service, exeBase) && !samePrefix(service, trusted.comm)) return `${by(sender)}, which is not PAM service ${escapeControls(service)}`
  return null
}

/** `su-l` and `su`, `gdm-password` and `gdm-session-worker`, `systemd-user` and `(systemd)`: same first word. */
function samePrefix(service: string, program: string | null): boolean {
  if (program === null) return false
  const first = (text: string) => text.toLowerCase().replace(/^\(/, '').split(/[-()._]/)[0] ?? ''
  const a = first(service)
  return a !== '' && a === first(program)
}

function trustedFields(entry: Record<string, unknown>): TrustedFields {
  const uid = text(entry._UID)
  return {
    comm: text(entry._COMM),
    exe: text(entry._EXE),
    uid: uid !== null && /^\d{1,10}$/.test(uid) ? Number(uid) : null,
    unit: text(entry._SYSTEMD_UNIT),
  }
}

function baseName(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1)
  return name === '' ? null : name
}

/** journald fields are strings, or byte arrays for non-UTF-8 values. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return Buffer.from(value as number[]).toString('utf8')
  return null
}
