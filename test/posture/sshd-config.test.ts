import {describe, expect, it} from 'vitest'

import {judgeAllowGroups, judgeBanner, judgeIdleTimeout, judgeMaxAuthTries, judgePasswordAuthentication, judgePermitRootLogin, sshdSeconds} from '../../src/posture/controls/ssh.js'
import {sshSource} from '../../src/posture/controls/ssh-source.js'
import {effectiveDirective, parseSshdConfig, parseSshdT} from '../../src/posture/parsers/sshd-config.js'
import {memoryView} from './helpers.js'

const MAIN = '/etc/ssh/sshd_config'

function source(files: Record<string, string>) {
  return sshSource(memoryView(files), false, undefined)
}

describe('sshd_config parsing', () => {
  it('lets a drop-in included before the main file lines override them (first value wins)', () => {
    const files = {
      [MAIN]: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nPasswordAuthentication yes\n',
      '/etc/ssh/sshd_config.d/50-hipaa.conf': 'PermitRootLogin no\n',
    }
    const result = judgePermitRootLogin(source(files))
    expect(result.status).toBe('pass')
    expect(result.evidence).toEqual([{file: '/etc/ssh/sshd_config.d/50-hipaa.conf', line: 1, text: 'PermitRootLogin no'}])
    expect(judgePasswordAuthentication(source(files)).status).toBe('fail')
  })

  it('reads Include globs in byte order, so 10-x.conf comes before 9-x.conf', () => {
    const files = {
      [MAIN]: 'Include sshd_config.d/*.conf\n',
      '/etc/ssh/sshd_config.d/10-late.conf': 'MaxAuthTries 6\n',
      '/etc/ssh/sshd_config.d/9-early.conf': 'MaxAuthTries 3\n',
      '/etc/ssh/sshd_config.d/.hidden.conf': 'MaxAuthTries 1\n',
      '/etc/ssh/sshd_config.d/README': 'MaxAuthTries 1\n',
    }
    const config = parseSshdConfig(memoryView(files))
    expect(config?.files).toEqual([MAIN, '/etc/ssh/sshd_config.d/10-late.conf', '/etc/ssh/sshd_config.d/9-early.conf'])
    expect(judgeMaxAuthTries(source(files))).toMatchObject({reason: 'MaxAuthTries is 6, more than 3', status: 'fail'})
  })

  it('ignores commented decoys, trailing comments and keyword case, and accepts Keyword=value', () => {
    const files = {[MAIN]: '#PermitRootLogin no\n   # PasswordAuthentication no\npermitrootlogin=no # trailing\nPASSWORDAUTHENTICATION   yes\n'}
    expect(judgePermitRootLogin(source(files)).status).toBe('pass')
    expect(judgePasswordAuthentication(source(files))).toMatchObject({reason: 'PasswordAuthentication is yes, not no', status: 'fail'})
  })

  it('reports Match blocks without applying them to the global answer', () => {
    const files = {[MAIN]: 'PasswordAuthentication no\nMatch Address 10.0.0.0/8\n  PasswordAuthentication yes\n  AllowGroups admins\n'}
    const password = judgePasswordAuthentication(source(files))
    expect(password.status).toBe('pass')
    expect(password.reason).toContain('Match blocks')
    expect(password.evidence).toContainEqual({file: MAIN, line: 2, text: 'Match Address 10.0.0.0/8'})
    expect(judgeAllowGroups(source(files)).status).toBe('fail')
  })

  it('does not let a Match block in an included file leak into the including file', () => {
    const files = {
      [MAIN]: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n',
      '/etc/ssh/sshd_config.d/a.conf': 'Match User backup\n  PermitRootLogin yes\n',
    }
    const config = parseSshdConfig(memoryView(files))
    expect(config === undefined ? undefined : effectiveDirective(config, 'permitrootlogin')).toMatchObject({file: MAIN, line: 2})
  })

  it('is unknown with the reason when sshd_config is missing', () => {
    const result = judgePermitRootLogin(source({}))
    expect(result.status).toBe('unknown')
    expect(result.reason).toMatch(/sshd_config not found/)
    expect(result.evidence).toEqual([{file: MAIN, missing: true}])
  })

  it('judges the idle timeout from interval and count, with sshd time units', () => {
    expect(judgeIdleTimeout(source({[MAIN]: 'ClientAliveInterval 300\nClientAliveCountMax 1\n'})).status).toBe('pass')
    expect(judgeIdleTimeout(source({[MAIN]: 'ClientAliveInterval 5m\n'})).status).toBe('pass')
    expect(judgeIdleTimeout(source({[MAIN]: 'ClientAliveInterval 600\nClientAliveCountMax 3\n'})).reason).toMatch(/1800 s/)
    expect(judgeIdleTimeout(source({[MAIN]: 'ClientAliveInterval 0\n'})).status).toBe('fail')
    expect(judgeIdleTimeout(source({[MAIN]: 'ClientAliveInterval 300\nClientAliveCountMax 4\n'})).status).toBe('fail')
    expect(judgeIdleTimeout(source({[MAIN]: '#ClientAliveInterval 300\n'})).status).toBe('fail')
    expect(sshdSeconds('1h30m')).toBe(5400)
    expect(sshdSeconds('soon')).toBeUndefined()
  })

  it('passes AllowUsers as well as AllowGroups', () => {
    expect(judgeAllowGroups(source({[MAIN]: 'AllowUsers alice\n'})).status).toBe('pass')
  })

  it('needs the Banner file to exist and be non-empty', () => {
    const view = (extra: Record<string, string>) => memoryView({[MAIN]: 'Banner /etc/issue.net\n', ...extra})
    const judge = (extra: Record<string, string>) => {
      const files = view(extra)
      return judgeBanner({live: false, phiDirs: [], probes: {}, view: files}, sshSource(files, false, undefined))
    }
    expect(judge({'/etc/issue.net': 'AUTHORIZED ACCESS ONLY\n'}).status).toBe('pass')
    expect(judge({'/etc/issue.net': '  \n'})).toMatchObject({status: 'fail'})
    expect(judge({}).reason).toMatch(/does not exist/)
    const none = memoryView({[MAIN]: 'Banner none\n'})
    expect(judgeBanner({live: false, phiDirs: [], probes: {}, view: none}, sshSource(none, false, undefined)).status).toBe('fail')
  })

  it('prefers sshd -T on the live system and says so in the evidence', () => {
    const view = memoryView({[MAIN]: 'PermitRootLogin yes\n'})
    const live = sshSource(view, true, {command: 'sshd -T', output: 'port 22\npermitrootlogin no\nallowgroups phi\n'})
    expect(judgePermitRootLogin(live).status).toBe('pass')
    expect(judgePermitRootLogin(live).evidence[0]).toEqual({command: 'sshd -T', output: 'permitrootlogin no'})
    const failed = sshSource(view, true, {command: 'sshd -T', failure: 'exit 1: no hostkeys available', output: ''})
    expect(judgePermitRootLogin(failed)).toMatchObject({status: 'fail'})
    expect(judgePermitRootLogin(failed).reason).toMatch(/sshd -T` gave no answer/)
    expect(parseSshdT('AllowUsers a\nallowusers b\n').get('allowusers')).toEqual(['a', 'b'])
  })
})
