/**
 * What survives a reboot, parsed from its files: crontab entries, systemd unit commands and timers,
 * SSH authorized keys (with the fingerprint ssh-keygen shows). Pure and linear-time.
 */
import {createHash} from 'node:crypto'

import {splitLines} from './text.js'

export interface CronEntry {
  command: string
  line: number
  /** `*\/5 * * * *` or `@reboot`. */
  schedule: string
  /** The user column of system crontabs (/etc/crontab, cron.d); the file's owner for spool crontabs. */
  user: string | null
}

const NICKNAME = /^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$/

/**
 * A crontab. `system` crontabs (/etc/crontab, /etc/cron.d/*) carry a user column; user crontabs
 * (/var/spool/cron/crontabs/NAME, /var/spool/cron/NAME on RHEL) do not. Variable assignments and
 * comments are skipped.
 */
export function parseCrontab(text: string, system: boolean, owner: string | null = null): CronEntry[] {
  const entries: CronEntry[] = []
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) return
    const fields = line.split(/\s+/)
    const timeFields = NICKNAME.test(fields[0] as string) ? 1 : 5
    if (fields.length < timeFields + (system ? 2 : 1)) return
    if (timeFields === 5 && !fields.slice(0, 5).every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f))) return
    const user = system ? (fields[timeFields] as string) : owner
    const commandStart = timeFields + (system ? 1 : 0)
    const command = restAfterFields(line, commandStart)
    entries.push({command, line: index + 1, schedule: fields.slice(0, timeFields).join(' '), user})
  })
  return entries
}

/** `line` from its `n`th whitespace-separated field on, as written. */
function restAfterFields(line: string, n: number): string {
  const match = new RegExp(`^(?:\\S+\\s+){${n}}`).exec(line)
  return match === null ? '' : line.slice(match[0].length)
}

export interface SystemdUnitFacts {
  /** ExecStart=, ExecStartPre=, ExecStartPost=, ExecStop=, ExecReload= lines, in order. */
  exec: string[]
  /** For timers: OnCalendar=, OnBootSec=, OnUnitActiveSec=… and Unit=. */
  triggers: string[]
  /** [Install] WantedBy= / RequiredBy=. */
  wantedBy: string[]
}

/** The parts of a unit file that say what it runs and when; later assignments add (systemd's lists). */
export function parseSystemdUnit(text: string): SystemdUnitFacts {
  const facts: SystemdUnitFacts = {exec: [], triggers: [], wantedBy: []}
  let joined = ''
  const lines: string[] = []
  for (const raw of splitLines(text)) {
    const line = raw.trimEnd()
    if (line.endsWith('\\')) {
      joined += `${line.slice(0, -1)} `
      continue
    }
    lines.push(joined + line)
    joined = ''
  }
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line.startsWith('[')) continue
    const eq = line.indexOf('=')
    if (eq < 0) continue
    const key = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    if (/^Exec(Start|StartPre|StartPost|Stop|StopPost|Reload|Condition)$/.test(key)) {
      if (value !== '') facts.exec.push(`${key}=${value}`)
    } else if (/^(On[A-Za-z]+|Unit)$/.test(key)) {
      if (value !== '') facts.triggers.push(`${key}=${value}`)
    } else if (key === 'WantedBy' || key === 'RequiredBy') {
      facts.wantedBy.push(...value.split(/\s+/).filter((v) => v !== ''))
    }
  }
  return facts
}

export interface AuthorizedKey {
  comment: string
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it (unpadded base64 of the SHA-256 of the key blob). */
  fingerprint: string | null
  line: number
  /** `from="10.0.0.0/8",command="…"`, or '' when the key has no options. */
  options: string
  type: string
}

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|ssh-(rsa|ed25519)-cert-v01@openssh\.com)$/

/** An authorized_keys file. A line whose blob does not decode keeps a null fingerprint (it is still listed). */
export function parseAuthorizedKeys(text: string): AuthorizedKey[] {
  const keys: AuthorizedKey[] = []
  splitLines(text).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const {options, rest} = splitOptions(line)
    const fields = rest.split(/\s+/)
    const type = fields[0] ?? ''
    if (!KEY_TYPE.test(type)) return
    const blob = fields[1] ?? ''
    keys.push({comment: fields.slice(2).join(' '), fingerprint: fingerprint(blob), line: index + 1, options, type})
  })
  return keys
}

/** Leading options (`no-pty,command="a b"`) end at the first space outside double quotes. */
function splitOptions(line: string): {options: string; rest: string} {
  if (KEY_TYPE.test(line.split(/\s+/)[0] ?? '')) return {options: '', rest: line}
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '\\' && quoted) {
      i++
    } else if (c === '"') {
      quoted = !quoted
    } else if (!quoted && (c === ' ' || c === '\t')) {
      return {options: line.slice(0, i), rest: line.slice(i).trim()}
    }
  }
  return {options: line, rest: ''}
}

export function fingerprint(base64Blob: string): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64Blob)) return null
  const bytes = Buffer.from(base64Blob, 'base64')
  if (bytes.length < 16) return null
  return `SHA256:${createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '')}`
}
