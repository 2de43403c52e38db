/**
 * Classification of one auth message (the part after `program[pid]: `) into the contract's auth
 * event kinds. Shared by the syslog-file path (auth-line.ts) and the journal path. Every pattern
 * is anchored and linear: messages come from the network (user names chosen by attackers).
 */

export type AuthKind =
  | 'accepted'
  | 'disconnected'
  | 'failed'
  | 'invalid-user'
  | 'lockout'
  | 'other'
  | 'session-closed'
  | 'session-opened'
  | 'su'
  | 'sudo'
  | 'sudo-denied'

export interface AuthClassification {
  /** sudo only: the command line after `COMMAND=`. */
  command?: string
  /** rsyslog's `message repeated N times: [ … ]`: the one line stands for N more of the same. */
  count?: number
  invalid_user?: boolean
  /** sshd: more than one ` from ADDR port N ssh2` in the line (see addressTail); `ip` is the rightmost. */
  ip_ambiguous?: boolean
  ip: string | null
  kind: AuthKind
  method: string | null
  port: number | null
  /** sudo-denied: sudo's reason (`user NOT in sudoers`, `command not allowed`, …). */
  reason?: string
  /** sudo and su: the account switched to (`USER=root`, `(to root)`); `user` is who asked. */
  target_user?: string
  user: string | null
}

/** Longer messages are classified on their first 8 KiB (the raw line is kept whole elsewhere). */
const MAX_MESSAGE = 8192

const OTHER: AuthClassification = {ip: null, kind: 'other', method: null, port: null, user: null}

/**
 * One classification, built positionally so every result has the same shape (this runs for every
 * line of a multi-million-line log, where object spreads cost more than the parse itself).
 */
function result(kind: AuthKind, user: string | null = null, ip: string | null = null, port: number | null = null, method: string | null = null): AuthClassification {
  return {ip, kind, method, port, user}
}

/** `result` for sudo and su, with the account switched to and the command. */
function switched(kind: AuthKind, user: string | null, target: string | undefined, command?: string): AuthClassification {
  const found = result(kind, user)
  if (target !== undefined) found.target_user = target
  if (command !== undefined) found.command = command
  return found
}

function invalidUser(found: AuthClassification): AuthClassification {
  found.invalid_user = true
  return found
}

function toPort(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null
  const port = Number(text)
  return port <= 65_535 ? port : null
}

/** `IP port N…` at the start of `text`. */
function ipPort(text: string): {ip: string; port: number | null} | null {
  const match = /^(\S+) port (\d{1,5})\b/.exec(text)
  return match === null ? null : {ip: match[1] as string, port: toPort(match[2])}
}

/** The address token at `at` (up to the next space), or null when it is empty. */
function tokenAt(text: string, at: number): string | null {
  const end = text.indexOf(' ', at)
  const token = end === -1 ? text.slice(at) : text.slice(at, end)
  return token === '' ? null : token
}

/**
 * `USER from IP port N ssh2[: EXTRA]` (sshd's Accepted/Failed lines). The user name and, for
 * hostbased and certificate logins, EXTRA are chosen by the client, so either may hold a
 * ` from 6.6.6.6 port 1 ssh2` of its own. sshd writes the real one right after the user name and
 * follows it with the end of the message or `: `; the rightmost such place is taken, which a user
 * name can never be (it always comes first). When there are several, `ambiguous` says so.
 * (`ssh1` and no protocol word are accepted too). Linear: each ` from ` is looked at once.
 */
function addressTail(text: string): {ambiguous: boolean; ip: string | null; port: number | null; user: string} {
  let best: {at: number; ip: string; port: number | null} | null = null
  let found = 0
  let fallback = -1
  for (let at = text.indexOf(' from '); at !== -1; at = text.indexOf(' from ', at + 6)) {
    const ip = tokenAt(text, at + 6)
    if (ip === null) continue
    fallback = at
    let next = at + 6 + ip.length
    const portMatch = /^ port (\d{1,5})\b/.exec(text.slice(next, next + 13))
    if (portMatch === null) continue
    const port = toPort(portMatch[1])
    next += portMatch[0].length
    const proto = /^ ssh[12]?/.exec(text.slice(next, next + 5))
    if (proto !== null) next += proto[0].length
    if (next === text.length || text.startsWith(': ', next) || (next + 10 === text.length && text.endsWith(' [preauth]'))) {
      found++
      best = {at, ip, port}
    }
  }
  if (best === null) {
    // Nothing ends where sshd's address ends: keep the old reading (last ` from `, first token after it).
    if (fallback === -1) return {ambiguous: false, ip: null, port: null, user: text}
    const endpoint = ipPort(text.slice(fallback + 6))
    return {ambiguous: false, ip: endpoint?.ip ?? tokenAt(text, fallback + 6), port: endpoint?.port ?? null, user: text.slice(0, fallback)}
  }
  return {ambiguous: found > 1, ip: best.ip, port: best.port, user: text.slice(0, best.at)}
}

/** `USER from IP port N…` with nothing after (sshd's `Invalid user` line): split at the last ` from `. */
function userFromIpPort(text: string): {ip: string | null; port: number | null; user: string} {
  const at = text.lastIndexOf(' from ')
  if (at === -1) return {ip: null, port: null, user: text}
  const tail = text.slice(at + 6)
  const endpoint = ipPort(tail)
  const ip = endpoint?.ip ?? (/^\S+/.exec(tail)?.[0] ?? null)
  return {ip, port: endpoint?.port ?? null, user: text.slice(0, at)}
}

/** `IP port N…`, or the older `IP [preauth]` / `IP: 11: Bye Bye` without a port. */
function endpointOf(text: string): {ip: string | null; port: number | null} {
  const endpoint = ipPort(text)
  if (endpoint !== null) return endpoint
  const token = /^\S+/.exec(text)?.[0]
  if (token === undefined) return {ip: null, port: null}
  const ip = token.endsWith(':') ? token.slice(0, -1) : token
  return {ip: ip === '' || ip === '[preauth]' ? null : ip, port: null}
}

/** `[authenticating |invalid ]user USER IP port N` or `IP port N` (sshd disconnect lines). */
function disconnectTail(text: string): AuthClassification {
  const body = text.endsWith(' [preauth]') ? text.slice(0, -10) : text
  let rest = body
  let userExpected = false
  for (const prefix of ['authenticating user ', 'invalid user ', 'user ']) {
    if (rest.startsWith(prefix)) {
      rest = rest.slice(prefix.length)
      userExpected = true
      break
    }
  }

  if (!userExpected) {
    const endpoint = endpointOf(rest)
    return result('disconnected', null, endpoint.ip, endpoint.port)
  }

  const portAt = rest.lastIndexOf(' port ')
  if (portAt === -1) return result('disconnected', rest)
  const before = rest.slice(0, portAt)
  const space = before.lastIndexOf(' ')
  return result('disconnected', space === -1 ? null : before.slice(0, space), before.slice(space + 1), toPort(/^\d+/.exec(rest.slice(portAt + 6))?.[0]))
}

function classifySshd(line: string): AuthClassification {
  // OpenSSH logs some events at error level (`error: Received disconnect from …` for any reason code but 11).
  const message = line.startsWith('error: ') ? line.slice(7) : line
  if (message.startsWith('Accepted ') || message.startsWith('Failed ')) {
    const accepted = message.startsWith('Accepted ')
    const rest = message.slice(accepted ? 9 : 7)
    const space = rest.indexOf(' ')
    if (space === -1 || !rest.startsWith(' for ', space)) return OTHER
    const method = rest.slice(0, space)
    let who = rest.slice(space + 5)
    const invalid = who.startsWith('invalid user ')
    if (invalid) who = who.slice(13)
    const parsed = addressTail(who)
    const found = result(accepted ? 'accepted' : 'failed', parsed.user, parsed.ip, parsed.port, method)
    if (parsed.ambiguous) found.ip_ambiguous = true
    return invalid && !accepted ? invalidUser(found) : found
  }

  if (message.startsWith('Invalid user ')) {
    const parsed = userFromIpPort(message.slice(13))
    return invalidUser(result('invalid-user', parsed.user, parsed.ip, parsed.port))
  }
  if (message.startsWith('Disconnected from ')) return disconnectTail(message.slice(18))
  if (message.startsWith('Connection closed by ')) return disconnectTail(message.slice(21))
  if (message.startsWith('Connection reset by ')) return disconnectTail(message.slice(20))
  if (message.startsWith('Received disconnect from ')) {
    const endpoint = endpointOf(message.slice(25))
    return result('disconnected', null, endpoint.ip, endpoint.port)
  }
  // sshd's own PAM failure: `error: PAM: Authentication failure for [illegal user ]X from HOST[ via HOST]`
  // (also `authentication error`, as macOS's sshd writes it).
  const pamFailure = /^PAM: [Aa]uthentication (?:failure|error) for /.exec(message)
  if (pamFailure !== null) {
    let who = message.slice(pamFailure[0].length)
    const invalid = who.startsWith('illegal user ') || who.startsWith('invalid user ')
    if (invalid) who = who.slice(13)
    const parsed = userFromIpPort(who)
    const found = result('failed', parsed.user, parsed.ip, parsed.port)
    return invalid ? invalidUser(found) : found
  }

  return OTHER
}

/** `key=value` pairs separated by spaces (`logname= uid=0 … rhost=203.0.113.9  user=root`). */
function keyValues(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const word of text.split(/[ \t]+/)) {
    const eq = word.indexOf('=')
    if (eq > 0) values.set(word.slice(0, eq), word.slice(eq + 1))
  }

  return values
}

/** `NAME(uid=N)` → `NAME`; `(uid=0)` → null. */
function stripUid(text: string): string | null {
  const at = text.indexOf('(uid=')
  const name = at === -1 ? text : text.slice(0, at)
  return name === '' ? null : name
}

const PAM_PREFIX = /^(pam_[a-z0-9_]{1,32})\(([^():\s]{0,64}):([a-z]{1,16})\): /

function classifyPam(module: string, service: string, body: string): AuthClassification {
  if (body.startsWith('session opened for user ') || body.startsWith('session closed for user ')) {
    const opened = body.startsWith('session opened')
    const rest = body.slice(24)
    const space = rest.indexOf(' ')
    const target = stripUid(space === -1 ? rest : rest.slice(0, space))
    const byAt = rest.indexOf(' by ')
    const by = byAt === -1 ? null : stripUid(rest.slice(byAt + 4).split(' ')[0] ?? '')
    if (service === 'su' || service === 'su-l') {
      return switched('su', by, target ?? undefined)
    }

    return result(opened ? 'session-opened' : 'session-closed', target)
  }

  if (body.startsWith('authentication failure;')) {
    const values = keyValues(body.slice(23))
    const user = values.get('user')
    const rhost = values.get('rhost')
    return result('failed', user === undefined || user === '' ? null : user, rhost === undefined || rhost === '' ? null : rhost)
  }

  if (module === 'pam_faillock' && body.startsWith('Consecutive login failures for user ')) {
    const rest = body.slice(36)
    return result('lockout', rest.split(' ')[0] ?? null)
  }

  if (module === 'pam_tally2' || module === 'pam_tally') {
    const match = /^user (\S+) \(\d+\) tally \d+, deny \d+/.exec(body)
    if (match !== null) return result('lockout', match[1] as string)
  }

  return OTHER
}

function classifySudo(message: string): AuthClassification {
  const text = message.trimStart()
  const colon = text.indexOf(' : ')
  if (colon <= 0) return OTHER
  const user = text.slice(0, colon).trim()
  const rest = text.slice(colon + 3)
  const commandAt = rest.indexOf('COMMAND=')
  const head = commandAt === -1 ? rest : rest.slice(0, commandAt)
  const parts = head.split(' ; ').map((part) => part.trim())
  const fields = new Map<string, string>()
  for (const part of parts) {
    const eq = part.indexOf('=')
    if (eq > 0 && /^[A-Z_]+$/.test(part.slice(0, eq))) fields.set(part.slice(0, eq), part.slice(eq + 1))
  }

  const command = commandAt === -1 ? undefined : rest.slice(commandAt + 8)
  const first = parts[0] ?? ''
  if (/incorrect password attempts?$/.test(first)) return switched('failed', user, fields.get('USER'), command)
  if (!fields.has('TTY') && commandAt === -1) return OTHER
  // A free-text first part is sudo's reason for refusing (`user NOT in sudoers`, `command not
  // allowed`, `a password is required`, `user NOT authorized on host`): the command did not run.
  if (first !== '' && !/^[A-Z_]+=/.test(first)) {
    const denied = switched('sudo-denied', user, fields.get('USER'), command)
    denied.reason = first.slice(0, 200)
    return denied
  }
  return switched('sudo', user, fields.get('USER'), command)
}

function classifySu(message: string): AuthClassification {
  const failed = message.startsWith('FAILED SU ')
  const text = failed ? message.slice(10) : message
  const to = /^\(to (\S+)\) (\S+) on \S+/.exec(text)
  if (to !== null) return switched(failed ? 'failed' : 'su', to[2] as string, to[1] as string)
  // Older su: `+ pts/0 alice:root` (success) / `- pts/0 alice:root` (failure).
  const classic = /^([+-]) \S+ ([^\s:]+):(\S+)$/.exec(message)
  if (classic !== null) return switched(classic[1] === '+' ? 'su' : 'failed', classic[2] as string, classic[3] as string)
  return OTHER
}

function programBase(program: string): string {
  const slash = program.lastIndexOf('/')
  return (slash === -1 ? program : program.slice(slash + 1)).toLowerCase()
}

const SSHD_NAMES = new Set(['sshd', 'sshd-session', 'sshd-auth'])

/** Linux-PAM before 0.99 put the module in the tag: `sshd(pam_unix)[19939]:`, `su(pam_unix)[…]:`. */
const OLD_PAM_TAG = /^([A-Za-z0-9_.-]{1,64})\((pam_[a-z0-9_]{1,32})\)$/

/** rsyslog's `$RepeatedMsgReduction`: `message repeated 5 times: [ Failed password for root …]`. */
const REPEATED = /^message repeated (\d{1,9}) times: \[ ?/

/** Classifies one message of `program` (sshd, sudo, su, login or any PAM-using service). */
export function classifyAuthMessage(program: string, message: string): AuthClassification {
  const text = message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) : message
  const repeated = REPEATED.exec(text)
  if (repeated === null) return classifyOnce(program, text)
  const inner = text.slice(repeated[0].length)
  const found = classifyOnce(program, inner.endsWith(']') ? inner.slice(0, -1) : inner)
  if (found.kind === 'other') return OTHER
  found.count = Number(repeated[1])
  return found
}

function classifyOnce(program: string, text: string): AuthClassification {
  const pam = PAM_PREFIX.exec(text)
  if (pam !== null) return classifyPam(pam[1] as string, pam[2] as string, text.slice(pam[0].length))
  const oldPam = OLD_PAM_TAG.exec(program)
  if (oldPam !== null) return classifyPam(oldPam[2] as string, (oldPam[1] as string).toLowerCase(), text)
  const base = programBase(program)
  if (SSHD_NAMES.has(base)) return classifySshd(text)
  if (base === 'sudo') return classifySudo(text)
  if (base === 'su') return classifySu(text)
  if (base === 'login' && text.startsWith('FAILED LOGIN ')) {
    const user = /FOR '([^']{0,256})'/.exec(text)
    return result('failed', user === null ? null : (user[1] as string))
  }

  return OTHER
}

/** The PAM service a `pam_unix(SERVICE:type): …` message names, or null. */
export function pamService(message: string): string | null {
  return PAM_PREFIX.exec(message)?.[2] ?? null
}

/**
 * Whether two program names are one program for attribution: equal ignoring case, the 15-byte
 * truncation of a process name (`_COMM`) and parentheses (`(systemd)`); sshd, sshd-session and
 * sshd-auth (OpenSSH 9.8 split sshd) count as one.
 */
export function sameAuthProgram(a: string, b: string): boolean {
  const x = programBase(a).replace(/^\((.*)\)$/, '$1')
  const y = programBase(b).replace(/^\((.*)\)$/, '$1')
  if (x === y || (SSHD_NAMES.has(x) && SSHD_NAMES.has(y))) return true
  return (x.length === 15 && y.startsWith(x)) || (y.length === 15 && x.startsWith(y))
}
