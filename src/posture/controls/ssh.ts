import type {ControlResult, ControlStatus} from '../types.js'
import {toInt} from '../parsers/lines.js'
import type {ControlId} from './catalog.js'
import {type PostureContext, verdict} from './context.js'
import {joinReasons, matchNote, type SshAnswer, sshLookup, type SshSource, sshSource} from './ssh-source.js'

type Judged = {reason?: string; status: ControlStatus}

function single(id: ControlId, source: SshSource, keyword: string, judge: (answer: SshAnswer) => Judged): ControlResult {
  if (source.kind === 'missing') return verdict(id, 'unknown', [{file: '/etc/ssh/sshd_config', missing: true}], source.reason)
  const answer = sshLookup(source, keyword)
  const judged = judge(answer)
  const reason = joinReasons(judged.reason, matchNote(answer), source.note)
  return verdict(id, judged.status, answer.evidence, reason)
}

function unsetReason(keyword: string, fallback: string): string {
  return `${keyword} is not set, so sshd's default (${fallback}) applies`
}

export function judgePermitRootLogin(source: SshSource): ControlResult {
  return single('ssh.permit-root-login', source, 'PermitRootLogin', ({value}) => {
    if (value === undefined) return {reason: unsetReason('PermitRootLogin', 'prohibit-password: root may log in with a key'), status: 'fail'}
    return value.toLowerCase() === 'no' ? {status: 'pass'} : {reason: `PermitRootLogin is ${value}, not no`, status: 'fail'}
  })
}

export function judgePasswordAuthentication(source: SshSource): ControlResult {
  return single('ssh.password-authentication', source, 'PasswordAuthentication', ({value}) => {
    if (value === undefined) return {reason: unsetReason('PasswordAuthentication', 'yes'), status: 'fail'}
    return value.toLowerCase() === 'no' ? {status: 'pass'} : {reason: `PasswordAuthentication is ${value}, not no`, status: 'fail'}
  })
}

export function judgeMaxAuthTries(source: SshSource): ControlResult {
  return single('ssh.max-auth-tries', source, 'MaxAuthTries', ({value}) => {
    if (value === undefined) return {reason: unsetReason('MaxAuthTries', '6'), status: 'fail'}
    const tries = toInt(value)
    if (tries === undefined) return {reason: `MaxAuthTries ${value} is not a number`, status: 'fail'}
    return tries <= 3 ? {status: 'pass'} : {reason: `MaxAuthTries is ${tries}, more than 3`, status: 'fail'}
  })
}

/** sshd time values: `300`, `5m`, `1h30m` (s, m, h, d, w suffixes). */
export function sshdSeconds(value: string): number | undefined {
  const text = value.trim().toLowerCase()
  if (/^\d+$/.test(text)) return Number(text)
  if (!/^(\d+[smhdw])+$/.test(text)) return undefined
  const units: Record<string, number> = {d: 86_400, h: 3600, m: 60, s: 1, w: 604_800}
  let total = 0
  for (const match of text.matchAll(/(\d+)([smhdw])/g)) total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1)
  return total
}

export function judgeIdleTimeout(source: SshSource): ControlResult {
  const id = 'ssh.idle-timeout'
  if (source.kind === 'missing') return verdict(id, 'unknown', [{file: '/etc/ssh/sshd_config', missing: true}], source.reason)
  const interval = sshLookup(source, 'ClientAliveInterval')
  const count = sshLookup(source, 'ClientAliveCountMax')
  const evidence = [...interval.evidence, ...count.evidence]
  const seconds = interval.value === undefined ? 0 : sshdSeconds(interval.value)
  const max = count.value === undefined ? 3 : toInt(count.value)
  const notes = joinReasons(matchNote(interval), matchNote(count), source.note)
  const fail = (why: string): ControlResult => verdict(id, 'fail', evidence, joinReasons(why, notes))
  if (seconds === undefined) return fail(`ClientAliveInterval ${interval.value ?? ''} is not a time`)
  if (max === undefined) return fail(`ClientAliveCountMax ${count.value ?? ''} is not a number`)
  if (seconds < 1 || seconds > 900) {
    return fail(interval.value === undefined ? unsetReason('ClientAliveInterval', '0: idle sessions are never dropped') : `ClientAliveInterval is ${seconds} s; it must be 1..900`)
  }
  if (max < 0 || max > 3) return fail(`ClientAliveCountMax is ${max}; it must be 0..3`)
  if (seconds * max > 900) return fail(`ClientAliveInterval x ClientAliveCountMax = ${seconds * max} s, more than 900 s`)
  const defaulted = count.value === undefined ? 'ClientAliveCountMax is not set; the default 3 applies' : undefined
  return verdict(id, 'pass', evidence, joinReasons(defaulted, notes))
}

export function judgeAllowGroups(source: SshSource): ControlResult {
  const id = 'ssh.allow-groups'
  if (source.kind === 'missing') return verdict(id, 'unknown', [{file: '/etc/ssh/sshd_config', missing: true}], source.reason)
  const groups = sshLookup(source, 'AllowGroups')
  const users = sshLookup(source, 'AllowUsers')
  const set = groups.value !== undefined || users.value !== undefined
  const evidence = [...groups.evidence, ...users.evidence]
  const notes = joinReasons(matchNote(groups), matchNote(users), source.note)
  if (set) return verdict(id, 'pass', evidence, notes)
  return verdict(id, 'fail', evidence, joinReasons('neither AllowGroups nor AllowUsers is set globally: every account may log in over SSH', notes))
}

export function judgeBanner(context: PostureContext, source: SshSource): ControlResult {
  return single('ssh.banner', source, 'Banner', (answer) => {
    const {value} = answer
    if (value === undefined || value.toLowerCase() === 'none') return {reason: 'Banner is not set (none): no warning is shown before login', status: 'fail'}
    const path = value.startsWith('/') ? value : `/etc/ssh/${value}`
    const file = context.view.read(path)
    if (file === undefined) {
      answer.evidence.push({file: path, missing: true})
      return {reason: `Banner names ${path}, which does not exist`, status: 'fail'}
    }
    if (file.text.trim() === '') return {reason: `Banner file ${path} is empty`, status: 'fail'}
    answer.evidence.push({file: path, line: 1, text: file.text.split('\n').find((line) => line.trim() !== '')?.trim() ?? ''})
    return {status: 'pass'}
  })
}

export function judgeSsh(context: PostureContext): ControlResult[] {
  const source = sshSource(context.view, context.live, context.probes.sshdT)
  return [
    judgePermitRootLogin(source),
    judgePasswordAuthentication(source),
    judgeMaxAuthTries(source),
    judgeIdleTimeout(source),
    judgeAllowGroups(source),
    judgeBanner(context, source),
  ]
}
