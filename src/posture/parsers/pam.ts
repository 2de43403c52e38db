import type {FileView, LineEvidence} from '../types.js'
import {numberedLines} from './lines.js'

export type PamType = 'account' | 'auth' | 'password' | 'session'

/** One module line of a resolved stack, with where it came from. */
export interface PamModuleLine extends LineEvidence {
  args: string[]
  control: string
  /** Module file name without directory (`pam_faillock.so`). */
  module: string
  type: PamType
}

export interface PamStack {
  lines: PamModuleLine[]
  /** Files read while resolving the stack. */
  files: string[]
  notes: string[]
}

const TYPES = new Set<string>(['account', 'auth', 'password', 'session'])
const MAX_DEPTH = 16

/** PAM's own tokenizer: whitespace separates, `[...]` (control or argument) may hold spaces. */
export function pamTokens(text: string): string[] {
  const tokens: string[] = []
  let index = 0
  while (index < text.length) {
    while (index < text.length && /\s/.test(text[index] ?? '')) index++
    if (index >= text.length) break
    if (text[index] === '[') {
      const close = text.indexOf(']', index)
      const end = close === -1 ? text.length : close + 1
      tokens.push(text.slice(index, end).replaceAll('\\]', ']'))
      index = end
      continue
    }
    const start = index
    while (index < text.length && !/\s/.test(text[index] ?? '')) index++
    tokens.push(text.slice(start, index))
  }
  return tokens
}

/** Joins `\`-continued lines and drops comments, keeping the number of the first physical line. */
function logicalLines(text: string): Array<{line: number; raw: string; text: string}> {
  const out: Array<{line: number; raw: string; text: string}> = []
  let pending: {line: number; raw: string; text: string} | undefined
  for (const {line, text: physical} of numberedLines(text)) {
    const hash = physical.indexOf('#')
    const body = hash === -1 ? physical : physical.slice(0, hash)
    const continued = body.trimEnd().endsWith('\\')
    const piece = continued ? body.trimEnd().slice(0, -1) : body
    pending = pending === undefined ? {line, raw: physical.trim(), text: piece} : {...pending, raw: `${pending.raw} ${physical.trim()}`, text: `${pending.text} ${piece}`}
    if (!continued) {
      if (pending.text.trim() !== '') out.push(pending)
      pending = undefined
    }
  }
  if (pending !== undefined && pending.text.trim() !== '') out.push(pending)
  return out
}

function serviceFile(name: string): string {
  return name.startsWith('/') ? name : `/etc/pam.d/${name}`
}

/**
 * Resolves a PAM service's stack the way libpam does: `@include FILE` pulls in every line of FILE,
 * `TYPE include FILE` and `TYPE substack FILE` pull in FILE's lines of that TYPE. A leading `-` on
 * the type (ignore a missing module) is accepted. Only lines of `only` are kept when given.
 */
export function resolvePamStack(view: FileView, service: string, only?: PamType): PamStack | undefined {
  const first = serviceFile(service)
  if (view.read(first) === undefined) return undefined
  const stack: PamStack = {files: [], lines: [], notes: []}
  const visit = (path: string, filter: PamType | undefined, depth: number, chain: string[]): void => {
    const file = view.read(path)
    if (file === undefined) {
      stack.notes.push(`${path}: included but not found`)
      return
    }
    if (!stack.files.includes(path)) stack.files.push(path)
    for (const {line, raw, text} of logicalLines(file.text)) {
      const tokens = pamTokens(text)
      const [head, control, module, ...args] = tokens
      if (head === undefined) continue
      if (head === '@include') {
        if (control === undefined) continue
        follow(serviceFile(control), filter, depth, chain, path, line)
        continue
      }
      const type = head.replace(/^-/, '').toLowerCase()
      if (!TYPES.has(type) || control === undefined) continue
      if (filter !== undefined && type !== filter) continue
      if (control === 'include' || control === 'substack') {
        if (module !== undefined) follow(serviceFile(module), type as PamType, depth, chain, path, line)
        continue
      }
      if (module === undefined) continue
      stack.lines.push({args, control, file: path, line, module: module.split('/').pop() ?? module, text: raw, type: type as PamType})
    }
  }
  const follow = (target: string, filter: PamType | undefined, depth: number, chain: string[], from: string, line: number): void => {
    if (depth >= MAX_DEPTH || chain.includes(target)) {
      stack.notes.push(`${from}:${line}: include of ${target} loops or nests too deep; not followed`)
      return
    }
    visit(target, filter, depth + 1, [...chain, target])
  }
  visit(first, only, 0, [first])
  return stack
}

/** `deny=5` → `{deny: '5'}`; flags without `=` map to ''. */
export function pamArgs(args: string[]): Map<string, string> {
  const map = new Map<string, string>()
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq === -1) map.set(arg, '')
    else map.set(arg.slice(0, eq), arg.slice(eq + 1))
  }
  return map
}
