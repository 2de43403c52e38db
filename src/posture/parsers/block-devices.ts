import type {LineEvidence, TextFile} from '../types.js'
import {numberedLines, stripHashComment} from './lines.js'

export interface CrypttabEntry {
  device: string
  evidence: LineEvidence
  name: string
  options: string[]
}

export interface FstabEntry {
  device: string
  evidence: LineEvidence
  fstype: string
  mountpoint: string
}

function fields(file: TextFile): Array<{evidence: LineEvidence; words: string[]}> {
  return numberedLines(file.text).flatMap(({line, text}) => {
    const body = stripHashComment(text)
    return body === '' ? [] : [{evidence: {file: file.path, line, text: text.trim()}, words: body.split(/\s+/)}]
  })
}

/** `/etc/crypttab`: `name device [keyfile [options]]`. */
export function parseCrypttab(file: TextFile): CrypttabEntry[] {
  return fields(file).flatMap(({evidence, words}) => {
    const [name, device, , options = ''] = words
    return name === undefined || device === undefined ? [] : [{device, evidence, name, options: options.split(',').filter((option) => option !== '')}]
  })
}

/** fstab escapes spaces as `\040`. */
function unescapeOctal(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
}

export function parseFstab(file: TextFile): FstabEntry[] {
  return fields(file).flatMap(({evidence, words}) => {
    const [device, mountpoint, fstype = ''] = words
    return device === undefined || mountpoint === undefined ? [] : [{device, evidence, fstype, mountpoint: unescapeOctal(mountpoint)}]
  })
}

/** The mount point that holds `path`: the longest mount point that is `path` or a directory above it. */
export function containingMount<T>(path: string, mounts: T[], mountpointOf: (mount: T) => string | undefined): T | undefined {
  let best: T | undefined
  let bestLength = -1
  for (const mount of mounts) {
    const point = mountpointOf(mount)
    if (point === undefined || point === '' || point === '[SWAP]') continue
    const normal = point === '/' ? '/' : point.replace(/\/+$/, '')
    const holds = normal === '/' || path === normal || path.startsWith(`${normal}/`)
    if (holds && normal.length > bestLength) [best, bestLength] = [mount, normal.length]
  }
  return best
}

export interface LsblkNode {
  children?: LsblkNode[]
  fstype?: string | null
  mountpoint?: string | null
  mountpoints?: Array<string | null>
  name: string
  type?: string
}

/** Each block device with its chain of parents (device first, then what it sits on). */
export function lsblkChains(json: string): Array<{chain: LsblkNode[]; node: LsblkNode}> | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return undefined
  }
  const roots = (parsed as {blockdevices?: LsblkNode[]}).blockdevices
  if (!Array.isArray(roots)) return undefined
  const out: Array<{chain: LsblkNode[]; node: LsblkNode}> = []
  const walk = (node: LsblkNode, parents: LsblkNode[]): void => {
    out.push({chain: [node, ...parents], node})
    for (const child of node.children ?? []) walk(child, [node, ...parents])
  }
  for (const root of roots) walk(root, [])
  return out
}

export function lsblkMountpoints(node: LsblkNode): string[] {
  const points = [node.mountpoint, ...(node.mountpoints ?? [])]
  return points.filter((point): point is string => typeof point === 'string' && point !== '')
}

/** `dmsetup status` lines `NAME: START LENGTH TARGET ...` whose target is `crypt`. */
export function dmCryptNames(output: string): string[] {
  return numberedLines(output).flatMap(({text}) => {
    const match = /^(\S+):\s+\d+\s+\d+\s+crypt\b/.exec(text.trim())
    return match === null ? [] : [match[1] ?? '']
  })
}
