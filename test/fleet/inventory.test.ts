import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {
  detectInventoryFormat, expandHostPattern, hostsInGroup, parseInventory, parseIniInventory, parseYamlInventory, readInventory,
} from '../../src/fleet/inventory.js'
import {makeTempDir} from '../helpers/temp.js'

const INI = `
# fleet of the clinic
mail.example.org

[web]
web1 ansible_host=10.0.1.11
web2 ansible_host="10.0.1.12" ansible_user='ops user'  # trailing comment
web[03:04].example.org

[db]
db1:2222 ansible_host=10.0.1.21
db-[a:b]

[db:vars]
ansible_user=dbadmin

[phi:children]
web
db

[phi:vars]
ansible_user=phiops
ansible_host=ignored.example.org
`

describe('INI inventory', () => {
  const inv = parseIniInventory(INI, 'hosts.ini')

  it('lists every host once, in order, with ranges expanded', () => {
    expect(inv.hosts.map((h) => h.name)).toEqual(['mail.example.org', 'web1', 'web2', 'web03.example.org', 'web04.example.org', 'db1', 'db-a', 'db-b'])
  })

  it('takes the address from ansible_host, else the name (a group var does not beat the host var)', () => {
    const byName = Object.fromEntries(inv.hosts.map((h) => [h.name, h]))
    expect(byName.web1?.address).toBe('10.0.1.11')
    expect(byName.web2?.address).toBe('10.0.1.12')
    expect(byName['mail.example.org']?.address).toBe('mail.example.org')
    expect(byName.db1?.address).toBe('10.0.1.21')
    expect(byName.db1?.vars.ansible_port).toBe('2222')
    // phi:vars applies to children's hosts without an own value
    expect(byName['web03.example.org']?.address).toBe('ignored.example.org')
  })

  it('applies group vars, the more specific group winning, host vars over both', () => {
    const byName = Object.fromEntries(inv.hosts.map((h) => [h.name, h]))
    expect(byName.web2?.vars.ansible_user).toBe('ops user')
    expect(byName['db-a']?.vars.ansible_user).toBe('dbadmin')
    expect(byName.web1?.vars.ansible_user).toBe('phiops')
  })

  it('resolves groups through children; hosts without a group are ungrouped', () => {
    const byName = Object.fromEntries(inv.hosts.map((h) => [h.name, h]))
    expect(byName.web1?.groups).toEqual(['all', 'phi', 'web'])
    expect(byName['mail.example.org']?.groups).toEqual(['all', 'ungrouped'])
    expect(hostsInGroup(inv, 'phi')?.map((h) => h.name)).toEqual(['web1', 'web2', 'web03.example.org', 'web04.example.org', 'db1', 'db-a', 'db-b'])
    expect(hostsInGroup(inv, 'all')).toHaveLength(8)
    expect(hostsInGroup(inv, 'nope')).toBeUndefined()
    expect(inv.groups.phi?.children).toEqual(['web', 'db'])
  })

  it('names the line of a bad section, a bad variable and an unclosed quote (exit 2)', () => {
    expect(() => parseIniInventory('[web:stuff]\nweb1\n', 'h.ini')).toThrow(/h\.ini:1: section \[web:stuff\]/)
    expect(() => parseIniInventory('[web]\nweb1 ansible_host\n', 'h.ini')).toThrow(/h\.ini:2: "ansible_host" is not a variable/)
    expect(() => parseIniInventory('[web]\nweb1 ansible_host="10.0.0.1\n', 'h.ini')).toThrow(/h\.ini:2: a quote/)
    expect(() => parseIniInventory('[web]\nweb[5:1]\n', 'h.ini')).toThrow(/h\.ini:2: host range \[5:1\] ends before it starts/)
    try {
      parseIniInventory('[a:children]\nb\n[b:children]\na\n[a]\nh1\n', 'h.ini')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError)
      expect((error as UsageError).exitCode).toBe(2)
      expect((error as Error).message).toMatch(/its own ancestor/)
    }
  })
})

const YAML = `
all:
  hosts:
    mail.example.org:
  children:
    web:
      hosts:
        web1:
          ansible_host: 10.0.1.11
        web[2:3]:
      vars:
        ansible_user: webops
    phi:
      children:
        db:
          hosts:
            db1: {ansible_host: 10.0.1.21, ansible_port: 2222}
        web:
      vars:
        ansible_user: phiops
`

describe('YAML inventory', () => {
  const inv = parseYamlInventory(YAML, 'hosts.yml')

  it('lists hosts, addresses, groups through children and vars', () => {
    expect(inv.hosts.map((h) => h.name)).toEqual(['mail.example.org', 'web1', 'web2', 'web3', 'db1'])
    const byName = Object.fromEntries(inv.hosts.map((h) => [h.name, h]))
    expect(byName.web1?.address).toBe('10.0.1.11')
    expect(byName.web2?.address).toBe('web2')
    expect(byName.db1?.vars.ansible_port).toBe('2222')
    expect(byName.web1?.groups).toEqual(['all', 'phi', 'web'])
    expect(byName['mail.example.org']?.groups).toEqual(['all', 'ungrouped'])
    // web is a child of phi: web's own value is more specific
    expect(byName.web2?.vars.ansible_user).toBe('webops')
    expect(byName.db1?.vars.ansible_user).toBe('phiops')
  })

  it('names the line of a group that holds something other than hosts, children or vars', () => {
    expect(() => parseYamlInventory('all:\n  hosts:\n    a:\n  web:\n    hosts:\n      b:\n', 'h.yml')).toThrow(/h\.yml:4: group all has "web"/)
    expect(() => parseYamlInventory('all:\n  hosts:\n    - a\n', 'h.yml')).toThrow(/h\.yml:2: hosts of all must be a mapping/)
    expect(() => parseYamlInventory('all: [\n', 'h.yml')).toThrow(/not valid YAML/)
  })
})

describe('format detection and reading', () => {
  it('tells YAML from INI by the name, else by the first line', () => {
    expect(detectInventoryFormat('', 'x.yml')).toBe('yaml')
    expect(detectInventoryFormat('[web]\nweb1\n', 'hosts')).toBe('ini')
    expect(detectInventoryFormat('# c\nall:\n  hosts:\n', 'hosts')).toBe('yaml')
    expect(detectInventoryFormat('web1 ansible_host=1.2.3.4\n', 'hosts')).toBe('ini')
    expect(parseInventory(YAML, 'hosts').format).toBe('yaml')
    expect(parseInventory(INI, 'hosts').format).toBe('ini')
  })

  it('expands ranges with padding, letters, strides and several ranges', () => {
    expect(expandHostPattern('db[08:10]')).toEqual(['db08', 'db09', 'db10'])
    expect(expandHostPattern('r[1:5:2]')).toEqual(['r1', 'r3', 'r5'])
    expect(expandHostPattern('[a:b]-[1:2]')).toEqual(['a-1', 'a-2', 'b-1', 'b-2'])
    expect(() => expandHostPattern('x[1:a]')).toThrow(/two numbers or two letters/)
  })

  it('refuses a missing file and one without hosts with exit 2', async () => {
    const dir = await makeTempDir('hipaa-ir-inventory-')
    await expect(readInventory(join(dir, 'none.ini'))).rejects.toThrow(/does not exist/)
    await writeFile(join(dir, 'empty.ini'), '# nothing\n[web]\n')
    await expect(readInventory(join(dir, 'empty.ini'))).rejects.toThrow(/names no hosts/)
    await writeFile(join(dir, 'ok.yml'), YAML)
    expect((await readInventory(join(dir, 'ok.yml'))).hosts).toHaveLength(5)
  })
})
