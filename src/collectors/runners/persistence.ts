import {join} from 'node:path'

import {JsonlWriter} from '../../io/evidence-fs.js'
import {RootView} from '../../posture/io/root-view.js'
import {effectiveDirective, matchOverrides, parseSshdConfig} from '../../posture/parsers/sshd-config.js'
import {parseAuthorizedKeys, parseCrontab, parseSystemdUnit} from '../parsers/persistence.js'
import type {CollectorEngine} from './context.js'
import {findHomes, type Home, readAccounts} from './homes.js'
import {type SystemFile, SystemFiles} from './system-files.js'

export type PersistenceKind = 'authorized-key' | 'cron' | 'ld-preload' | 'profile-script' | 'rc-local' | 'sshd-dropin' | 'systemd-timer' | 'systemd-unit'

interface ItemFile {
  kind: PersistenceKind
  path: string
  user: string
  /** Of the file read; null for a masked or dangling unit link (nothing to read). */
  mtime: string | null
  sha256: string | null
}

/** One row of `persistence/persistence.jsonl` (the contract's fields, then what the kind adds). */
export interface PersistenceItem extends ItemFile {
  /** The command, the unit's Exec lines or timer triggers, the key's fingerprint and comment. */
  detail: string
  [extra: string]: unknown
}

const CRON_PERIODIC = ['/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly', '/etc/cron.yearly']
const SYSTEM_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']
const GLOBAL_USER_UNIT_DIRS = ['/etc/systemd/user', '/usr/local/lib/systemd/user', '/usr/lib/systemd/user', '/lib/systemd/user']
const HOME_UNIT_DIRS = ['.config/systemd/user', '.local/share/systemd/user']
const UNIT = /\.(service|socket|timer|path)$/
const SYSTEM_PROFILES = ['/etc/profile', '/etc/bash.bashrc', '/etc/bashrc', '/etc/zshrc', '/etc/zsh/zshrc', '/etc/zsh/zprofile', '/etc/zsh/zshenv']
const HOME_PROFILES = ['.profile', '.bash_profile', '.bash_login', '.bashrc', '.bash_logout', '.zshenv', '.zprofile', '.zshrc', '.zlogin']
const DETAIL_CHARS = 1000

/**
 * Everything that starts again after a reboot or a login, one row per item in
 * `persistence/persistence.jsonl`, each with its file's SHA-256 and mtime, and a copy of every file
 * read below `persistence/raw/`. System items belong to root (cron's user column aside); per-user ones
 * (spool crontabs, user units, authorized_keys, dot files) to the account whose home holds them.
 */
export const runPersistence: CollectorEngine = async (context) => {
  const files = new SystemFiles(context, 'persistence', context.planned.spec.maxOutputBytes)
  const passwd = readAccounts(files)
  const homes = findHomes(files, passwd)
  // A key file outside the homes (`/etc/ssh/keys/%u`) may belong to an account whose home is gone.
  const accounts = [...homes, ...passwd.filter((p) => !homes.some((h) => h.user === p.user)).map((p) => ({home: p.home, user: p.user}))]
  const out = new JsonlWriter(join(context.outDir, 'persistence.jsonl'))
  const counts: Record<string, number> = {}
  const done = new Set<string>()
  /**
   * Reads and copies a file once, however many paths lead to it (a link, /lib and /usr/lib on
   * merged-/usr systems): null when it was taken already, undefined when absent or unreadable.
   */
  const take = async (seen: string): Promise<SystemFile | null | undefined> => {
    const file = files.read(seen)
    if (file === undefined) return undefined
    if (done.has(file.id)) return null
    done.add(file.id)
    await files.copy(file)
    return file
  }
  const emit = async (item: PersistenceItem): Promise<void> => {
    counts[item.kind] = (counts[item.kind] ?? 0) + 1
    await out.write(item)
  }
  try {
    await cron(files, take, emit)
    await systemd(files, homes, take, emit)
    await authorizedKeys(accounts, authorizedKeysFiles(context.root), take, emit)
    await startupFiles(files, homes, take, emit)
  } finally {
    await out.close()
  }
  const {reason, status} = files.outcome()
  return {commands: [], counts: {items: out.count, ...counts}, files: ['persistence/persistence.jsonl', ...files.copies], status, warnings: [], ...(reason ? {reason} : {})}
}

type Take = (seen: string) => Promise<SystemFile | null | undefined>
type Emit = (item: PersistenceItem) => Promise<void>

function base(kind: PersistenceKind, file: SystemFile, user: string): ItemFile {
  return {kind, mtime: file.mtime, path: file.seen, sha256: file.sha256, user}
}

/** The lines that do something (no blanks, no comments), joined and cut to a readable length. */
function gist(text: string, comment = /^\s*#/): string {
  const joined = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !comment.test(l)).join('; ')
  return joined.length > DETAIL_CHARS ? `${joined.slice(0, DETAIL_CHARS)}…` : joined
}

/** /etc/crontab and cron.d (with a user column), the periodic folders' scripts, anacrontab, and the user spool crontabs of Debian (crontabs/USER) and RHEL (USER). */
async function cron(files: SystemFiles, take: Take, emit: Emit): Promise<void> {
  const crontab = async (seen: string, system: boolean, owner: string): Promise<void> => {
    const file = await take(seen)
    if (!file) return
    const entries = parseCrontab(file.text, system, owner)
    if (entries.length === 0) await emit({...base('cron', file, owner), detail: '(no entries)'})
    for (const entry of entries) await emit({...base('cron', file, entry.user ?? owner), detail: entry.command, line: entry.line, schedule: entry.schedule})
  }
  await crontab('/etc/crontab', true, 'root')
  for (const name of files.list('/etc/cron.d')) await crontab(`/etc/cron.d/${name}`, true, 'root')
  for (const dir of CRON_PERIODIC) {
    for (const name of files.list(dir)) {
      const file = await take(`${dir}/${name}`)
      if (file) await emit({...base('cron', file, 'root'), detail: `run by ${dir}: ${gist(file.text)}`, schedule: `@${dir.slice('/etc/cron.'.length)}`})
    }
  }
  const anacrontab = await take('/etc/anacrontab')
  if (anacrontab) await emit({...base('cron', anacrontab, 'root'), detail: gist(anacrontab.text)})
  for (const name of files.list('/var/spool/cron/crontabs')) await crontab(`/var/spool/cron/crontabs/${name}`, false, name)
  for (const name of files.list('/var/spool/cron')) {
    if (files.entry(`/var/spool/cron/${name}`).type !== 'dir') await crontab(`/var/spool/cron/${name}`, false, name)
  }
}

/** Unit files and timers of the system and of each user, enabled or not, their drop-ins, and units enabled by a link from anywhere else. */
async function systemd(files: SystemFiles, homes: readonly Home[], take: Take, emit: Emit): Promise<void> {
  const scopes = [
    {dirs: SYSTEM_UNIT_DIRS, scope: 'system', user: 'root'},
    {dirs: GLOBAL_USER_UNIT_DIRS, scope: 'user', user: 'root'},
    ...homes.map((h) => ({dirs: HOME_UNIT_DIRS.map((d) => `${h.home.replace(/\/$/, '')}/${d}`), scope: 'user', user: h.user})),
  ]
  // Enabled: named in a `*.wants`/`*.requires` folder (a template instance enables its template).
  const enabled = {system: new Set<string>(), user: new Set<string>()}
  const links: {path: string; scope: 'system' | 'user'; unit: string; user: string}[] = []
  for (const {dirs, scope, user} of scopes) {
    for (const dir of dirs) {
      for (const name of files.list(dir).filter((n) => /\.(wants|requires|upholds)$/.test(n))) {
        for (const unit of files.list(`${dir}/${name}`)) {
          enabled[scope as 'system' | 'user'].add(unit).add(unit.replace(/@[^.]*\./, '@.'))
          links.push({path: `${dir}/${name}/${unit}`, scope: scope as 'system' | 'user', unit, user})
        }
      }
    }
  }
  const emitted = new Set<string>()
  const unitItem = async (seen: string, unit: string, scope: 'system' | 'user', user: string): Promise<void> => {
    const kind: PersistenceKind = unit.endsWith('.timer') ? 'systemd-timer' : 'systemd-unit'
    const extra = {enabled: enabled[scope].has(unit) || enabled[scope].has(unit.replace(/@[^.]*\./, '@.')), scope, unit}
    const entry = files.entry(seen)
    if (entry.type === 'link' && entry.target === '/dev/null') {
      emitted.add(`${scope}:${unit}`)
      await emit({detail: 'masked (a link to /dev/null)', kind, mtime: null, path: seen, sha256: null, user, ...extra, enabled: false})
      return
    }
    const before = files.unread.length
    const file = await take(seen)
    if (file === null) return
    if (file === undefined) {
      if (entry.type === 'link' && files.unread.length === before && !emitted.has(`${scope}:${unit}`)) {
        emitted.add(`${scope}:${unit}`)
        await emit({detail: `a link to ${entry.target ?? '?'}, which is not there`, kind, mtime: null, path: seen, sha256: null, user, ...extra})
      }
      return
    }
    emitted.add(`${scope}:${unit}`)
    const facts = parseSystemdUnit(file.text)
    const detail = kind === 'systemd-timer' ? facts.triggers.join('; ') : facts.exec.join('; ')
    await emit({...base(kind, file, user), detail: detail || '(no Exec lines)', ...extra, ...(facts.wantedBy.length > 0 ? {wanted_by: facts.wantedBy} : {})})
  }
  for (const {dirs, scope, user} of scopes) {
    for (const dir of dirs) {
      for (const name of files.list(dir)) {
        if (UNIT.test(name)) await unitItem(`${dir}/${name}`, name, scope as 'system' | 'user', user)
        const dropIn = /^(.+\.(service|socket|timer|path))\.d$/.exec(name)
        if (dropIn === null) continue
        for (const conf of files.list(`${dir}/${name}`).filter((n) => n.endsWith('.conf'))) {
          const file = await take(`${dir}/${name}/${conf}`)
          if (!file) continue
          const facts = parseSystemdUnit(file.text)
          const kind = name.endsWith('.timer.d') ? 'systemd-timer' : 'systemd-unit'
          const detail = [...facts.exec, ...facts.triggers].join('; ')
          await emit({...base(kind, file, user), detail: detail || gist(file.text), drop_in_for: dropIn[1], scope})
        }
      }
    }
  }
  // A unit enabled by a link to a file outside the unit folders (`/opt/x.service`) is read through its link.
  for (const link of links) if (!emitted.has(`${link.scope}:${link.unit}`)) await unitItem(link.path, link.unit, link.scope, link.user)
}

/** sshd's default when sshd_config names none. */
const DEFAULT_KEY_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2']

/**
 * The AuthorizedKeysFile patterns sshd_config sets (with its Includes), globally and in Match blocks
 * (a key file that only some connections use is still a way in), else sshd's default.
 */
export function authorizedKeysFiles(root: string): string[] {
  const config = parseSshdConfig(new RootView(root))
  if (config === undefined) return DEFAULT_KEY_FILES
  const global = effectiveDirective(config, 'AuthorizedKeysFile')
  const patterns = [...(global === undefined ? DEFAULT_KEY_FILES : global.values), ...matchOverrides(config, 'AuthorizedKeysFile').flatMap((d) => d.values)]
  return [...new Set(patterns.filter((p) => p.toLowerCase() !== 'none'))]
}

/** A key file pattern for one account: `%h` its home, `%u` its name, `%%` a percent sign; relative to the home. Undefined when it cannot be said. */
function keyFilePath(pattern: string, home: Home): string | undefined {
  let unknown = false
  const path = pattern.replace(/%(.)/g, (_, token: string) => {
    if (token === '%') return '%'
    if (token === 'h') return home.home
    if (token === 'u' && !home.user.startsWith('#')) return home.user
    unknown = true
    return ''
  })
  if (unknown) return undefined
  return path.startsWith('/') ? path : `${home.home.replace(/\/$/, '')}/${path}`
}

/** Every account's authorized keys, where sshd_config says they are: one row per key, with the fingerprint ssh-keygen -l shows. */
async function authorizedKeys(accounts: readonly Home[], patterns: readonly string[], take: Take, emit: Emit): Promise<void> {
  for (const home of accounts) {
    for (const pattern of patterns) {
      const path = keyFilePath(pattern, home)
      const file = path === undefined ? undefined : await take(path)
      if (!file) continue
      const {user} = home
      const keys = parseAuthorizedKeys(file.text)
      if (keys.length === 0) await emit({...base('authorized-key', file, user), detail: '(no keys)'})
      for (const key of keys) {
        const detail = [key.fingerprint ?? `${key.type} key that does not decode`, key.comment, key.options === '' ? '' : `options ${key.options}`].filter((p) => p !== '').join(' ')
        await emit({...base('authorized-key', file, user), comment: key.comment, detail, fingerprint: key.fingerprint, key_type: key.type, line: key.line, options: key.options})
      }
    }
  }
}

/** ld.so.preload, rc.local, the shells' startup files (system and per user) and sshd_config.d drop-ins. */
async function startupFiles(files: SystemFiles, homes: readonly Home[], take: Take, emit: Emit): Promise<void> {
  const one = async (seen: string, kind: PersistenceKind, user: string): Promise<void> => {
    const file = await take(seen)
    if (file) await emit({...base(kind, file, user), detail: gist(file.text)})
  }
  await one('/etc/ld.so.preload', 'ld-preload', 'root')
  for (const path of ['/etc/rc.local', '/etc/rc.d/rc.local']) await one(path, 'rc-local', 'root')
  for (const path of SYSTEM_PROFILES) await one(path, 'profile-script', 'root')
  for (const name of files.list('/etc/profile.d')) await one(`/etc/profile.d/${name}`, 'profile-script', 'root')
  for (const {home, user} of homes) for (const name of HOME_PROFILES) await one(`${home.replace(/\/$/, '')}/${name}`, 'profile-script', user)
  for (const name of files.list('/etc/ssh/sshd_config.d')) await one(`/etc/ssh/sshd_config.d/${name}`, 'sshd-dropin', 'root')
}
