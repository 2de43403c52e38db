import {chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {fixtureCopy} from './helpers.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

interface AssessJson {
  controls: Array<{evidence: unknown[]; id: string; reason?: string; reference: string; status: string; title: string}>
  host: string
  report?: string
  summary: {fail: number; pass: number; unknown: number}
  time: string
  tool_version: string
}

describe('hipaa-ir assess', () => {
  it('written to a file or a pipe, nothing is clipped, and every failure says how to fix it (newcomer m17)', async () => {
    const copy = fixtureCopy('ubuntu2404-hardened')
    cleanups.push(copy.cleanup)
    const table = await runCli(['assess', '--root', copy.root])
    const json = parseJson<AssessJson>(await runCli(['assess', '--root', copy.root, '--json']))
    expect(table.exitCode).toBe(0)
    expect(table.stdout).not.toContain('…')
    const failed = json.controls.filter((control) => control.status === 'fail')
    expect(failed.length).toBeGreaterThan(0)
    const fixes = table.stdout.slice(table.stdout.indexOf('To fix'))
    for (const control of failed) expect(fixes).toMatch(new RegExp(`^  ${control.id.replaceAll('.', '\\.')}: \\S`, 'm'))
    expect(fixes).toContain('ssh.password-authentication: set `PasswordAuthentication no`')
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-fix-'))
    cleanups.push(() => rmSync(dir, {force: true, recursive: true}))
    await runCli(['assess', '--root', copy.root, '--report', path.join(dir, 'r.md'), '--json'])
    expect(readFileSync(path.join(dir, 'r.md'), 'utf8')).toContain('- To fix: set `PasswordAuthentication no`')
  })

  it('prints one JSON document with every control for --root FIXTURE --json, and exits 0 though controls fail', async () => {
    const copy = fixtureCopy('ubuntu2404-hardened')
    cleanups.push(copy.cleanup)
    const result = await runCli(['assess', '--root', copy.root, '--json'])
    expect(result.exitCode).toBe(0)
    const json = parseJson<AssessJson>(result)
    expect(json.controls.map((control) => control.id)).toEqual([
      'ssh.permit-root-login', 'ssh.password-authentication', 'ssh.max-auth-tries', 'ssh.idle-timeout', 'ssh.allow-groups', 'ssh.banner',
      'password.quality', 'password.aging', 'session.timeout', 'auth.lockout', 'audit.phi-watch', 'audit.identity-watch',
      'encryption.phi-at-rest', 'logs.remote', 'phi.permissions',
    ])
    expect(json.host).toBe('phi-app-02')
    expect(json.tool_version).toMatch(/^\d+\.\d+\.\d+/)
    expect(json.summary.fail).toBeGreaterThan(0)
    expect(json.controls.find((control) => control.id === 'ssh.password-authentication')).toMatchObject({
      evidence: [{file: '/etc/ssh/sshd_config.d/50-cloud-init.conf', line: 1, text: 'PasswordAuthentication yes'}],
      status: 'fail',
    })
  })

  it('writes a dated Markdown report with host, version, evidence and references (mode 0600)', async () => {
    const copy = fixtureCopy('debian12-hardened')
    cleanups.push(copy.cleanup)
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-report-'))
    cleanups.push(() => rmSync(dir, {force: true, recursive: true}))
    const report = path.join(dir, 'risk.md')
    const result = await runCli(['assess', '--root', copy.root, '--report', report, '--json'])
    expect(result.exitCode).toBe(0)
    expect(parseJson<AssessJson>(result).report).toBe(report)
    const text = readFileSync(report, 'utf8')
    expect(text).toMatch(/^# HIPAA security posture snapshot: phi-db-01, \d{4}-\d{2}-\d{2}/)
    expect(text).toMatch(/Tool: hipaa-ir \d+\.\d+\.\d+/)
    expect(text).toContain('### ssh.permit-root-login: sshd refuses root logins')
    expect(text).toContain('/etc/ssh/sshd_config.d/10-hipaa.conf:2: PermitRootLogin no')
    expect(text).toContain('45 CFR 164.312(b) audit controls')
    expect(statSync(report).mode & 0o777).toBe(0o600)
  })

  it('prints a table without colour when NO_COLOR is set or stdout is not a TTY', async () => {
    const copy = fixtureCopy('rocky9')
    cleanups.push(copy.cleanup)
    const result = await runCli(['assess', '--root', copy.root, '--phi-dir', '/var/data/phi'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/^FAIL +ssh\.permit-root-login +PermitRootLogin is yes, not no$/m)
    expect(result.stdout).not.toContain('\u001B[')
  })

  it('exits 2 for a --root that does not exist', async () => {
    const result = await runCli(['assess', '--root', '/nonexistent/hipaa-ir-root'])
    expect(result.exitCode).toBe(2)
    expect(result.stdout + result.stderr).toMatch(/does not exist/)
  })

  it('never writes --report through a planted link: exit 1 naming it, the file it points at untouched (security H1)', async () => {
    const copy = fixtureCopy('debian12-hardened')
    cleanups.push(copy.cleanup)
    const dir = mkdtempSync(path.join(tmpdir(), 'posture-report-link-'))
    cleanups.push(() => rmSync(dir, {force: true, recursive: true}))
    const victim = path.join(dir, 'victim.conf')
    writeFileSync(victim, 'precious\n')
    chmodSync(victim, 0o644)
    const report = path.join(dir, 'risk.md')
    symlinkSync(victim, report)
    const result = await runCli(['assess', '--root', copy.root, '--report', report])
    expect(result.exitCode).toBe(1)
    expect(result.stderr.replaceAll(/\s*›\s*/g, ' ')).toContain(`${report} is a symbolic link (to ${victim})`)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(statSync(victim).mode & 0o7777).toBe(0o644)
  })
})
