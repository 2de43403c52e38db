/**
 * Expands an absolute glob as seen on the system under investigation (`/var/log/ehr/access*.log`)
 * below --root, the way the collector of a user's artifact needs it: `*`, `?` and `[...]` inside one
 * path part, `**` for any number of folders. Every folder is resolved inside the image (resolveInRoot),
 * so no link leads onto the examiner's machine; `**` never descends through a link.
 */
import {lstat, readdir} from 'node:fs/promises'

import {globSource} from '../core/glob.js'
import {resolveInRoot} from './root-fs.js'

export interface GlobMatch {
  /** The path as seen on that system. */
  seen: string
  /** Where it is on this machine (the last part not resolved: the caller opens it without following links). */
  host: string
}

export interface GlobOptions {
  /** Stop after this many matches (the rest is reported as cut). */
  maxMatches?: number
  /** Folders `**` goes down at most. */
  maxDepth?: number
}

const MAGIC = /[*?[]/

/** A glob part as a regular expression over one name: `*` and `?` never match `/` or a leading dot. */
export function partPattern(part: string): RegExp {
  return new RegExp(`^${part.startsWith('.') ? '' : '(?!\\.)'}${globSource(part)}$`)
}

/** Every existing path the glob names, sorted; `cut` is set when `maxMatches` stopped the expansion. */
export async function expandRootGlob(root: string, glob: string, options: GlobOptions = {}): Promise<{matches: GlobMatch[]; cut: boolean}> {
  const maxMatches = options.maxMatches ?? 10_000
  const maxDepth = options.maxDepth ?? 16
  const parts = glob.split('/').filter((p) => p !== '' && p !== '.')
  let current: string[] = ['']
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1
    const next: string[] = []
    for (const dir of current) {
      if (part === '**') next.push(...(await descendants(root, dir, maxDepth)))
      else if (!MAGIC.test(part)) next.push(`${dir}/${part}`)
      else {
        const pattern = partPattern(part)
        for (const name of await names(root, dir)) if (pattern.test(name)) next.push(`${dir}/${name}`)
      }
    }
    // Literal parts are checked at the end (or by the next listing); globs only keep what exists.
    current = [...new Set(next)]
    if (!last && current.length > maxMatches * 4) current = current.slice(0, maxMatches * 4)
  }
  const matches: GlobMatch[] = []
  for (const seen of current.sort()) {
    const found = resolveInRoot(root, seen, true)
    if (found.problem) continue
    if (!(await lstat(found.host).then(() => true, () => false))) continue
    matches.push({host: found.host, seen})
    if (matches.length >= maxMatches) return {cut: current.length > maxMatches, matches}
  }
  return {cut: false, matches}
}

async function names(root: string, dir: string): Promise<string[]> {
  const found = resolveInRoot(root, dir === '' ? '/' : dir)
  if (found.problem) return []
  return readdir(found.host).catch(() => [])
}

/** The folder itself and every folder below it (not through links), to `maxDepth`. */
async function descendants(root: string, dir: string, maxDepth: number): Promise<string[]> {
  const out = [dir]
  let level = [dir]
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const below: string[] = []
    for (const folder of level) {
      const found = resolveInRoot(root, folder === '' ? '/' : folder)
      if (found.problem) continue
      const entries = await readdir(found.host, {withFileTypes: true}).catch(() => [])
      for (const entry of entries) if (entry.isDirectory()) below.push(`${folder}/${entry.name}`)
    }
    out.push(...below)
    level = below
  }
  return out
}
