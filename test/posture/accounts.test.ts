import {describe, expect, it} from 'vitest'

import {judgeLockout, judgePasswordAging, judgePasswordQuality, judgeSessionTimeout} from '../../src/posture/controls/accounts.js'
import type {PostureContext} from '../../src/posture/controls/context.js'
import {pamTokens, resolvePamStack} from '../../src/posture/parsers/pam.js'
import {tmoutFromProfiles} from '../../src/posture/parsers/shell-profile.js'
import {memoryView} from './helpers.js'

function context(files: Record<string, string>): PostureContext {
  return {live: false, phiDirs: ['/var/data/phi'], probes: {}, view: memoryView(files)}
}

describe('PAM stacks', () => {
  it('follows @include, include and substack, keeping only the lines of the included type', () => {
    const view = memoryView({
      '/etc/pam.d/common-auth': 'auth required pam_unix.so\naccount required pam_unix.so\n',
      '/etc/pam.d/sshd': '@include common-auth\nauth substack password-auth\n-auth optional pam_x.so\n',
      '/etc/pam.d/password-auth': 'auth [default=die success=ok] pam_faillock.so authfail deny=3 # comment\nsession required pam_limits.so\n',
    })
    const stack = resolvePamStack(view, 'sshd', 'auth')
    expect(stack?.lines.map((line) => [line.module, line.control, line.file])).toEqual([
      ['pam_unix.so', 'required', '/etc/pam.d/common-auth'],
      ['pam_faillock.so', '[default=die success=ok]', '/etc/pam.d/password-auth'],
      ['pam_x.so', 'optional', '/etc/pam.d/sshd'],
    ])
  })

  it('survives include loops and joins backslash-continued lines', () => {
    const view = memoryView({'/etc/pam.d/a': 'auth include b\n', '/etc/pam.d/b': 'auth include a\nauth required \\\n  pam_tally2.so deny=3\n'})
    const stack = resolvePamStack(view, 'a')
    expect(stack?.lines.map((line) => line.module)).toEqual(['pam_tally2.so'])
    expect(stack?.notes.join()).toMatch(/loops/)
    expect(pamTokens('auth [success=1 default=ignore] pam_unix.so nullok')).toEqual(['auth', '[success=1 default=ignore]', 'pam_unix.so', 'nullok'])
  })
})

describe('auth.lockout', () => {
  const debianSshd = {'/etc/pam.d/sshd': '@include common-auth\n', '/etc/pam.d/login': '@include common-auth\n'}

  it('passes pam_tally2 with deny <= 5 and fails it without deny', () => {
    expect(judgeLockout(context({...debianSshd, '/etc/pam.d/common-auth': 'auth required pam_tally2.so onerr=fail audit silent deny=5 unlock_time=1800\n'})).status).toBe('pass')
    expect(judgeLockout(context({...debianSshd, '/etc/pam.d/common-auth': 'auth required pam_tally2.so onerr=fail\n'})).status).toBe('fail')
    expect(judgeLockout(context({...debianSshd, '/etc/pam.d/common-auth': '# auth required pam_tally2.so deny=3\nauth required pam_unix.so\n'})).status).toBe('fail')
  })

  it('takes pam_faillock deny from the arguments, then faillock.conf, then the default 3', () => {
    const auth = (line: string) => ({...debianSshd, '/etc/pam.d/common-auth': `auth requisite pam_faillock.so preauth ${line}\nauth [default=die] pam_faillock.so authfail ${line}\n`})
    expect(judgeLockout(context(auth('deny=6')))).toMatchObject({status: 'fail'})
    expect(judgeLockout(context({...auth(''), '/etc/security/faillock.conf': '# deny = 3\ndeny = 10\n'})).reason).toMatch(/deny=10/)
    const byDefault = judgeLockout(context(auth('')))
    expect(byDefault.status).toBe('pass')
  })

  it('fails when sshd has no lockout even if login has one, and warns about a preauth-only faillock', () => {
    const result = judgeLockout(context({
      '/etc/pam.d/sshd': 'auth substack password-auth\n',
      '/etc/pam.d/login': 'auth substack system-auth\n',
      '/etc/pam.d/system-auth': 'auth required pam_faillock.so preauth silent audit deny=5 unlock_time=1800\nauth sufficient pam_unix.so\n',
      '/etc/pam.d/password-auth': 'auth sufficient pam_unix.so\n',
    }))
    expect(result.status).toBe('fail')
    expect(result.reason).toMatch(/sshd: no pam_faillock/)
    expect(result.reason).toMatch(/no authfail line/)
  })

  it('is unknown without any PAM configuration', () => {
    expect(judgeLockout(context({})).status).toBe('unknown')
  })
})

describe('password.quality', () => {
  it('reads pwquality.conf.d first and pwquality.conf last (the main file wins)', () => {
    const files = {'/etc/security/pwquality.conf': '# minlen = 20\nminlen = 10\n', '/etc/security/pwquality.conf.d/50.conf': 'minlen = 14\nminclass = 3\n'}
    expect(judgePasswordQuality(context(files)).reason).toBe('minlen is 10, below 14')
    expect(judgePasswordQuality(context({'/etc/security/pwquality.conf.d/50.conf': 'minlen=14\nminclass=3\n', '/etc/security/pwquality.conf': '#\n'})).status).toBe('pass')
  })

  it('lets pam_pwquality arguments override the files, and fails when no password stack uses it', () => {
    const conf = {'/etc/security/pwquality.conf': 'minlen = 14\nminclass = 3\n'}
    expect(judgePasswordQuality(context({...conf, '/etc/pam.d/passwd': 'password requisite pam_pwquality.so minlen=8\n'})).reason).toBe('minlen is 8, below 14')
    expect(judgePasswordQuality(context({...conf, '/etc/pam.d/passwd': 'password required pam_unix.so\n'})).reason).toMatch(/does not call pam_pwquality/)
    expect(judgePasswordQuality(context({})).reason).toMatch(/not found/)
  })
})

describe('password.aging', () => {
  it('takes the last PASS_MAX_DAYS line', () => {
    expect(judgePasswordAging(context({'/etc/login.defs': 'PASS_MAX_DAYS 99999\n#PASS_MAX_DAYS 30\nPASS_MAX_DAYS\t90\n'})).status).toBe('pass')
    expect(judgePasswordAging(context({'/etc/login.defs': 'PASS_MAX_DAYS 91\n'})).status).toBe('fail')
    expect(judgePasswordAging(context({'/etc/login.defs': 'PASS_MIN_DAYS 1\n'})).reason).toMatch(/not set/)
    expect(judgePasswordAging(context({})).status).toBe('unknown')
  })
})

describe('session.timeout', () => {
  const profile = (script: string) => context({'/etc/profile': '', '/etc/profile.d/tmout.sh': script})

  it('needs a value of 1..900 marked readonly', () => {
    expect(judgeSessionTimeout(profile('export TMOUT=900\nreadonly TMOUT\n')).status).toBe('pass')
    expect(judgeSessionTimeout(profile('readonly TMOUT=600\n')).status).toBe('pass')
    expect(judgeSessionTimeout(profile('declare -rx TMOUT=300\n')).status).toBe('pass')
    expect(judgeSessionTimeout(profile('TMOUT=900; export TMOUT\n')).reason).toMatch(/not readonly/)
    expect(judgeSessionTimeout(profile('TMOUT=0\nreadonly TMOUT\n')).status).toBe('fail')
    expect(judgeSessionTimeout(profile('# export TMOUT=900\n# readonly TMOUT\n')).reason).toMatch(/no profile script sets TMOUT/)
    expect(judgeSessionTimeout(context({})).status).toBe('unknown')
  })

  it('ignores assignments after TMOUT became readonly, as bash refuses them', () => {
    const state = tmoutFromProfiles([
      {path: '/etc/profile.d/a.sh', text: 'TMOUT=600\nreadonly TMOUT\n'},
      {path: '/etc/profile.d/b.sh', text: 'TMOUT=3600\n'},
    ])
    expect(state).toMatchObject({readonly: true, value: '600'})
    expect(state.ignored).toEqual([{file: '/etc/profile.d/b.sh', line: 1, text: 'TMOUT=3600'}])
  })
})
