import {describe, expect, it} from 'vitest'

import {auditSource, judgeIdentityWatch, judgePhiWatch} from '../../src/posture/controls/audit.js'
import type {PostureContext} from '../../src/posture/controls/context.js'
import {judgeRemoteLogs} from '../../src/posture/controls/files.js'
import {naturalCompare, parseAuditRules} from '../../src/posture/parsers/audit-rules.js'
import {parseRsyslog} from '../../src/posture/parsers/rsyslog.js'
import {memoryView} from './helpers.js'

function context(files: Record<string, string>, phiDirs = ['/var/data/phi']): PostureContext {
  return {live: false, phiDirs, probes: {}, view: memoryView(files)}
}

const IDENTITY = '-w /etc/passwd -p wa\n-w /etc/shadow -p wa\n-w /etc/group -p wa\n-w /etc/sudoers -p wa\n'

describe('audit rules', () => {
  it('combines rules split across rules.d files and says they are the configured ones', () => {
    const ctx = context({
      '/etc/audit/rules.d/10-base.rules': '-D\n-b 8192\n-w /etc/passwd -p wa -k id\n',
      '/etc/audit/rules.d/20-more.rules': '-w /etc/shadow -p wa\n-w /etc/group -p wa\n',
      '/etc/audit/rules.d/30-sudo.rules': '# -w /etc/sudoers -p wa\n-w /etc/sudoers -p wa\n',
      '/etc/audit/rules.d/99-phi.rules.disabled': '-w /var/data/phi -p rwxa\n',
    })
    const source = auditSource(ctx)
    expect(judgeIdentityWatch(source).status).toBe('pass')
    expect(judgeIdentityWatch(source).reason).toMatch(/configured rules/)
    expect(judgePhiWatch(ctx, source)).toMatchObject({status: 'fail'})
  })

  it('needs both r and w on the PHI directory (or a directory above it)', () => {
    const judge = (rules: string, dirs?: string[]) => {
      const ctx = context({'/etc/audit/rules.d/phi.rules': rules}, dirs)
      return judgePhiWatch(ctx, auditSource(ctx)).status
    }
    expect(judge('-w /var/data/phi/ -p rwa -k phi\n')).toBe('pass')
    expect(judge('-w /var/data -p rw\n')).toBe('pass')
    expect(judge('-w /var/data/phi\n')).toBe('pass')
    expect(judge('-w /var/data/phi -p wa\n')).toBe('fail')
    expect(judge('-w /var/data/phi2 -p rwxa\n')).toBe('fail')
    expect(judge('-a always,exit -F dir=/var/data/phi -F perm=rw -k phi\n')).toBe('pass')
    expect(judge('-a never,exit -F dir=/var/data/phi -F perm=rw\n')).toBe('fail')
    expect(judge('-w /var/data/phi -p rw\n-W /var/data/phi -p rw\n')).toBe('fail')
    expect(judge('-w /var/data/phi -p rw\n', ['/var/data/phi', '/srv/records'])).toBe('fail')
  })

  it('falls back to audit.rules, and fails with missing-file evidence when there are no rules at all', () => {
    const single = context({'/etc/audit/audit.rules': IDENTITY})
    expect(judgeIdentityWatch(auditSource(single)).status).toBe('pass')
    const none = judgeIdentityWatch(auditSource(context({})))
    expect(none.status).toBe('fail')
    expect(none.evidence).toContainEqual({file: '/etc/audit/audit.rules', missing: true})
  })

  it('orders rules.d as augenrules does (natural order) and reads auditctl -l output', () => {
    expect(['10-a.rules', '9-b.rules', '99-c.rules'].sort(naturalCompare)).toEqual(['9-b.rules', '10-a.rules', '99-c.rules'])
    expect(parseAuditRules([{path: 'auditctl -l', text: 'No rules\n'}]).watches).toEqual([])
  })
})

describe('rsyslog forwarding', () => {
  const judge = (files: Record<string, string>) => judgeRemoteLogs(context(files))

  it('passes legacy @@host and follows $IncludeConfig globs', () => {
    const result = judge({'/etc/rsyslog.conf': '$IncludeConfig /etc/rsyslog.d/*.conf\n', '/etc/rsyslog.d/remote.conf': '*.* @@logs.example.com:6514\n'})
    expect(result).toMatchObject({evidence: [{file: '/etc/rsyslog.d/remote.conf', line: 1, text: '*.* @@logs.example.com:6514'}], status: 'pass'})
  })

  it('fails UDP @host and ignores commented decoys', () => {
    expect(judge({'/etc/rsyslog.conf': '*.* @logs.example.com:514\n#*.* @@logs.example.com\n'}).reason).toMatch(/not over TCP\/TLS/)
    expect(judge({'/etc/rsyslog.conf': '# *.* @@remote-host:514\n/* action(type="omfwd" target="x" protocol="tcp" StreamDriverMode="1") */\n'}).reason).toMatch(/no forwarding action/)
  })

  it('passes RainerScript omfwd over TCP with StreamDriverMode 1, across lines, and fails it without TLS', () => {
    const tls = 'include(file="/etc/rsyslog.d/*.conf" mode="optional")\n'
    const conf = 'action(type="omfwd"\n  Target="logs.example.com" Port="6514" Protocol="tcp"\n  StreamDriver="gtls" # driver\n  StreamDriverMode="1")\n'
    expect(judge({'/etc/rsyslog.conf': tls, '/etc/rsyslog.d/a.conf': conf})).toMatchObject({status: 'pass'})
    expect(judge({'/etc/rsyslog.conf': conf.replace('StreamDriverMode="1"', 'StreamDriverMode="0"')}).status).toBe('fail')
    expect(judge({'/etc/rsyslog.conf': conf.replace('Protocol="tcp"', '')}).status).toBe('fail')
  })

  it('notes the legacy TLS directive and fails without rsyslog', () => {
    const parsed = parseRsyslog(memoryView({'/etc/rsyslog.conf': '$DefaultNetstreamDriver gtls\n$ActionSendStreamDriverMode 1\n*.* @@(o)logs:6514\n'}))
    expect(parsed?.forwards).toMatchObject([{form: 'legacy', port: '6514', protocol: 'tcp', target: 'logs', tls: true}])
    expect(judge({}).evidence).toEqual([{file: '/etc/rsyslog.conf', missing: true}])
  })
})
