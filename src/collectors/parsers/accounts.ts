/**
 * Accounts as the system defines them: passwd, group, the STATE of each shadow password (never the
 * hash), and who sudoers lets become root. Pure and linear-time; malformed lines are counted, not thrown.
 */
import {splitLines} from './text.js'

export interface PasswdEntry {
  gecos: string
  gid: number
  home: string
  shell: string
  uid: number
  user: string
}

export interface GroupEntry {
  gid: number
  members: string[]
  name: string
}

/** `set` (a hash is there), `locked` (`!`/`*` prefix: no password login), `none` (empty: no password needed). */
export type PasswordState = 'locked' | 'none' | 'set'

export interface ShadowEntry {
  /** Day of the last change as YYYY-MM-DD; null when the field is empty; `0` means "change at next login". */
  lastChange: string | null
  mustChange: boolean
  password: PasswordState
  user: string
}

export interface SudoGrant {
  /** `%sudo ALL=(ALL:ALL) ALL` as written (comments and continuations removed). */
  rule: string
  /** Where: `/etc/sudoers:27` (the caller names the file). */
  where: string
}

export interface SudoersFacts {
  /** Groups named with `%` (or through a User_Alias) in a rule, with the rules. */
  groups: Map<string, SudoGrant[]>
  /** `#includedir` / `@includedir` targets, and `#include` / `@include` files, to read next. */
  includes: string[]
  /** Users named in a rule (directly or through a User_Alias), with the rules; `ALL` applies to everyone. */
  users: Map<string, SudoGrant[]>
}

export interface AccountRow {
  gid: number
  groups: string[]
  home: string
  last_change: string | null
  password: PasswordState | null
  shell: string
  /** True when the account can become root: uid 0, or a sudoers rule names it, one of its groups, or ALL. */
  sudo: boolean
  /** The sudoers rules (file:line and text) that make `sudo` true, or `uid 0`. */
  sudo_via: string[]
  uid: number
  user: string
}

const NUMBER = /^\d{1,10}$/

/** /etc/passwd: `name:x:uid:gid:gecos:home:shell`. NIS `+`/`-` lines and malformed lines are skipped. */
export function parsePasswd(text: string): PasswdEntry[] {
  const rows: PasswdEntry[] = []
  for (const line of splitLines(text)) {
    const f = line.split(':')
    if (f.length !== 7 || f[0] === '' || /^[+-]/.test(f[0] as string)) continue
    if (!NUMBER.test(f[2] as string) || !NUMBER.test(f[3] as string)) continue
    rows.push({gecos: f[4] as string, gid: Number(f[3]), home: f[5] as string, shell: f[6] as string, uid: Number(f[2]), user: f[0] as string})
  }
  return rows
}

/** /etc/group: `name:x:gid:member,member`. */
export function parseGroup(text: string): GroupEntry[] {
  const rows: GroupEntry[] = []
  for (const line of splitLines(text)) {
    const f = line.split(':')
    if (f.length !== 4 || f[0] === '' || /^[+-]/.test(f[0] as string) || !NUMBER.test(f[2] as string)) continue
    rows.push({gid: Number(f[2]), members: (f[3] as string).split(',').map((m) => m.trim()).filter((m) => m !== ''), name: f[0] as string})
  }
  return rows
}

/**
 * /etc/shadow reduced to what an investigator may keep: the password's state and the last change.
 * The hash itself never leaves this function.
 */
export function parseShadow(text: string): ShadowEntry[] {
  const rows: ShadowEntry[] = []
  for (const line of splitLines(text)) {
    const f = line.split(':')
    if (f.length < 3 || f[0] === '') continue
    const hash = f[1] as string
    const state: PasswordState = hash === '' ? 'none' : hash.startsWith('!') || hash.startsWith('*') ? 'locked' : 'set'
    const days = f[2] as string
    const lastChange = NUMBER.test(days) && days !== '0' ? new Date(Number(days) * 86_400_000).toISOString().slice(0, 10) : null
    rows.push({lastChange, mustChange: days === '0', password: state, user: f[0] as string})
  }
  return rows
}

/** sudoers lines with comments dropped and `\` continuations joined, each with its first line number. */
function logicalLines(text: string): Array<{line: number; text: string}> {
  const out: Array<{line: number; text: string}> = []
  let pending: {line: number; text: string} | undefined
  splitLines(text).forEach((raw, index) => {
    // `#include`, `#includedir` and `#123` (a uid) are not comments.
    let body = raw
    const hash = findComment(body)
    if (hash >= 0) body = body.slice(0, hash)
    const continued = body.endsWith('\\')
    if (continued) body = body.slice(0, -1)
    pending = pending === undefined ? {line: index + 1, text: body} : {line: pending.line, text: `${pending.text} ${body}`}
    if (!continued) {
      if (pending.text.trim() !== '') out.push({line: pending.line, text: pending.text.trim().replaceAll(/\s+/g, ' ')})
      pending = undefined
    }
  })
  if (pending !== undefined && pending.text.trim() !== '') out.push({line: pending.line, text: pending.text.trim()})
  return out
}

function findComment(line: string): number {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    const rest = line.slice(i)
    if (i === line.search(/\S/) && /^#include(dir)?\s/.test(rest)) continue
    if (/^#\d/.test(rest) && (i === 0 || /[\s,=(!]/.test(line[i - 1] as string))) continue
    return i
  }
  return -1
}

const IGNORED = /^(Defaults|Cmnd_Alias|Host_Alias|Runas_Alias)\b/

/**
 * Who a sudoers file lets run commands as another user. Every rule grants root unless its runas list
 * says otherwise; a rule limited to one command still makes that account privileged enough to list,
 * so every rule counts. Negated members (`!bob`) grant nothing and are left out.
 */
export function parseSudoers(text: string, file: string): SudoersFacts {
  const facts: SudoersFacts = {groups: new Map(), includes: [], users: new Map()}
  const aliases = new Map<string, string[]>()
  for (const {line, text: rule} of logicalLines(text)) {
    const include = /^[#@]include(dir)?\s+(.+)$/.exec(rule)
    if (include !== null) {
      facts.includes.push((include[2] as string).trim())
      continue
    }
    if (IGNORED.test(rule)) continue
    const alias = /^User_Alias\s+(.*)$/.exec(rule)
    if (alias !== null) {
      // `User_Alias A = x, y : B = z`
      for (const part of (alias[1] as string).split(':')) {
        const m = /^\s*([A-Z][A-Z0-9_]*)\s*=\s*(.*)$/.exec(part)
        if (m !== null) aliases.set(m[1] as string, splitList(m[2] as string))
      }
      continue
    }
    // `user[, user…] host[, host…] = …`: the user list ends at the first space not after a comma.
    const spec = /^((?:[^\s,=]+\s*,\s*)*[^\s,=]+)\s+[^=]+=/.exec(rule)
    if (spec === null) continue
    const grant: SudoGrant = {rule, where: `${file}:${line}`}
    for (const member of expand(splitList(spec[1] as string), aliases)) {
      if (member.startsWith('!')) continue
      const bucket = member.startsWith('%') ? facts.groups : facts.users
      const name = member.startsWith('%:') ? member.slice(2) : member.startsWith('%') ? member.slice(1) : member
      bucket.set(name, [...(bucket.get(name) ?? []), grant])
    }
  }
  return facts
}

function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

function expand(members: string[], aliases: Map<string, string[]>, depth = 0): string[] {
  return members.flatMap((m) => (depth < 8 && aliases.has(m) ? expand(aliases.get(m) as string[], aliases, depth + 1) : [m]))
}

/** Merges several sudoers files' facts (the main file and its includes). */
export function mergeSudoers(all: SudoersFacts[]): SudoersFacts {
  const merged: SudoersFacts = {groups: new Map(), includes: [], users: new Map()}
  for (const facts of all) {
    merged.includes.push(...facts.includes)
    for (const [key, target] of [['groups', merged.groups], ['users', merged.users]] as const) {
      for (const [name, grants] of facts[key]) target.set(name, [...(target.get(name) ?? []), ...grants])
    }
  }
  return merged
}

/** One row per passwd account: its groups, password state (from shadow, when readable) and sudo rights. */
export function buildAccounts(passwd: PasswdEntry[], groups: GroupEntry[], shadow: ShadowEntry[] | null, sudoers: SudoersFacts): AccountRow[] {
  const byGid = new Map(groups.map((g) => [g.gid, g.name]))
  const shadowByUser = new Map((shadow ?? []).map((s) => [s.user, s]))
  return passwd.map((p) => {
    const primary = byGid.get(p.gid)
    const memberOf = groups.filter((g) => g.members.includes(p.user)).map((g) => g.name)
    const names = [...new Set([...(primary === undefined ? [] : [primary]), ...memberOf])]
    const via = [
      ...(p.uid === 0 ? ['uid 0'] : []),
      ...[...(sudoers.users.get(p.user) ?? []), ...(sudoers.users.get('ALL') ?? [])].map((g) => `${g.where}: ${g.rule}`),
      ...names.flatMap((n) => (sudoers.groups.get(n) ?? []).map((g) => `${g.where}: ${g.rule}`)),
    ]
    const s = shadowByUser.get(p.user)
    return {
      gid: p.gid,
      groups: names,
      home: p.home,
      last_change: s?.lastChange ?? null,
      password: s?.password ?? null,
      shell: p.shell,
      sudo: via.length > 0,
      sudo_via: [...new Set(via)],
      uid: p.uid,
      user: p.user,
    }
  })
}
