import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {parseAuditRules} from '../../src/posture/parsers/audit-rules.js'
import {parseCrypttab, parseFstab} from '../../src/posture/parsers/block-devices.js'
import {matchComponent} from '../../src/posture/parsers/glob.js'
import {resolvePamStack} from '../../src/posture/parsers/pam.js'
import {blankComments, parseRsyslog} from '../../src/posture/parsers/rsyslog.js'
import {tmoutFromProfiles} from '../../src/posture/parsers/shell-profile.js'
import {parseSshdConfig} from '../../src/posture/parsers/sshd-config.js'
import {takeSnapshotFromView} from './snapshot-view.js'
import {memoryView} from './helpers.js'

const hostile = fc.string({maxLength: 400, unit: fc.constantFrom('a', ' ', '\t', '\n', '#', '"', "'", '[', ']', '(', ')', '*', '/', '\\', '@', '=', '-', 'w', 'p', 'I', 'n', 'c', 'l', 'u', 'd', 'e', '.', '$', '0', '9', '\r', '\u0000', 'é')})

describe('parsers on hostile input', () => {
  it('never throw and keep line numbers inside the file', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const lines = text.split(/\r?\n/).length
        const view = memoryView({'/etc/ssh/sshd_config': text, '/etc/pam.d/sshd': text, '/etc/rsyslog.conf': text})
        for (const directive of parseSshdConfig(view)?.directives ?? []) expect(directive.line).toBeLessThanOrEqual(lines)
        for (const line of resolvePamStack(view, 'sshd')?.lines ?? []) expect(line.line).toBeLessThanOrEqual(lines)
        for (const forward of parseRsyslog(view)?.forwards ?? []) expect(forward.evidence.line).toBeLessThanOrEqual(lines)
        for (const watch of parseAuditRules([{path: 'x', text}]).watches) expect(watch.evidence.line).toBeLessThanOrEqual(lines)
        tmoutFromProfiles([{path: 'p', text}])
        parseCrypttab({path: 'c', text})
        parseFstab({path: 'f', text})
        expect(blankComments(text)).toHaveLength(text.length)
        takeSnapshotFromView(view)
      }),
      {numRuns: 300},
    )
  })

  it('glob components match literal names exactly and never treat regex characters as special', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 30, unit: fc.constantFrom('a', 'b', '.', '+', '(', ')', '{', '}', '|', '^', '$', '\\', '-')}), (name) => {
        expect(matchComponent(name, name)).toBe(true)
        expect(matchComponent(`${name}x`, name)).toBe(false)
        expect(matchComponent('*', name)).toBe(!name.startsWith('.'))
      }),
    )
  })

  it('an Include that includes itself terminates', () => {
    const view = memoryView({'/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config\nPermitRootLogin no\n'})
    const config = parseSshdConfig(view)
    expect(config?.notes.join()).toMatch(/deeper than/)
  })
})
