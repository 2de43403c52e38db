/**
 * The inventory's hosts as Ansible itself resolves them (`ansible-inventory --list`): names in
 * inventory order, addresses (`ansible_host`, else the name) and the connection variables the relay
 * transport needs to open its own SSH connection the way Ansible does.
 */
import {execa} from 'execa'

import {UsageError} from '../core/errors.js'
import {ansibleEnv} from './ansible-run.js'

export interface AnsibleHost {
  address: string
  name: string
  vars: Record<string, unknown>
}

interface ListOutput {
  [group: string]: {children?: string[]; hosts?: string[]} | {hostvars?: Record<string, Record<string, unknown>>} | undefined
  _meta?: {hostvars?: Record<string, Record<string, unknown>>}
}

export async function listInventory(inventory: string, runDir: string): Promise<AnsibleHost[]> {
  const run = await execa('ansible-inventory', ['-i', inventory, '--list'], {env: ansibleEnv(runDir), reject: false, stdin: 'ignore'})
  if (run.exitCode !== 0 || (run.stderr ?? '').includes('[WARNING]: Unable to parse')) {
    if ((run as {code?: string}).code === 'ENOENT') throw new UsageError('ansible-inventory was not found: install ansible-core (Debian: apt-get install ansible-core)')
    throw new UsageError(`--inventory ${inventory}: Ansible cannot read it: ${String(run.stderr).trim().split('\n').slice(-3).join(' | ') || `exit ${run.exitCode}`}`)
  }
  const list = JSON.parse(String(run.stdout)) as ListOutput
  const hostvars = list._meta?.hostvars ?? {}
  const order: string[] = []
  const seen = new Set<string>()
  const visit = (group: string, depth: number): void => {
    const entry = list[group] as undefined | {children?: string[]; hosts?: string[]}
    if (entry === undefined || depth > 50) return
    for (const h of entry.hosts ?? []) if (!seen.has(h)) seen.add(h) && order.push(h)
    for (const child of entry.children ?? []) visit(child, depth + 1)
  }
  visit('all', 0)
  for (const h of Object.keys(hostvars)) if (!seen.has(h)) seen.add(h) && order.push(h)
  return order.map((name) => {
    const vars = hostvars[name] ?? {}
    return {address: typeof vars.ansible_host === 'string' ? vars.ansible_host : name, name, vars}
  })
}
