/**
 * Reads one YAML document and validates it with a zod schema; a bad document is a UsageError (exit 2)
 * naming the file, the line and the field, and saying what is wrong. Shared by user artifacts
 * (`collect --artifacts`) and user rules (`analyze --rules`).
 */
import {type Document, isNode, LineCounter, parseDocument} from 'yaml'
import type {z} from 'zod'

import {UsageError} from './errors.js'

export interface YamlLabel {
  /** What the file is, first word of every message: `artifact`, `rule`. */
  what: string
  /** The error code: `E_ARTIFACT`, `E_RULE`. */
  code: string
  /** Where the format is documented: `docs/artifacts.md`. */
  docs: string
}

export type LineOf = (offset: number | undefined) => string

/**
 * Parses `text` (named `source` in messages) and validates it with `schema`. `precheck` sees the
 * parsed document before validation (to refuse a field with a message of its own).
 */
export function parseValidatedYaml<S extends z.ZodType>(text: string, source: string, schema: S, label: YamlLabel, precheck?: (doc: Document, lineOf: LineOf) => void): z.output<S> {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, schema: 'core', uniqueKeys: true})
  const lineOf: LineOf = (offset) => (offset === undefined ? '' : `:${lines.linePos(offset).line}`)
  const suggestions = [`See ${label.docs} for the format and an example.`]
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    throw new UsageError(`${label.what} ${source}${lineOf(first?.pos[0])}: not valid YAML (${first?.message.split('\n')[0] ?? 'error'})`, {code: label.code, suggestions})
  }
  precheck?.(doc, lineOf)
  const result = schema.safeParse(doc.toJS({maxAliasCount: 50}))
  if (result.success) return result.data
  const problems = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, doc, lineOf))
  throw new UsageError(`${label.what} ${source} is invalid: ${problems.join('; ')}`, {code: label.code, suggestions})
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lineOf: LineOf): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  // The deepest node that exists names the line: an unknown field's own value, else the field, else its parent.
  const at = (issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path) as Array<number | string>
  let node: unknown
  for (let n = at.length; n >= 0 && !isNode(node); n--) node = doc.getIn(at.slice(0, n), true)
  const offset = isNode(node) ? node.range?.[0] : undefined
  let message = issue.message
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
  else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required'
  return `line${lineOf(offset).slice(1) === '' ? ' ?' : ` ${lineOf(offset).slice(1)}`}, ${path === '' ? 'the file' : path}: ${message}`
}
