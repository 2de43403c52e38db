import {readFileSync} from 'node:fs'

import {parsePasswd} from '../parsers/accounts.js'
import {commandRecord, type CommandRecord} from '../record.js'
import type {CollectorContext} from './context.js'
import {logCommand} from './log-command.js'

/** More uids than this are not asked of getent in one command (argv stays short). */
const GETENT_MAX = 200

/**
 * The account name of each uid on the running system: /etc/passwd, then, for uids it does not list
 * (accounts of a directory service: LDAP, SSSD, AD), one `getent passwd UID…`, whose command is
 * recorded. getent exits 2 when some uid has no account: that is an answer, not a failure.
 */
export async function userNames(uids: ReadonlySet<number>, context: CollectorContext, commands: CommandRecord[]): Promise<Map<number, string>> {
  const names = new Map<number, string>()
  let passwd = ''
  try {
    passwd = readFileSync('/etc/passwd', 'utf8')
  } catch {
    // every uid is then asked of getent
  }
  for (const entry of parsePasswd(passwd)) if (uids.has(entry.uid) && !names.has(entry.uid)) names.set(entry.uid, entry.user)
  const unknown = [...uids].filter((uid) => !names.has(uid)).slice(0, GETENT_MAX)
  if (unknown.length === 0) return names
  const result = await context.exec({argv: ['getent', 'passwd', ...unknown.map(String)], maxOutputBytes: 1024 * 1024, timeoutMs: 10_000})
  const record = commandRecord('getent-passwd', result, {noMatch: (r) => r.exitCode === 2})
  commands.push(record)
  logCommand(context.log, context.planned.id, record)
  for (const entry of parsePasswd(result.stdout.toString('utf8'))) if (uids.has(entry.uid) && !names.has(entry.uid)) names.set(entry.uid, entry.user)
  return names
}
