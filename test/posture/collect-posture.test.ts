import {mkdirSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {collectPosture, evidenceCopyPath} from '../../src/posture/collect-posture.js'
import {execResult, fakeExec, fixtureCopy} from './helpers.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function outDir(): string {
  const base = mkdtempSync(path.join(tmpdir(), 'posture-out-'))
  cleanups.push(() => rmSync(base, {force: true, recursive: true}))
  const dir = path.join(base, 'posture')
  mkdirSync(dir, {mode: 0o700})
  return dir
}

describe('collectPosture', () => {
  it('writes posture.json and copies of the files read, all 0600, with paths as on the system', async () => {
    const copy = fixtureCopy('debian12-hardened')
    cleanups.push(copy.cleanup)
    const out = outDir()
    const {exec} = fakeExec({})
    const result = await collectPosture({exec, live: false, outDir: out, phiDirs: ['/var/data/phi'], root: copy.root})
    expect(result).toMatchObject({commands: [], status: 'ok'})
    expect(result.files).toContain('posture.json')
    expect(result.files).toContain('files/etc/ssh/sshd_config.d/10-hipaa.conf')
    expect(result.files).toContain('files/etc/audit/rules.d/41-identity.rules')
    const document = JSON.parse(readFileSync(path.join(out, 'posture.json'), 'utf8')) as {controls: Array<{id: string; status: string}>}
    expect(document.controls).toHaveLength(15)
    expect(readFileSync(path.join(out, 'files/etc/crypttab'), 'utf8')).toContain('phi-data /dev/sdb')
    for (const file of result.files) expect(statSync(path.join(out, file)).mode & 0o777, file).toBe(0o600)
    expect(statSync(path.join(out, 'files/etc')).mode & 0o777).toBe(0o700)
  })

  it('saves each live command output under cmd/ and returns the exec results', async () => {
    const copy = fixtureCopy('debian12')
    cleanups.push(copy.cleanup)
    const out = outDir()
    const {exec} = fakeExec({auditctl: (argv) => execResult(argv, 'No rules\n'), sshd: (argv) => execResult(argv, 'permitrootlogin no\n')})
    const result = await collectPosture({exec, live: true, outDir: out, phiDirs: ['/var/data/phi'], root: copy.root})
    expect(result.status).toBe('ok')
    expect(result.files).toContain('cmd/sshd_-T.txt')
    expect(result.files).toContain('cmd/fscrypt_status__var_data_phi.txt')
    expect(readFileSync(path.join(out, 'cmd/auditctl_-l.txt'), 'utf8')).toBe('No rules\n')
    expect(result.commands.map((command) => command.argv[0])).toContain('sshd')
  })

  it('is partial when a command times out, and failed when it cannot write', async () => {
    const copy = fixtureCopy('debian12')
    cleanups.push(copy.cleanup)
    const {exec} = fakeExec({lsblk: (argv) => execResult(argv, '', {exitCode: null, signal: 'SIGTERM', timedOut: true})})
    const partial = await collectPosture({exec, live: true, outDir: outDir(), phiDirs: ['/var/data/phi'], root: copy.root})
    expect(partial).toMatchObject({status: 'partial'})
    expect(partial.reason).toMatch(/lsblk .*timed out/)
    const failed = await collectPosture({exec, live: false, outDir: path.join(outDir(), 'missing', '\0bad'), phiDirs: [], root: copy.root})
    expect(failed.status).toBe('failed')
    expect(failed.reason).toMatch(/posture snapshot failed/)
  })

  it('never lets a system path climb out of files/', () => {
    expect(evidenceCopyPath('/etc/ssh/../../../x')).toBe('files/x')
    expect(evidenceCopyPath('/etc/ssh/sshd_config')).toBe('files/etc/ssh/sshd_config')
  })
})
