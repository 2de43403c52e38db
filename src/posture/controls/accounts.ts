import type {ControlResult, ControlStatus, Evidence, TextFile} from '../types.js'
import {listSorted} from '../parsers/glob.js'
import {readSettings} from '../parsers/key-values.js'
import {toInt} from '../parsers/lines.js'
import {pamArgs, type PamModuleLine, resolvePamStack} from '../parsers/pam.js'
import {tmoutFromProfiles} from '../parsers/shell-profile.js'
import {type PostureContext, verdict, worst} from './context.js'

const PWQUALITY = '/etc/security/pwquality.conf'
const FAILLOCK_CONF = '/etc/security/faillock.conf'

function present(context: PostureContext, paths: string[]): TextFile[] {
  return paths.flatMap((path) => {
    const file = context.view.read(path)
    return file === undefined ? [] : [file]
  })
}

function lineEvidence(line: PamModuleLine): Evidence {
  return {file: line.file, line: line.line, text: line.text}
}

/** pwquality.conf.d/*.conf in byte order first, then pwquality.conf (libpwquality's order; later wins), then pam_pwquality arguments. */
export function judgePasswordQuality(context: PostureContext): ControlResult {
  const id = 'password.quality'
  const files = present(context, [...listSorted(context.view, `${PWQUALITY}.d`, '.conf'), PWQUALITY])
  const settings = readSettings(files, {lowerCaseKeys: true})
  const evidence: Evidence[] = []
  const values: Record<'minclass' | 'minlen', number | undefined> = {minclass: undefined, minlen: undefined}
  for (const key of ['minlen', 'minclass'] as const) {
    const setting = settings.get(key)
    if (setting === undefined) continue
    evidence.push(setting.evidence)
    values[key] = toInt(setting.value)
  }
  if (files.length === 0) evidence.push({file: PWQUALITY, missing: true})
  const stack = resolvePamStack(context.view, 'passwd', 'password')
  const module = stack?.lines.find((line) => line.module === 'pam_pwquality.so')
  if (module !== undefined) {
    const args = pamArgs(module.args)
    const overrides = (['minlen', 'minclass'] as const).filter((key) => args.has(key))
    for (const key of overrides) values[key] = toInt(args.get(key))
    if (overrides.length > 0) evidence.push(lineEvidence(module))
  }
  const problems: string[] = []
  if (files.length === 0) problems.push(`${PWQUALITY} not found: libpwquality is not configured (its defaults are minlen 8, minclass 0)`)
  if (stack !== undefined && module === undefined) problems.push('the passwd PAM password stack does not call pam_pwquality, so no quality rule is enforced')
  const minlen = values.minlen ?? 8
  const minclass = values.minclass ?? 0
  if (minlen < 14) problems.push(`minlen is ${minlen}${values.minlen === undefined ? ' (default)' : ''}, below 14`)
  if (minclass < 3) problems.push(`minclass is ${minclass}${values.minclass === undefined ? ' (default)' : ''}, below 3`)
  return problems.length === 0 ? verdict(id, 'pass', evidence) : verdict(id, 'fail', evidence, problems.join('; '))
}

/** login.defs PASS_MAX_DAYS (the last line wins, as shadow's getdef reads it); it is the default for new accounts. */
export function judgePasswordAging(context: PostureContext): ControlResult {
  const id = 'password.aging'
  const file = context.view.read('/etc/login.defs')
  if (file === undefined) return verdict(id, 'unknown', [{file: '/etc/login.defs', missing: true}], '/etc/login.defs not found, so the password aging default cannot be read')
  const setting = readSettings([file]).get('PASS_MAX_DAYS')
  if (setting === undefined) return verdict(id, 'fail', [], 'PASS_MAX_DAYS is not set: passwords never expire')
  const days = toInt(setting.value)
  if (days === undefined || days < 0 || days > 90) return verdict(id, 'fail', [setting.evidence], `PASS_MAX_DAYS is ${setting.value}; it must be 90 or fewer`)
  return verdict(id, 'pass', [setting.evidence])
}

/** TMOUT in /etc/profile, /etc/profile.d/*.sh (byte order, as /etc/profile sources them), then the system bashrc. */
export function judgeSessionTimeout(context: PostureContext): ControlResult {
  const id = 'session.timeout'
  const paths = ['/etc/profile', ...listSorted(context.view, '/etc/profile.d', '.sh'), '/etc/bash.bashrc', '/etc/bashrc']
  const files = present(context, paths)
  if (files.length === 0) return verdict(id, 'unknown', [{file: '/etc/profile', missing: true}], 'no /etc/profile, profile.d script or system bashrc found')
  const state = tmoutFromProfiles(files)
  const seconds = toInt(state.value)
  const evidence: Evidence[] = [...state.evidence]
  if (state.value === undefined) return verdict(id, 'fail', evidence, 'no profile script sets TMOUT: shells never time out')
  const ignored = state.ignored.length > 0 ? `; later assignments are refused because TMOUT is readonly (${state.ignored.map((item) => `${item.file}:${item.line}`).join(', ')})` : ''
  if (seconds === undefined || seconds < 1 || seconds > 900) return verdict(id, 'fail', evidence, `TMOUT is ${state.value}; it must be 1..900 seconds${ignored}`)
  if (!state.readonly) return verdict(id, 'fail', evidence, `TMOUT is ${seconds} but not readonly, so a user can unset it`)
  return verdict(id, 'pass', evidence, ignored === '' ? undefined : ignored.slice(2))
}

function faillockDeny(context: PostureContext, line: PamModuleLine, evidence: Evidence[]): number | undefined {
  const args = pamArgs(line.args)
  if (args.has('deny')) return toInt(args.get('deny'))
  const conf = context.view.read(FAILLOCK_CONF)
  const setting = conf === undefined ? undefined : readSettings([conf], {lowerCaseKeys: true}).get('deny')
  if (setting !== undefined) {
    evidence.push(setting.evidence)
    return toInt(setting.value)
  }
  return 3 // pam_faillock's documented default
}

function judgeStack(context: PostureContext, service: string): {evidence: Evidence[]; reason: string; status: ControlStatus} | undefined {
  const stack = resolvePamStack(context.view, service, 'auth')
  if (stack === undefined) return undefined
  const evidence: Evidence[] = []
  const lockers = stack.lines.filter((line) => line.module === 'pam_faillock.so' || line.module === 'pam_tally2.so')
  if (lockers.length === 0) return {evidence, reason: `${service}: no pam_faillock or pam_tally2 in the auth stack (${stack.files.join(', ')})`, status: 'fail'}
  const notes: string[] = []
  let best: number | undefined
  for (const line of lockers) {
    evidence.push(lineEvidence(line))
    const deny = line.module === 'pam_tally2.so' ? toInt(pamArgs(line.args).get('deny')) : faillockDeny(context, line, evidence)
    if (deny !== undefined && deny >= 1 && (best === undefined || deny < best)) best = deny
  }
  const faillock = lockers.filter((line) => line.module === 'pam_faillock.so')
  if (faillock.length > 0 && !faillock.some((line) => line.args.includes('authfail'))) {
    notes.push(`${service}: pam_faillock has no authfail line, so failures may not be counted`)
  }
  if (best === undefined) return {evidence, reason: `${service}: the lockout module has no usable deny= (pam_tally2 without deny never locks)`, status: 'fail'}
  if (best > 5) return {evidence, reason: `${service}: deny=${best}, more than 5`, status: 'fail'}
  return {evidence, reason: notes.join('; '), status: 'pass'}
}

/** The auth stacks of sshd and login (the common-auth / system-auth files when neither service file exists). */
export function judgeLockout(context: PostureContext): ControlResult {
  const id = 'auth.lockout'
  let results = ['sshd', 'login'].flatMap((service) => judgeStack(context, service) ?? [])
  if (results.length === 0) results = ['common-auth', 'system-auth'].flatMap((service) => judgeStack(context, service) ?? [])
  if (results.length === 0) return verdict(id, 'unknown', [{file: '/etc/pam.d', missing: true}], 'no PAM configuration for sshd or login found under /etc/pam.d')
  const status = worst(results.map((result) => result.status))
  const reasons = results.map((result) => result.reason).filter((reason) => reason !== '')
  return verdict(id, status, results.flatMap((result) => result.evidence), reasons.length === 0 ? undefined : reasons.join('; '))
}
