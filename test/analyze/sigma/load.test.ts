import {readdir, writeFile, mkdir, chmod} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {UsageError} from '../../../src/core/errors.js'
import {loadSigmaDir} from '../../../src/analyze/sigma/load.js'
import {makeTempDir} from '../../helpers/temp.js'
import {referenceRules, SIGMA_REFERENCE} from './helpers.js'

async function ymlFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, {recursive: true, withFileTypes: true})
  return entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).length
}

describe('loadSigmaDir on the community Linux rules', () => {
  it('accounts for every rule file: loaded or skipped with a reason', async () => {
    const {rules, skipped} = await referenceRules()
    const files = await ymlFiles(SIGMA_REFERENCE)
    expect(files).toBe(75)
    expect(rules.length + skipped.length).toBe(files)
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(10)
    const reasons = new Map<string, number>()
    for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1)
    console.log(`Sigma reference: ${rules.length} supported (${rules.filter((r) => r.target.kind === 'audit').length} auditd, ${rules.filter((r) => r.target.kind === 'line').length} log-line), ${skipped.length} skipped`)
    for (const s of skipped) console.log(`  skipped ${s.file}: ${s.reason}`)
  })

  it('supports every auditd rule and every builtin rule whose log hipaa-ir collects', async () => {
    const {rules, skipped} = await referenceRules()
    expect(rules.filter((r) => r.file.startsWith('auditd/'))).toHaveLength(53)
    expect(skipped.map((s) => s.file).sort()).toEqual([
      'builtin/clamav/lnx_clamav_relevant_message.yml',
      'builtin/guacamole/lnx_guacamole_susp_guacamole.yml',
      'builtin/vsftpd/lnx_vsftpd_susp_error_messages.yml',
    ])
    expect(skipped[0]?.reason).toMatch(/service 'clamav': hipaa-ir does not collect that log/)
    expect(skipped[0]?.id).toBe('36aa86ca-fd9d-4456-814e-d3b1b8e1e0bb')
    expect(skipped[0]?.title).toBe('Relevant ClamAV Message')
    // Keep author and references with a rule (Detection Rule License).
    const audio = rules.find((r) => r.title === 'Audio Capture')
    expect(audio?.author).toBe('Pawel Mazur, Milad Cheraghi')
    expect(audio?.references[0]).toBe('https://linux.die.net/man/1/arecord')
    expect(rules.find((r) => r.title === 'System Shutdown/Reboot - Linux')?.severity).toBe('info')
  })
})

describe('loadSigmaDir on bad input', () => {
  const good = `title: Good\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: linux, service: auditd}\ndetection:\n  sel: {type: EXECVE}\n  condition: sel\nlevel: low\n`

  it('lists malformed, incomplete and unsupported files with the reason, recursively, and keeps the good ones', async () => {
    const dir = await makeTempDir('sigma-')
    await mkdir(join(dir, 'nested', 'deeper'), {recursive: true})
    await writeFile(join(dir, 'a-good.yml'), good)
    await writeFile(join(dir, 'nested', 'deeper', 'dup.yaml'), good)
    await writeFile(join(dir, 'bad-yaml.yml'), 'title: x\ndetection: [unclosed\n')
    await writeFile(join(dir, 'no-detection.yml'), 'title: No detection\nid: n1\nlogsource: {product: linux}\n')
    await writeFile(join(dir, 'no-logsource.yml'), 'title: No logsource\ndetection: {sel: [a], condition: sel}\n')
    await writeFile(join(dir, 'count.yml'), 'title: Count\nid: c1\nlogsource: {product: linux, service: auditd}\ndetection:\n  sel: {type: EXECVE}\n  condition: sel | count() by exe > 5\n')
    await writeFile(join(dir, 'timeframe.yml'), 'title: Timeframe\nlogsource: {product: linux, service: auditd}\ndetection:\n  sel: {type: EXECVE}\n  timeframe: 5m\n  condition: sel\n')
    await writeFile(join(dir, 'windows.yml'), 'title: Windows\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel: {Image|endswith: x.exe}\n  condition: sel\n')
    await writeFile(join(dir, 'category.yml'), 'title: Proc\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel: {Image|endswith: /bash}\n  condition: sel\n')
    await writeFile(join(dir, 'modifier.yml'), 'title: Wide\nlogsource: {product: linux, service: auditd}\ndetection:\n  sel: {a0|utf16le|base64: x}\n  condition: sel\n')
    await writeFile(join(dir, 'undefined.yml'), 'title: Undefined\nlogsource: {product: linux, service: auditd}\ndetection:\n  sel: {type: EXECVE}\n  condition: sel and other\n')
    await writeFile(join(dir, 'auth-field.yml'), 'title: Field on syslog\nlogsource: {product: linux, service: sshd}\ndetection:\n  sel: {pam_user: root}\n  condition: sel\n')
    await writeFile(join(dir, 'correlation.yml'), 'title: Many\ncorrelation: {type: event_count, rules: [a], timespan: 1h}\n')
    await writeFile(join(dir, 'deprecated.yml'), good.replace('Good', 'Old').replace('11111111-1111-4111-8111-111111111111', 'd1') + 'status: deprecated\n')
    await writeFile(join(dir, 'notes.txt'), 'not a rule')
    const {rules, skipped} = await loadSigmaDir(dir)
    expect(rules.map((r) => r.file)).toEqual(['a-good.yml'])
    const reason = (file: string) => skipped.find((s) => s.file === file)?.reason
    expect(skipped).toHaveLength(13)
    expect(reason('nested/deeper/dup.yaml')).toBe('id 11111111-1111-4111-8111-111111111111 was already loaded from a-good.yml')
    expect(reason('bad-yaml.yml')).toMatch(/^not valid YAML: /)
    expect(reason('no-detection.yml')).toBe("not a Sigma rule: 'detection' is missing")
    expect(reason('no-logsource.yml')).toBe("not a Sigma rule: 'logsource' is missing")
    expect(reason('count.yml')).toMatch(/aggregat/)
    expect(reason('timeframe.yml')).toMatch(/timeframe/)
    expect(reason('windows.yml')).toBe("logsource product 'windows': only product: linux is supported")
    expect(reason('category.yml')).toMatch(/category 'process_creation'/)
    expect(reason('modifier.yml')).toMatch(/the modifier \|utf16le is not supported/)
    expect(reason('undefined.yml')).toBe("the condition names 'other', which the detection does not define")
    expect(reason('auth-field.yml')).toMatch(/a field on a log line/)
    expect(reason('correlation.yml')).toMatch(/correlation rule/)
    expect(reason('deprecated.yml')).toMatch(/status deprecated/)
    expect(skipped.find((s) => s.file === 'no-detection.yml')).toMatchObject({id: 'n1', title: 'No detection'})
  })

  it('refuses a path that is not a folder with a usage error (exit 2)', async () => {
    const dir = await makeTempDir('sigma-')
    await writeFile(join(dir, 'rule.yml'), good)
    for (const path of [join(dir, 'rule.yml'), join(dir, 'missing')]) {
      const error = await loadSigmaDir(path).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UsageError)
      expect((error as UsageError).exitCode).toBe(2)
      expect((error as UsageError).message).toMatch(/--sigma .*: (not a folder|no such folder)/)
    }
  })

  it('lists an unreadable file with the reason', async () => {
    if (process.getuid?.() === 0) return
    const dir = await makeTempDir('sigma-')
    await writeFile(join(dir, 'locked.yml'), good)
    await chmod(join(dir, 'locked.yml'), 0o000)
    const {skipped} = await loadSigmaDir(dir)
    expect(skipped).toEqual([{file: 'locked.yml', id: null, reason: 'cannot be read (EACCES)', title: null}])
  })
})
