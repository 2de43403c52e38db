import type {FileView} from '../types.js'

/** Byte-wise (C locale) comparison: the order glob(3) and `ls` under LC_ALL=C give. */
export function byteCompare(a: string, b: string): number {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return Buffer.compare(left, right)
}

function hasMagic(part: string): boolean {
  return /[*?[]/.test(part)
}

/** fnmatch(3) for one path component: `*`, `?`, `[abc]`, `[!abc]`, `[a-z]`; no dotfiles unless the pattern starts with a dot. */
export function matchComponent(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false
  let source = '^'
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? ''
    if (char === '*') source += '.*'
    else if (char === '?') source += '.'
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2)
      if (close === -1) {
        source += '\\['
        continue
      }
      let body = pattern.slice(index + 1, close)
      const negate = body.startsWith('!') || body.startsWith('^')
      if (negate) body = body.slice(1)
      source += `[${negate ? '^' : ''}${body.replaceAll('\\', '\\\\').replaceAll(']', '\\]')}]`
      index = close
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  try {
    return new RegExp(`${source}$`, 's').test(name)
  } catch {
    return pattern === name
  }
}

/**
 * Expands an absolute glob pattern against a FileView as glob(3) does: wildcards in any component,
 * results sorted byte-wise. A pattern without wildcards is returned as is when the file exists.
 */
export function expandGlob(view: FileView, pattern: string): string[] {
  const parts = pattern.split('/').filter((part) => part !== '')
  let current = ['']
  for (const part of parts) {
    const next: string[] = []
    for (const base of current) {
      if (!hasMagic(part)) {
        next.push(`${base}/${part}`)
        continue
      }
      const names = view.list(base === '' ? '/' : base) ?? []
      for (const name of names.filter((candidate) => matchComponent(part, candidate)).sort(byteCompare)) {
        next.push(`${base}/${name}`)
      }
    }
    current = next
  }
  return current.filter((path) => view.lstat(path) !== undefined).sort(byteCompare)
}

/** Files in a directory whose names match a suffix, in byte order (for `rules.d/*.rules`, `profile.d/*.sh`). */
export function listSorted(view: FileView, dir: string, suffix: string): string[] {
  return (view.list(dir) ?? [])
    .filter((name) => name.endsWith(suffix) && !name.startsWith('.'))
    .sort(byteCompare)
    .map((name) => `${dir}/${name}`)
}
