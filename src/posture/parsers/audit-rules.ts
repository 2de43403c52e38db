import type {LineEvidence} from '../types.js'
import {numberedLines} from './lines.js'

/** A file watch, whether written `-w PATH -p PERMS` or `-a always,exit -F dir=PATH -F perm=PERMS`. */
export interface AuditWatch {
  evidence: LineEvidence
  key?: string
  path: string
  /** Subset of `rwxa`; a `-w` without `-p` watches all four. */
  perms: string
  /** `dir=` rules and `-w` on a directory cover the whole subtree. */
  recursive: boolean
}

export interface AuditRules {
  /** Watches removed with `-W` after they were added are dropped. */
  watches: AuditWatch[]
  /** Count of rule lines (anything that is not blank or a comment). */
  ruleCount: number
}

function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '')
  return trimmed === '' ? '/' : trimmed
}

function words(text: string): string[] {
  return text.trim().split(/\s+/).filter((word) => word !== '')
}

/** Parses one rule (auditctl syntax) into a watch, or undefined for any other rule. */
export function parseWatch(text: string, evidence: LineEvidence): {remove: boolean; watch: AuditWatch} | undefined {
  const tokens = words(text)
  if (tokens[0] === '-w' || tokens[0] === '-W') {
    const path = tokens[1]
    if (path === undefined) return undefined
    let perms = 'rwxa'
    let key: string | undefined
    for (let index = 2; index < tokens.length; index++) {
      if (tokens[index] === '-p') perms = tokens[index + 1] ?? perms
      if (tokens[index] === '-k') key = tokens[index + 1]
    }
    return {remove: tokens[0] === '-W', watch: {evidence, ...(key === undefined ? {} : {key}), path: normalizePath(path), perms, recursive: true}}
  }
  if (tokens[0] !== '-a' && tokens[0] !== '-A') return undefined
  const list = tokens[1] ?? ''
  if (!/\balways\b/.test(list) || !/\bexit\b/.test(list)) return undefined
  let path: string | undefined
  let recursive = false
  let perms = ''
  let key: string | undefined
  for (let index = 2; index < tokens.length; index++) {
    const token = tokens[index]
    if (token === '-k') key = tokens[index + 1]
    if (token !== '-F') continue
    const field = tokens[index + 1] ?? ''
    const match = /^(\w+)(=|!=)(.*)$/.exec(field)
    if (match === null || match[2] !== '=') continue
    const [, name, , value = ''] = match
    if (name === 'dir') [path, recursive] = [value, true]
    else if (name === 'path') path = value
    else if (name === 'perm') perms = value
    else if (name === 'key') key = value
  }
  if (path === undefined || perms === '') return undefined
  return {remove: false, watch: {evidence, ...(key === undefined ? {} : {key}), path: normalizePath(path), perms, recursive}}
}

/**
 * Reads rule files in the given order (augenrules: `rules.d/*.rules` in natural sort order), or the
 * output of `auditctl -l` (same syntax). `#` lines and blank lines are comments.
 */
export function parseAuditRules(files: Array<{path: string; text: string}>): AuditRules {
  const rules: AuditRules = {ruleCount: 0, watches: []}
  for (const file of files) {
    for (const {line, text} of numberedLines(file.text)) {
      const body = text.trim()
      if (body === '' || body.startsWith('#')) continue
      rules.ruleCount++
      const parsed = parseWatch(body, {file: file.path, line, text: body})
      if (parsed === undefined) continue
      if (parsed.remove) rules.watches = rules.watches.filter((watch) => watch.path !== parsed.watch.path)
      else rules.watches.push(parsed.watch)
    }
  }
  return rules
}

/** Does `watch` cover `target` (the path itself, or a directory above it) with every permission in `need`? */
export function watchCovers(watch: AuditWatch, target: string, need: string): boolean {
  const path = normalizePath(target)
  const covers = watch.path === path || (watch.recursive && (watch.path === '/' || path.startsWith(`${watch.path}/`)))
  return covers && [...need].every((perm) => watch.perms.includes(perm))
}

/** `ls -v` natural order, which augenrules uses for rules.d. */
export function naturalCompare(a: string, b: string): number {
  const split = (value: string): Array<number | string> => value.split(/(\d+)/).map((part, index) => (index % 2 === 1 ? Number(part) : part))
  const left = split(a)
  const right = split(b)
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const x = left[index]
    const y = right[index]
    if (x === undefined) return -1
    if (y === undefined) return 1
    if (x === y) continue
    if (typeof x === 'number' && typeof y === 'number') return x - y
    return String(x) < String(y) ? -1 : 1
  }
  return 0
}
