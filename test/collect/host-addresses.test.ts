import {mkdtemp, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {systemAddresses} from '../../src/io/system-facts.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'

describe('collect: the host\'s own addresses in manifest.json (for analyze\'s lateral-movement rule)', () => {
  it('below --root: the addresses /etc/hosts gives the host\'s own name, never loopback', async () => {
    const work = await makeTempDir('hipaa-ir-host-addresses-')
    const root = await mkdtemp(join(work, 'root-'))
    await buildFixtureRoot(root, {layout: 'debian'})
    const host = (await readFile(join(root, 'etc/hostname'), 'utf8')).trim()
    await writeFile(join(root, 'etc/hosts'), `127.0.0.1 localhost\n127.0.1.1 ${host}.example.org ${host}\n10.20.0.5 ${host}.example.org ${host} # eth0\n10.20.0.9 other-host\n::1 localhost ip6-localhost\n`)
    const result = await runCli(['collect', '--case', 'IR-ADDR-1', '--out-dir', join(work, 'out'), '--root', root, '--collectors', 'sessions', '--json'])
    const json = parseJson<{bundle_dir: string}>(result)
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8')) as {host_addresses: unknown}
    expect(manifest.host_addresses).toEqual([{address: '10.20.0.5', from: '/etc/hosts'}])
  })

  it('live: the machine\'s interfaces, without loopback or link-local addresses', () => {
    const addresses = systemAddresses('/', 'any')
    for (const a of addresses) {
      expect(a.address).not.toMatch(/^(127\.|::1$|fe80:)/)
      expect(a.from).toMatch(/^interface /)
    }
  })
})
