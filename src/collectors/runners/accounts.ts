import {join, posix} from 'node:path'

import {JsonlWriter} from '../../io/evidence-fs.js'
import {buildAccounts, mergeSudoers, parseGroup, parsePasswd, parseShadow, parseSudoers, type ShadowEntry, type SudoersFacts} from '../parsers/accounts.js'
import type {CollectorEngine} from './context.js'
import {SystemFiles} from './system-files.js'

/** sudoers may include files that include files; sudo itself stops at 128, a loop is cut here sooner. */
const MAX_INCLUDE_DEPTH = 8

/**
 * One row per account in `accounts/accounts.jsonl`: passwd, its groups, whether it can become root
 * (uid 0 or a sudoers rule, with the rules) and, from shadow, only the password's state and last
 * change. shadow is read and dropped: neither it nor any hash is copied. passwd, group and every
 * sudoers file read are copied below `accounts/raw/`, passwd and group with any hash in their second
 * field removed (systems without shadow keep hashes there).
 */
export const runAccounts: CollectorEngine = async (context) => {
  const files = new SystemFiles(context, 'accounts', context.planned.spec.maxOutputBytes)
  const passwdFile = files.read('/etc/passwd')
  if (passwdFile === undefined) {
    const reason = files.unread[0] ? `could not read ${files.unread[0]}` : 'no /etc/passwd on this system'
    return {commands: [], files: [], reason, status: 'failed', warnings: []}
  }
  const passwd = parsePasswd(passwdFile.text)
  const passwdClean = withoutHashes(passwdFile.text)
  await files.copy(passwdFile, Buffer.from(passwdClean.text))
  const groupFile = files.read('/etc/group')
  if (groupFile !== undefined) await files.copy(groupFile, Buffer.from(withoutHashes(groupFile.text).text))
  const groups = groupFile === undefined ? [] : parseGroup(groupFile.text)
  const warnings: string[] = []
  if (passwdClean.removed > 0) {
    warnings.push(`/etc/passwd holds ${passwdClean.removed} password hash(es) in its second field (no shadow in use); the copy has them removed`)
  }

  // The hash never leaves parseShadow; the file's bytes are not kept.
  const shadowFile = files.read('/etc/shadow')
  const shadow: ShadowEntry[] | null = shadowFile === undefined ? null : parseShadow(shadowFile.text)
  if (shadowFile === undefined && !files.unread.some((u) => u.startsWith('/etc/shadow:'))) files.note('/etc/shadow', 'not there: password state taken from passwd alone')
  const states = [...(shadow ?? []), ...passwdStates(passwdFile.text, new Set((shadow ?? []).map((s) => s.user)))]

  const sudoers = await readSudoers(files)
  const rows = buildAccounts(passwd, groups, states.length > 0 || shadow !== null ? states : null, sudoers)
  const out = new JsonlWriter(join(context.outDir, 'accounts.jsonl'))
  try {
    for (const row of rows) await out.write(row)
  } finally {
    await out.close()
  }
  const {reason, status} = files.outcome()
  return {
    commands: [],
    counts: {accounts: rows.length, sudo: rows.filter((r) => r.sudo).length},
    files: ['accounts/accounts.jsonl', ...files.copies],
    status,
    warnings,
    ...(reason ? {reason} : {}),
  }
}

/** /etc/sudoers and everything it includes (`#includedir` folders, `#include` files), each copied. */
async function readSudoers(files: SystemFiles): Promise<SudoersFacts> {
  const all: SudoersFacts[] = []
  const seen = new Set<string>()
  const visit = async (path: string, depth: number): Promise<void> => {
    if (seen.has(path) || depth > MAX_INCLUDE_DEPTH) return
    seen.add(path)
    const file = files.read(path)
    if (file === undefined) return
    await files.copy(file)
    const facts = parseSudoers(file.text, path)
    all.push(facts)
    for (const raw of facts.includes) {
      // sudo 1.9: a relative include is relative to the including file's folder.
      const target = posix.resolve(posix.dirname(path), raw.replace(/^"|"$/g, ''))
      if (files.isDir(target)) {
        // sudo skips names ending in `~` or holding a `.` (editor backups, package leftovers).
        for (const name of files.list(target)) if (!name.endsWith('~') && !name.includes('.')) await visit(`${target}/${name}`, depth + 1)
      } else {
        await visit(target, depth + 1)
      }
    }
  }
  await visit('/etc/sudoers', 0)
  return mergeSudoers(all)
}

/** `x`, `*`, `!`, `!!` and the like say where the password is or that there is none; anything else is a hash. */
const MARKER = /^[x*!]*$/

/** passwd or group with any hash in the second field replaced by `<hash removed>` (its `!`/`*` lock prefix kept). */
export function withoutHashes(text: string): {removed: number; text: string} {
  let removed = 0
  const lines = text.split('\n').map((line) => {
    const fields = line.split(':')
    if (fields.length < 3 || MARKER.test(fields[1] as string)) return line
    removed++
    fields[1] = `${/^[!*]*/.exec(fields[1] as string)?.[0] ?? ''}<hash removed>`
    return fields.join(':')
  })
  return {removed, text: lines.join('\n')}
}

/** The password state of accounts whose passwd entry holds the password itself (no `x`), for systems without shadow. */
function passwdStates(text: string, inShadow: ReadonlySet<string>): ShadowEntry[] {
  const lines = text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length === 7 && f[1] !== 'x' && !inShadow.has(f[0] as string))
    .map((f) => `${f[0]}:${f[1]}:`)
  return parseShadow(lines.join('\n'))
}
