import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {makeTempDir} from '../helpers/temp.js'
import {startLab, type Lab} from './lab.js'

async function rootNetwork(): Promise<string> {
  const [addresses, routes] = await Promise.all([execa('ip', ['-o', 'addr']), execa('ip', ['route'])])
  return `${addresses.stdout.replaceAll(/\s+valid_lft.*$/gm, '')}\n${routes.stdout}`
}

/** scripts/fleet-lab.sh: namespaced test hosts that Ansible reaches over SSH, leaving this machine's network alone. */
describe('the fleet lab', () => {
  let lab: Lab
  let before: string
  let forward: string
  const ansibleHome = {ANSIBLE_HOME: '', ANSIBLE_LOCAL_TEMP: '', ANSIBLE_SSH_CONTROL_PATH_DIR: ''}

  beforeAll(async () => {
    before = await rootNetwork()
    forward = await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')
    lab = await startLab(3)
    const home = await makeTempDir('hipaa-ir-ansible-')
    Object.assign(ansibleHome, {ANSIBLE_HOME: home, ANSIBLE_LOCAL_TEMP: `${home}/tmp`, ANSIBLE_SSH_CONTROL_PATH_DIR: `${home}/cp`})
  })
  afterAll(async () => {
    await lab?.down()
  })

  it('brings up three hosts that answer Ansible, each with its own host name, /var/log and PHI folder', async () => {
    const ping = await execa('ansible', ['-i', lab.inventory, 'all', '-m', 'ping', '-o'], {env: ansibleHome, timeout: 60_000})
    expect(ping.stdout.split('\n').filter((l) => l.includes('SUCCESS')).length).toBe(3)
    const names = await execa('ansible', ['-i', lab.inventory, 'all', '-m', 'command', '-a', 'cat /proc/sys/kernel/hostname /var/log/auth.log', '-o'], {env: ansibleHome, timeout: 60_000})
    for (const h of ['h1', 'h2', 'h3']) {
      expect(names.stdout).toMatch(new RegExp(`^${h} \\| CHANGED \\| rc=0 \\| \\(stdout\\) ${h}\\\\n.*intruder${h.slice(1)} `, 'm'))
    }
    const phi = await execa('ansible', ['-i', lab.inventory, 'h2', '-m', 'command', '-a', 'ls /srv/phi/patients', '-o'], {env: ansibleHome})
    expect(phi.stdout).toContain('p2.txt')
  }, 120_000)

  it('adds no address, route or forwarding to this machine: hosts exist only inside their namespaces', async () => {
    expect(await rootNetwork()).toBe(before)
    expect(await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(forward)
  })

  it('cuts a host off (unreachable to Ansible) and mends it', async () => {
    await lab.host('cut', 'h3')
    const cut = await execa('ansible', ['-i', lab.inventory, 'h3', '-m', 'ping', '-o'], {env: ansibleHome, reject: false, timeout: 60_000})
    expect(cut.stdout).toMatch(/h3 \| UNREACHABLE!/)
    await lab.host('mend', 'h3')
    const back = await execa('ansible', ['-i', lab.inventory, 'h3', '-m', 'ping', '-o'], {env: ansibleHome, timeout: 60_000})
    expect(back.stdout).toMatch(/h3 \| SUCCESS/)
  }, 120_000)

  it('down removes every namespace and process it made, and may run twice', async () => {
    const second = await startLab(1)
    const ns = await second.netns('h1')
    await second.down()
    await second.down()
    expect((await execa('ip', ['netns', 'list'])).stdout).not.toContain(ns)
    expect((await execa('ps', ['-eo', 'args'])).stdout).not.toContain(second.dir)
  }, 120_000)
})
