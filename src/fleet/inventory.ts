/**
 * An ordinary Ansible inventory, INI or YAML, read the way Ansible reads it for what the fleet
 * needs: every host (with host-name ranges such as `web[01:10].example.org` expanded), its groups
 * (through `children`), and its address (`ansible_host`, else the inventory name). Variables from
 * `[group:vars]` / `vars:` apply to the group's hosts and its children's, the host's own winning.
 * Pure: no file system here except readInventory. A malformed inventory is a UsageError (exit 2)
 * naming the file, the line and what is wrong.
 */
import {readFile, stat} from 'node:fs/promises'
import {extname} from 'node:path'
import {isMap, isScalar, LineCounter, parseDocument, type Node} from 'yaml'

import {UsageError, errnoCode, errorMessage} from '../core/errors.js'

export interface InventoryHost {
  /** `ansible_host`, else the inventory name. */
  address: string
  /** Every group the host is in, directly or through `children`, sorted; `all` included. */
  groups: string[]
  /** The name in the inventory (what `--limit` and Ansible's recap show). */
  name: string
  /** Host variables after group variables were applied (strings as written). */
  vars: Record<string, string>
}

export interface InventoryGroup {
  children: string[]
  /** Hosts listed directly under the group. */
  hosts: string[]
  vars: Record<string, string>
}

export interface Inventory {
  format: 'ini' | 'yaml'
  groups: Record<string, InventoryGroup>
  /** In the order they first appear. */
  hosts: InventoryHost[]
}

export type InventoryFormat = 'auto' | 'ini' | 'yaml'

const MAX_INVENTORY_BYTES = 4 * 1024 * 1024
const MAX_RANGE_HOSTS = 100_000
const GROUP_NAME = /^[A-Za-z_][\w-]*$/

class Builder {
  readonly groups = new Map<string, InventoryGroup>()
  readonly hostOrder: string[] = []
  readonly hostVars = new Map<string, Record<string, string>>()

  group(name: string): InventoryGroup {
    let group = this.groups.get(name)
    if (group === undefined) {
      group = {children: [], hosts: [], vars: {}}
      this.groups.set(name, group)
    }
    return group
  }

  host(name: string, groupName: string, vars: Record<string, string>): void {
    if (!this.hostVars.has(name)) {
      this.hostVars.set(name, {})
      this.hostOrder.push(name)
    }
    Object.assign(this.hostVars.get(name) as Record<string, string>, vars)
    const group = this.group(groupName)
    if (!group.hosts.includes(name)) group.hosts.push(name)
  }

  child(parent: string, child: string): void {
    const group = this.group(parent)
    this.group(child)
    if (!group.children.includes(child)) group.children.push(child)
  }

  build(format: Inventory['format'], source: string): Inventory {
    this.group('all')
    const ancestors = new Map<string, Set<string>>()
    // Groups above a group (through children), with a cycle check: Ansible refuses a group that is its own ancestor.
    const parentsOf = new Map<string, string[]>()
    for (const [name, group] of this.groups) for (const child of group.children) parentsOf.set(child, [...(parentsOf.get(child) ?? []), name])
    const climb = (name: string, path: string[]): Set<string> => {
      const known = ancestors.get(name)
      if (known !== undefined) return known
      if (path.includes(name)) throw new UsageError(`inventory ${source}: group ${name} is its own ancestor through children (${[...path, name].join(' → ')})`, {code: 'E_INVENTORY'})
      const found = new Set<string>([name])
      for (const parent of parentsOf.get(name) ?? []) for (const g of climb(parent, [...path, name])) found.add(g)
      found.add('all')
      ancestors.set(name, found)
      return found
    }
    for (const name of this.groups.keys()) climb(name, [])
    // A group's depth decides whose variables win: deeper (more specific) groups over their parents, as Ansible does.
    const depth = (name: string): number => (ancestors.get(name)?.size ?? 1)
    const hosts: InventoryHost[] = this.hostOrder.map((name) => {
      const groups = new Set<string>(['all'])
      for (const [groupName, group] of this.groups) {
        if (group.hosts.includes(name)) for (const g of ancestors.get(groupName) ?? []) groups.add(g)
      }
      if (groups.size === 1) {
        this.group('ungrouped').hosts.push(name)
        groups.add('ungrouped')
      }
      const vars: Record<string, string> = {}
      for (const g of [...groups].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b))) Object.assign(vars, this.groups.get(g)?.vars)
      Object.assign(vars, this.hostVars.get(name))
      const address = vars.ansible_host !== undefined && vars.ansible_host !== '' ? vars.ansible_host : name
      return {address, groups: [...groups].sort(), name, vars}
    })
    return {format, groups: Object.fromEntries([...this.groups].sort(([a], [b]) => a.localeCompare(b))), hosts}
  }
}

/**
 * Expands Ansible's host ranges: `db[01:03]` → db01 db02 db03 (the padding of the start is kept),
 * `[a:c]`, an optional stride `[1:9:2]`, and several ranges in one name.
 */
export function expandHostPattern(pattern: string): string[] {
  const match = /\[([^\]]*)\]/.exec(pattern)
  if (match === null) return [pattern]
  const parts = (match[1] as string).split(':')
  if (parts.length < 2 || parts.length > 3) throw new RangeError(`host range [${match[1]}] is not [START:END] or [START:END:STRIDE]`)
  const [start = '', end = '', strideText] = parts
  const stride = strideText === undefined || strideText === '' ? 1 : Number(strideText)
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`host range [${match[1]}]: the stride must be a positive whole number`)
  const values: string[] = []
  if (/^\d+$/.test(start) && /^\d+$/.test(end)) {
    const from = Number(start)
    const to = Number(end)
    if (to < from) throw new RangeError(`host range [${match[1]}] ends before it starts`)
    if ((to - from) / stride >= MAX_RANGE_HOSTS) throw new RangeError(`host range [${match[1]}] names more than ${MAX_RANGE_HOSTS} hosts`)
    const width = start.startsWith('0') ? start.length : 0
    for (let n = from; n <= to; n += stride) values.push(String(n).padStart(width, '0'))
  } else if (/^[a-zA-Z]$/.test(start) && /^[a-zA-Z]$/.test(end)) {
    const from = start.charCodeAt(0)
    const to = end.charCodeAt(0)
    if (to < from) throw new RangeError(`host range [${match[1]}] ends before it starts`)
    for (let c = from; c <= to; c += stride) values.push(String.fromCharCode(c))
  } else {
    throw new RangeError(`host range [${match[1]}] must run between two numbers or two letters`)
  }
  const head = pattern.slice(0, match.index)
  const tail = pattern.slice(match.index + match[0].length)
  return values.flatMap((value) => expandHostPattern(`${head}${value}${tail}`))
}

/** `key=value` tokens as Ansible's INI parser splits them: shell-like, quotes removed. */
function splitTokens(text: string, where: string): string[] {
  const tokens: string[] = []
  let current = ''
  let quote: string | undefined
  let started = false
  for (const ch of text) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined
      else current += ch
    } else if (ch === '"' || ch === "'") {
      quote = ch
      started = true
    } else if (ch === '#' && !started && current === '') {
      break
    } else if (/\s/.test(ch)) {
      if (started) tokens.push(current)
      current = ''
      started = false
    } else {
      current += ch
      started = true
    }
  }
  if (quote !== undefined) throw new UsageError(`${where}: a quote (${quote}) is not closed`, {code: 'E_INVENTORY'})
  if (started) tokens.push(current)
  return tokens
}

function keyValues(tokens: string[], where: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const token of tokens) {
    const eq = token.indexOf('=')
    if (eq <= 0) throw new UsageError(`${where}: "${token}" is not a variable (expected key=value)`, {code: 'E_INVENTORY'})
    vars[token.slice(0, eq)] = token.slice(eq + 1)
  }
  return vars
}

function expand(pattern: string, where: string): string[] {
  try {
    return expandHostPattern(pattern)
  } catch (error) {
    throw new UsageError(`${where}: ${errorMessage(error)}`, {code: 'E_INVENTORY'})
  }
}

/** Splits `host:port` (Ansible's INI shorthand) into the name and an ansible_port variable. */
function hostAndPort(token: string): {name: string; port?: string} {
  const match = /^([^:[\]]+|[^:]*\[[^\]]*\][^:]*):(\d+)$/.exec(token)
  return match === null ? {name: token} : {name: match[1] as string, port: match[2] as string}
}

export function parseIniInventory(text: string, source = 'inventory'): Inventory {
  const builder = new Builder()
  let section: {kind: 'children' | 'hosts' | 'vars'; name: string} = {kind: 'hosts', name: 'ungrouped'}
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const where = `inventory ${source}:${index + 1}`
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line)
    if (header !== null) {
      const [name = '', kind = 'hosts', ...rest] = (header[1] as string).split(':')
      if (rest.length > 0 || !['children', 'hosts', 'vars'].includes(kind)) {
        throw new UsageError(`${where}: section [${header[1]}] is not [GROUP], [GROUP:vars] or [GROUP:children]`, {code: 'E_INVENTORY'})
      }
      if (!GROUP_NAME.test(name)) throw new UsageError(`${where}: "${name}" is not a valid group name (letters, digits, _ and -, not starting with a digit)`, {code: 'E_INVENTORY'})
      section = {kind: kind as 'children' | 'hosts' | 'vars', name}
      builder.group(name)
      continue
    }
    if (section.kind === 'vars') {
      const eq = line.indexOf('=')
      if (eq <= 0) throw new UsageError(`${where}: "${line}" in [${section.name}:vars] is not key=value`, {code: 'E_INVENTORY'})
      const key = line.slice(0, eq).trim()
      const [value = ''] = splitTokens(line.slice(eq + 1), where)
      builder.group(section.name).vars[key] = value
      continue
    }
    const tokens = splitTokens(line, where)
    if (tokens.length === 0) continue
    if (section.kind === 'children') {
      if (tokens.length !== 1 || !GROUP_NAME.test(tokens[0] as string)) throw new UsageError(`${where}: "${line}" in [${section.name}:children] is not a group name`, {code: 'E_INVENTORY'})
      builder.child(section.name, tokens[0] as string)
      continue
    }
    const [first = '', ...rest] = tokens
    const {name, port} = hostAndPort(first)
    const vars = {...(port === undefined ? {} : {ansible_port: port}), ...keyValues(rest, where)}
    for (const host of expand(name, where)) builder.host(host, section.name, vars)
  }
  return builder.build('ini', source)
}

function scalarText(node: unknown): string {
  if (node === null || node === undefined) return ''
  if (isScalar(node)) return node.value === null ? '' : String(node.value)
  return JSON.stringify(node)
}

export function parseYamlInventory(text: string, source = 'inventory'): Inventory {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, schema: 'core', uniqueKeys: true})
  const at = (node: Node | null | undefined): string => (node?.range === undefined || node.range === null ? '' : `:${lines.linePos(node.range[0]).line}`)
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    throw new UsageError(`inventory ${source}:${first === undefined ? '' : lines.linePos(first.pos[0]).line}: not valid YAML (${first?.message.split('\n')[0] ?? 'error'})`, {code: 'E_INVENTORY'})
  }
  const builder = new Builder()
  const root = doc.contents
  if (root === null || scalarText(root) === '') return builder.build('yaml', source)
  if (!isMap(root)) throw new UsageError(`inventory ${source}${at(root as Node)}: the top level must map group names to groups (all: {hosts: ..., children: ...})`, {code: 'E_INVENTORY'})
  const vars = (node: unknown, where: string): Record<string, string> => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return {}
    if (!isMap(node)) throw new UsageError(`${where}: vars must be a mapping`, {code: 'E_INVENTORY'})
    return Object.fromEntries(node.items.map((pair) => [scalarText(pair.key), scalarText(pair.value)]))
  }
  const visitGroup = (name: string, node: unknown, where: string, path: string[]): void => {
    if (!GROUP_NAME.test(name)) throw new UsageError(`${where}: "${name}" is not a valid group name (letters, digits, _ and -, not starting with a digit)`, {code: 'E_INVENTORY'})
    if (path.includes(name)) throw new UsageError(`${where}: group ${name} is its own ancestor through children (${[...path, name].join(' → ')})`, {code: 'E_INVENTORY'})
    builder.group(name)
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return
    if (!isMap(node)) throw new UsageError(`${where}: group ${name} must be a mapping with hosts, children or vars`, {code: 'E_INVENTORY'})
    for (const pair of node.items) {
      const key = scalarText(pair.key)
      const here = `inventory ${source}${at(pair.key as Node)}`
      const value = pair.value as Node | null
      if (key === 'vars') {
        Object.assign(builder.group(name).vars, vars(value, here))
      } else if (key === 'hosts') {
        if (value === null || (isScalar(value) && value.value === null)) continue
        if (!isMap(value)) throw new UsageError(`${here}: hosts of ${name} must be a mapping of host names (each followed by a colon)`, {code: 'E_INVENTORY'})
        for (const hostPair of value.items) {
          const hostWhere = `inventory ${source}${at(hostPair.key as Node)}`
          const hostName = scalarText(hostPair.key)
          if (hostName === '') throw new UsageError(`${hostWhere}: a host without a name`, {code: 'E_INVENTORY'})
          const hostVars = vars(hostPair.value, hostWhere)
          for (const host of expand(hostName, hostWhere)) builder.host(host, name, hostVars)
        }
      } else if (key === 'children') {
        if (value === null || (isScalar(value) && value.value === null)) continue
        if (!isMap(value)) throw new UsageError(`${here}: children of ${name} must be a mapping of group names`, {code: 'E_INVENTORY'})
        for (const childPair of value.items) {
          const child = scalarText(childPair.key)
          builder.child(name, child)
          visitGroup(child, childPair.value, `inventory ${source}${at(childPair.key as Node)}`, [...path, name])
        }
      } else {
        throw new UsageError(`${here}: group ${name} has "${key}"; a group holds only hosts, children and vars`, {
          code: 'E_INVENTORY', suggestions: [`if ${key} is a group, put it under ${name}: children:`],
        })
      }
    }
  }
  for (const pair of root.items) visitGroup(scalarText(pair.key), pair.value, `inventory ${source}${at(pair.key as Node)}`, [])
  return builder.build('yaml', source)
}

/** YAML when the name says so or the first meaningful line is `---` or a bare `name:` key; INI otherwise. */
export function detectInventoryFormat(text: string, source = ''): 'ini' | 'yaml' {
  const ext = extname(source).toLowerCase()
  if (ext === '.yml' || ext === '.yaml' || ext === '.json') return 'yaml'
  if (ext === '.ini') return 'ini'
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    return line === '---' || line.startsWith('{') || /^[A-Za-z_][\w-]*:\s*(#.*)?$/.test(line) ? 'yaml' : 'ini'
  }
  return 'ini'
}

export function parseInventory(text: string, source = 'inventory', format: InventoryFormat = 'auto'): Inventory {
  const chosen = format === 'auto' ? detectInventoryFormat(text, source) : format
  return chosen === 'yaml' ? parseYamlInventory(text, source) : parseIniInventory(text, source)
}

/** Reads and parses FILE; a missing, unreadable, oversized or empty inventory is exit 2 saying so. */
export async function readInventory(file: string, format: InventoryFormat = 'auto'): Promise<Inventory> {
  let text: string
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new UsageError(`inventory ${file} is not a file`, {code: 'E_INVENTORY'})
    if (info.size > MAX_INVENTORY_BYTES) throw new UsageError(`inventory ${file} is ${info.size} bytes; more than ${MAX_INVENTORY_BYTES} is not an inventory`, {code: 'E_INVENTORY'})
    text = await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    const why = errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${errorMessage(error)})`
    throw new UsageError(`inventory ${file} ${why}`, {code: 'E_INVENTORY', suggestions: ['give an Ansible inventory file (INI or YAML) with --inventory FILE']})
  }
  const inventory = parseInventory(text, file, format)
  if (inventory.hosts.length === 0) {
    throw new UsageError(`inventory ${file} names no hosts`, {code: 'E_INVENTORY', suggestions: ['list hosts under a [group] (INI) or all: hosts: (YAML)']})
  }
  return inventory
}

/** The hosts of one group (with its children's), or every host for `all`; unknown group → undefined. */
export function hostsInGroup(inventory: Inventory, group: string): InventoryHost[] | undefined {
  if (inventory.groups[group] === undefined) return undefined
  return inventory.hosts.filter((h) => h.groups.includes(group))
}
