import {chmod, mkdir, mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

/** What `journalctl -o json` prints: a real sshd login, then `logger -t sshd` from uid 1000 with a two-line MESSAGE. */
const ENTRIES = [
  {MESSAGE: 'Accepted publickey for alice from 203.0.113.10 port 52514 ssh2: ED25519 SHA256:abc', SYSLOG_IDENTIFIER: 'sshd', SYSLOG_PID: '2240', _COMM: 'sshd', _EXE: '/usr/sbin/sshd', _HOSTNAME: 'phi-db', _PID: '2240', _SYSTEMD_UNIT: 'ssh.service', _UID: '0', __REALTIME_TIMESTAMP: '1772529600000000'},
  {
    MESSAGE: 'Accepted password for root from 203.0.113.66 port 50000 ssh2\n2026-03-03T09:20:01.000000+00:00 phi-db sshd[1]: Accepted password for alice from 10.9.9.9 port 50001 ssh2',
    SYSLOG_IDENTIFIER: 'sshd', SYSLOG_PID: '1', _COMM: 'logger', _EXE: '/usr/bin/logger', _HOSTNAME: 'phi-db', _PID: '4242', _SYSTEMD_UNIT: 'session-3.scope', _UID: '1000', __REALTIME_TIMESTAMP: '1772529601000000',
  },
]

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-journal-')
})

describe('collect on a journald-only system: a forged sshd entry (security M8)', () => {
  it('keeps it as `other` with who sent it, and writes one raw line per entry', async () => {
    const root = await mkdtemp(join(work, 'root-'))
    await buildFixtureRoot(root, {layout: 'journal-only'})
    const bin = join(work, 'bin')
    await mkdir(bin, {recursive: true})
    await writeFile(join(bin, 'journalctl'), `#!/bin/sh\ncat <<'EOF'\n${ENTRIES.map((e) => JSON.stringify(e)).join('\n')}\nEOF\n`)
    await chmod(join(bin, 'journalctl'), 0o755)
    const out = join(work, 'out')
    const result = await runCli(['collect', '--case', 'IR-TEST-1', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--collectors', 'auth', '--json'], {env: {PATH: `${bin}:/usr/bin:/bin`}})
    expect(result.exitCode, result.stderr).toBe(0)
    const dir = parseJson<{bundle_dir: string}>(result).bundle_dir
    const events = (await readFile(join(dir, 'auth/events.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({ip: '203.0.113.10', kind: 'accepted', program: 'sshd', trusted: {comm: 'sshd', exe: '/usr/sbin/sshd', uid: 0, unit: 'ssh.service'}, user: 'alice'})
    expect(events[1]).toMatchObject({ip: null, kind: 'other', note: 'claims to be sshd; sent by logger (uid 1000)', pid: 4242, program: 'logger', syslog_identifier: 'sshd', user: null})
    const raw = (await readFile(join(dir, 'auth/auth-events.txt'), 'utf8')).trimEnd().split('\n')
    expect(raw).toHaveLength(2)
    expect(raw[1]).toMatch(/^2026-03-03T09:20:01\.000Z phi-db logger\[4242\]: Accepted password for root from 203\.0\.113\.66 port 50000 ssh2\\n2026-03-03T09:20:01/)
    expect(raw.filter((line) => line.includes('10.9.9.9'))).toHaveLength(1)
  })
})
