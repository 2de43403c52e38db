/** Fleet states from what a host reports and what S3 says; the table, exit codes and retry command. */
import {describe, expect, it} from 'vitest'

import {fleetRetryCommand, parseMaxFail, type FleetFlagValues} from '../../src/cli/fleet-flags.js'
import {pushFlags} from '../../src/cli/push-flags.js'
import {hostState, type HostOutcome, type StoredLookup} from '../../src/fleet/host-state.js'
import {decideAction, type HostBundle, type HostStepReport} from '../../src/fleet/host-step.js'
import {splitArgs, sshCatArgv} from '../../src/fleet/relay.js'
import {fleetExitCode, fleetTable, stateCounts} from '../../src/fleet/report.js'
import {failBudget} from '../../src/fleet/run-fleet.js'

const NAME = 'IR-9_web1_20261127T080000Z'
const stored: StoredLookup = async () => ({mode: 'COMPLIANCE', ok: true, retainUntil: '2032-11-27T08:00:00.000Z'})
const missing: StoredLookup = async () => ({error: 'NotFound (HTTP 404)', ok: false})

function bundle(overrides: Partial<HostBundle> = {}): HostBundle {
  return {
    collect: {name: NAME, status: 'complete', tarball_sha256: 'a'.repeat(64)},
    name: NAME,
    push: {key: `IR-9/web1/${NAME}.tar.gz`, sha256: 'a'.repeat(64), status: 'pushed', versionId: 'v1'},
    tarball: `/var/lib/hipaa-ir/IR-9/${NAME}.tar.gz`,
    ...overrides,
  }
}

function outcome(step: Partial<HostStepReport> | undefined, extra: Partial<HostOutcome> = {}): HostOutcome {
  const report = step === undefined ? undefined : {rc: 0, stdout: JSON.stringify({action: 'collect', bundles: [], hostname: 'web1', out_dir: '/x', ...step})}
  return {address: '10.0.0.1', elapsedMs: 12_345, name: 'web1', ...(report === undefined ? {} : {report}), ...extra}
}

describe('hostState', () => {
  it('done: the host says pushed and S3 has that version under its lock', async () => {
    const h = await hostState(outcome({bundles: [bundle()]}), {lookup: stored})
    expect(h).toMatchObject({bundle: NAME, host: 'web1', key: `IR-9/web1/${NAME}.tar.gz`, state: 'done', time_s: 12.3, version_id: 'v1'})
    expect(h.note).toMatch(/COMPLIANCE until 2032-11-27/)
  })

  it('partial: stored, and the note names the collector that failed', async () => {
    const h = await hostState(outcome({bundles: [bundle({collect: {collectors: [{id: 'audit', status: 'timed-out'}], name: NAME, status: 'partial'}})]}), {lookup: stored})
    expect(h.state).toBe('partial')
    expect(h.note).toMatch(/audit: timed-out/)
  })

  it('pending: the bundle is kept on the host with the push error; and when S3 lacks what the host calls pushed', async () => {
    const kept = await hostState(outcome({bundles: [bundle({push: {lastError: 'connect ECONNREFUSED 127.0.0.1:7480', status: 'pending'}})]}), {lookup: stored})
    expect(kept).toMatchObject({state: 'pending'})
    expect(kept.note).toMatch(/kept on the host: connect ECONNREFUSED/)
    const gone = await hostState(outcome({bundles: [bundle()]}), {lookup: missing})
    expect(gone.state).toBe('pending')
    expect(gone.note).toMatch(/S3 does not have it/)
  })

  it('failed with the reason when there is no bundle; no-answer when unreachable', async () => {
    const failed = await hostState(outcome({bundles: [], collect: {rc: 2, stderr: 'Error: --phi-dir /nope does not exist\n'}}), {lookup: stored})
    expect(failed).toMatchObject({bundle: null, state: 'failed'})
    expect(failed.note).toBe('collect exit 2: Error: --phi-dir /nope does not exist')
    const install = await hostState(outcome(undefined, {report: {error: 'release SHA-256 is the pinned one: release tarball SHA-256 x is not the pinned y'}}), {lookup: stored})
    expect(install.state).toBe('failed')
    expect(install.note).toMatch(/^release SHA-256/)
    const timeout = await hostState(outcome(undefined, {report: {msg: 'async task did not complete within the requested time - 60s', rc: null, stdout: ''}}), {lookup: stored})
    expect(timeout.note).toMatch(/did not complete/)
    const gone = await hostState(outcome(undefined, {unreachable: 'Failed to connect to the host via ssh: \u001b[31mNetwork is unreachable'}), {lookup: stored})
    expect(gone).toMatchObject({state: 'no-answer'})
    expect(gone.note).not.toContain('\u001b')
  })
})

describe('decideAction (on the host)', () => {
  const spec = {probe: false, recollect: false, transport: 'push' as const}
  it('collects when there is no bundle, pushes a pending one, skips when all are pushed', () => {
    expect(decideAction(spec, [])).toBe('collect')
    expect(decideAction(spec, [bundle({push: null})])).toBe('push')
    expect(decideAction({...spec, transport: 'relay'}, [bundle({push: {status: 'pending'}})])).toBe('relay')
    expect(decideAction(spec, [bundle()])).toBe('skip')
    expect(decideAction({...spec, recollect: true}, [bundle()])).toBe('collect')
    expect(decideAction({...spec, probe: true}, [])).toBe('probe')
  })
})

describe('the report', () => {
  const host = (state: 'done' | 'failed' | 'no-answer' | 'partial' | 'pending') => ({
    address: '10.0.0.1', bundle: null, host: null, inventory_name: `h-${state}`, key: null, note: 'n', sha256: null, state, time_s: 1, version_id: null,
  })
  it('exit codes: 0 all done, 4 partial, 5 pending, 6 a host without a stored bundle', () => {
    expect(fleetExitCode([host('done')])).toBe(0)
    expect(fleetExitCode([host('done'), host('partial')])).toBe(4)
    expect(fleetExitCode([host('partial'), host('pending')])).toBe(5)
    expect(fleetExitCode([host('pending'), host('no-answer')])).toBe(6)
    expect(fleetExitCode([host('failed')])).toBe(6)
  })
  it('a table with the contract columns and counts', () => {
    const table = fleetTable([host('done'), host('no-answer')])
    expect(table.split('\n')[0]).toMatch(/^HOST\s+ADDRESS\s+STATE\s+TIME\s+BUNDLE\s+NOTE$/)
    expect(table).toMatch(/^h-no-answer\s+10\.0\.0\.1\s+no-answer\s+1s\s+-\s+n$/m)
    expect(stateCounts([host('done'), host('done'), host('pending')])).toBe('2 done · 1 pending')
  })
  it('--max-fail: a count or a percentage of the hosts', () => {
    expect(parseMaxFail('3')).toEqual({count: 3})
    expect(failBudget(parseMaxFail('10%'), 25)).toBe(2)
    expect(failBudget(undefined, 25)).toBe(Number.POSITIVE_INFINITY)
    expect(() => parseMaxFail('ten')).toThrow(/--max-fail ten/)
  })
  it('the retry command repeats every setting that matters, quoted for a shell', () => {
    const flags: FleetFlagValues = {
      'allow-unlocked': false, become: false, bucket: 'ir evidence', canary: 1, case: 'IR-9', 'evidence-dir': '/var/lib/hipaa-ir', 'install-dir': '/opt/hipaa-ir',
      inventory: '/srv/hosts.ini', 'legal-hold': false, 'max-fail': '10%', mode: 'governance', parallel: 10, 'part-size': pushFlags['part-size'].default as number, 'phi-dir': ['/srv/phi'], release: '/r/hipaa-ir-0.1.0-linux-x64.tar.gz',
      'retain-days': 1, since: '7d', timeout: '30m', transport: 'relay',
    }
    expect(fleetRetryCommand(flags)).toBe("hipaa-ir fleet retry --case IR-9 --inventory /srv/hosts.ini --release /r/hipaa-ir-0.1.0-linux-x64.tar.gz --bucket 'ir evidence' --mode governance --retain-days 1 --since 7d --phi-dir /srv/phi --transport relay --no-become")
  })
})

describe('relay over SSH', () => {
  it('splits ansible_ssh_common_args as Ansible does, and quotes the remote path', () => {
    expect(splitArgs(`-F /lab/ssh_config -o ProxyCommand="ip netns exec ns socat STDIO TCP:%h:%p" -o 'A=b c'`)).toEqual(['-F', '/lab/ssh_config', '-o', 'ProxyCommand=ip netns exec ns socat STDIO TCP:%h:%p', '-o', 'A=b c'])
    const argv = sshCatArgv({address: '10.0.0.5', name: 'db1', vars: {ansible_port: 2222, ansible_ssh_common_args: '-F /x', ansible_user: 'ops'}}, "/var/lib/hipaa-ir/IR-9/a b'.tar.gz", true)
    expect(argv).toEqual(['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-p', '2222', '-l', 'ops', '-F', '/x', '10.0.0.5', "sudo -n cat -- '/var/lib/hipaa-ir/IR-9/a b'\\''.tar.gz'"])
  })
})
