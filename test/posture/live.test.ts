import {afterEach, describe, expect, it} from 'vitest'

import {takeSnapshot} from '../../src/posture/snapshot.js'
import {execResult, fakeExec, fixtureCopy} from './helpers.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function lsblk(phiOnCrypt: boolean): string {
  const data = phiOnCrypt
    ? {type: 'crypt', name: 'phi-data', fstype: 'ext4', mountpoint: '/var/data/phi'}
    : {type: 'part', name: 'sdb1', fstype: 'ext4', mountpoint: '/var/data/phi'}
  return JSON.stringify({
    blockdevices: [
      {children: [{fstype: 'ext4', mountpoint: '/', name: 'sda1', type: 'part'}], fstype: null, mountpoint: null, name: 'sda', type: 'disk'},
      phiOnCrypt
        ? {children: [data], fstype: 'crypto_LUKS', mountpoint: null, name: 'sdb', type: 'disk'}
        : {children: [data], fstype: null, mountpoint: null, name: 'sdb', type: 'disk'},
    ],
  })
}

/** Judges a fixture as if it were the live system: root = the fixture, live = true, commands faked. */
async function live(name: string, answers: Parameters<typeof fakeExec>[0]) {
  const copy = fixtureCopy(name)
  cleanups.push(copy.cleanup)
  const fake = fakeExec(answers)
  const snapshot = await takeSnapshot({exec: fake.exec, live: true, phiDirs: ['/var/data/phi'], root: copy.root})
  const byId = (id: string) => snapshot.document.controls.find((control) => control.id === id)
  return {byId, calls: fake.calls, snapshot}
}

describe('live evidence', () => {
  it('runs each live command through exec with argv, a timeout and an output cap', async () => {
    const {calls} = await live('debian12', {})
    const argvs = calls.map((call) => call.argv.join(' '))
    expect(argvs).toContain('sshd -T')
    expect(argvs).toContain('auditctl -l')
    expect(argvs).toContain('lsblk -o NAME,TYPE,FSTYPE,MOUNTPOINT -J')
    expect(argvs).toContain('dmsetup status')
    expect(argvs).toContain('fscrypt status /var/data/phi')
    expect(argvs).toContain('/usr/sbin/sshd -T') // retried in sbin when not on PATH
    for (const call of calls) expect(call.timeoutMs > 0 && call.maxOutputBytes > 0).toBe(true)
  })

  it('passes encryption when the PHI mount sits on a dm-crypt device and fails when it does not', async () => {
    const encrypted = await live('debian12', {dmsetup: (argv) => execResult(argv, 'phi-data: 0 41934848 crypt \n'), lsblk: (argv) => execResult(argv, lsblk(true))})
    expect(encrypted.byId('encryption.phi-at-rest')).toMatchObject({status: 'pass'})
    expect(encrypted.byId('encryption.phi-at-rest')?.evidence).toContainEqual({command: 'lsblk -o NAME,TYPE,FSTYPE,MOUNTPOINT -J', output: '/var/data/phi: phi-data crypt ext4 <- sdb disk crypto_LUKS'})
    const plain = await live('debian12', {lsblk: (argv) => execResult(argv, lsblk(false))})
    expect(plain.byId('encryption.phi-at-rest')).toMatchObject({status: 'fail'})
    expect(plain.byId('encryption.phi-at-rest')?.reason).toMatch(/no dm-crypt device/)
  })

  it('passes encryption when fscrypt reports the directory encrypted', async () => {
    const result = await live('debian12', {
      fscrypt: (argv) => execResult(argv, '"/var/data/phi" is encrypted with fscrypt.\n\nPolicy:   4a2b\nOptions:  padding:32\n'),
      lsblk: (argv) => execResult(argv, lsblk(false)),
    })
    expect(result.byId('encryption.phi-at-rest')?.status).toBe('pass')
  })

  it('is unknown with the reason when lsblk is missing and crypttab cannot settle it', async () => {
    const result = await live('rocky9', {})
    expect(result.byId('encryption.phi-at-rest')?.status).toBe('unknown')
    expect(result.byId('encryption.phi-at-rest')?.reason).toMatch(/lsblk gave no answer \(lsblk is not installed/)
  })

  it('uses the loaded audit rules from auditctl -l over the configured ones', async () => {
    const loaded = '-w /var/data/phi -p rwxa -k phi_access\n-w /etc/passwd -p wa -k id\n'
    const result = await live('debian12-hardened', {auditctl: (argv) => execResult(argv, loaded)})
    expect(result.byId('audit.phi-watch')).toMatchObject({evidence: [{command: 'auditctl -l', output: '-w /var/data/phi -p rwxa -k phi_access'}], status: 'pass'})
    expect(result.byId('audit.phi-watch')?.reason).toBeUndefined()
    // configured identity watches are not enough when the loaded rules lack them
    expect(result.byId('audit.identity-watch')).toMatchObject({status: 'fail'})
    const denied = await live('debian12-hardened', {auditctl: (argv) => execResult(argv, '', {exitCode: 4, stderr: 'You must be root to run this program.\n'})})
    expect(denied.byId('audit.identity-watch')).toMatchObject({status: 'pass'})
    expect(denied.byId('audit.identity-watch')?.reason).toMatch(/exit 4: You must be root.*configured rules, not the loaded ones/)
  })

  it('takes sshd -T over the files when it answers', async () => {
    const output = 'permitrootlogin no\npasswordauthentication no\nmaxauthtries 3\nclientaliveinterval 300\nclientalivecountmax 0\nallowgroups phi-access\nbanner none\n'
    const result = await live('rocky9', {sshd: (argv) => execResult(argv, output)})
    expect(result.byId('ssh.permit-root-login')?.status).toBe('pass')
    expect(result.byId('ssh.idle-timeout')?.status).toBe('pass')
    expect(result.byId('ssh.banner')?.status).toBe('fail')
  })
})
