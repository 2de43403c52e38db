import {afterEach, describe, expect, it} from 'vitest'

import {takeSnapshot} from '../../src/posture/snapshot.js'
import type {ControlStatus} from '../../src/posture/types.js'
import {fakeExec, fixtureCopy} from './helpers.js'

type Expected = Record<string, ControlStatus>

/** Every control judged on each fixture root: the default configurations fail, the hardened ones pass (or fail where the fixture plants a mistake). */
const EXPECTED: Record<string, Expected> = {
  debian12: {
    'audit.identity-watch': 'fail', 'audit.phi-watch': 'fail', 'auth.lockout': 'fail', 'encryption.phi-at-rest': 'unknown', 'logs.remote': 'fail',
    'password.aging': 'fail', 'password.quality': 'fail', 'phi.permissions': 'pass', 'session.timeout': 'fail', 'ssh.allow-groups': 'fail',
    'ssh.banner': 'fail', 'ssh.idle-timeout': 'fail', 'ssh.max-auth-tries': 'fail', 'ssh.password-authentication': 'fail', 'ssh.permit-root-login': 'fail',
  },
  'debian12-hardened': {
    'audit.identity-watch': 'pass', 'audit.phi-watch': 'pass', 'auth.lockout': 'pass', 'encryption.phi-at-rest': 'pass', 'logs.remote': 'pass',
    'password.aging': 'pass', 'password.quality': 'pass', 'phi.permissions': 'pass', 'session.timeout': 'pass', 'ssh.allow-groups': 'pass',
    'ssh.banner': 'pass', 'ssh.idle-timeout': 'pass', 'ssh.max-auth-tries': 'pass', 'ssh.password-authentication': 'pass', 'ssh.permit-root-login': 'pass',
  },
  rocky9: {
    'audit.identity-watch': 'fail', 'audit.phi-watch': 'fail', 'auth.lockout': 'fail', 'encryption.phi-at-rest': 'unknown', 'logs.remote': 'fail',
    'password.aging': 'fail', 'password.quality': 'fail', 'phi.permissions': 'pass', 'session.timeout': 'fail', 'ssh.allow-groups': 'fail',
    'ssh.banner': 'fail', 'ssh.idle-timeout': 'fail', 'ssh.max-auth-tries': 'fail', 'ssh.password-authentication': 'fail', 'ssh.permit-root-login': 'fail',
  },
  'rocky9-hardened': {
    'audit.identity-watch': 'pass', 'audit.phi-watch': 'pass', 'auth.lockout': 'pass', 'encryption.phi-at-rest': 'unknown', 'logs.remote': 'pass',
    'password.aging': 'pass', 'password.quality': 'pass', 'phi.permissions': 'pass', 'session.timeout': 'pass', 'ssh.allow-groups': 'pass',
    'ssh.banner': 'pass', 'ssh.idle-timeout': 'pass', 'ssh.max-auth-tries': 'pass', 'ssh.password-authentication': 'pass', 'ssh.permit-root-login': 'pass',
  },
  ubuntu2404: {
    'audit.identity-watch': 'fail', 'audit.phi-watch': 'fail', 'auth.lockout': 'fail', 'encryption.phi-at-rest': 'unknown', 'logs.remote': 'fail',
    'password.aging': 'fail', 'password.quality': 'fail', 'phi.permissions': 'pass', 'session.timeout': 'fail', 'ssh.allow-groups': 'fail',
    'ssh.banner': 'fail', 'ssh.idle-timeout': 'fail', 'ssh.max-auth-tries': 'fail', 'ssh.password-authentication': 'fail', 'ssh.permit-root-login': 'fail',
  },
  'ubuntu2404-hardened': {
    'audit.identity-watch': 'pass', 'audit.phi-watch': 'fail', 'auth.lockout': 'pass', 'encryption.phi-at-rest': 'unknown', 'logs.remote': 'fail',
    'password.aging': 'pass', 'password.quality': 'fail', 'phi.permissions': 'pass', 'session.timeout': 'fail', 'ssh.allow-groups': 'pass',
    'ssh.banner': 'fail', 'ssh.idle-timeout': 'pass', 'ssh.max-auth-tries': 'pass', 'ssh.password-authentication': 'fail', 'ssh.permit-root-login': 'pass',
  },
}

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

async function snapshot(name: string, phiMode: number | null = 0o750) {
  const copy = fixtureCopy(name, phiMode)
  cleanups.push(copy.cleanup)
  const {calls, exec} = fakeExec({})
  const result = await takeSnapshot({exec, live: false, phiDirs: ['/var/data/phi'], root: copy.root})
  expect(calls).toEqual([]) // nothing live runs under --root
  return result.document
}

describe('fixture roots', () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`judges every control on ${name}`, async () => {
      const document = await snapshot(name)
      const statuses = Object.fromEntries(document.controls.map((control) => [control.id, control.status]))
      expect(statuses).toEqual(expected)
      for (const control of document.controls) {
        if (control.status !== 'pass') expect(control.reason, control.id).toBeTruthy()
        expect(control.reference).toMatch(/^45 CFR 164\.3(08|12)/)
      }
    })
  }

  it('covers a pass and a fail for every control across the fixtures (encryption fails only live; see live.test.ts)', () => {
    const ids = Object.keys(EXPECTED.debian12 ?? {})
    for (const id of ids) {
      const seen = new Set(Object.values(EXPECTED).map((expected) => expected[id]))
      expect(seen.has('pass'), id).toBe(true)
      if (id !== 'encryption.phi-at-rest' && id !== 'phi.permissions') expect(seen.has('fail'), id).toBe(true)
    }
  })

  it('fails a world-accessible PHI directory and is unknown when it is missing', async () => {
    const open = await snapshot('debian12-hardened', 0o755)
    const control = open.controls.find((item) => item.id === 'phi.permissions')
    expect(control).toMatchObject({evidence: [{mode: '0755', path: '/var/data/phi', type: 'dir'}], status: 'fail'})
    const missing = await snapshot('debian12-hardened', null)
    expect(missing.controls.find((item) => item.id === 'phi.permissions')).toMatchObject({reason: '/var/data/phi not found', status: 'unknown'})
  })

  it('reports the host and paths as seen on the system, and follows absolute symlinks below the root', async () => {
    const document = await snapshot('rocky9-hardened')
    expect(document.host).toBe('phi-rocky-03')
    const lockout = document.controls.find((item) => item.id === 'auth.lockout')
    // /etc/pam.d/password-auth -> /etc/authselect/password-auth, resolved inside the fixture
    expect(lockout?.evidence).toContainEqual(expect.objectContaining({file: '/etc/pam.d/password-auth'}))
    expect(JSON.stringify(document.controls)).not.toContain('posture-')
  })

  it('says why encryption is unknown under --root and cites crypttab when it settles it', async () => {
    const hardened = await snapshot('debian12-hardened')
    expect(hardened.controls.find((item) => item.id === 'encryption.phi-at-rest')?.evidence).toContainEqual({file: '/etc/crypttab', line: 2, text: 'phi-data /dev/sdb /etc/keys/phi-data.key luks'})
    const rocky = await snapshot('rocky9-hardened')
    expect(rocky.controls.find((item) => item.id === 'encryption.phi-at-rest')?.reason).toMatch(/only be seen on the live system/)
  })
})
