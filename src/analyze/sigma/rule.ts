/**
 * One Sigma rule file's text to a compiled rule, or to the reason it is skipped: not YAML, not a
 * rule (no title, logsource or detection), a correlation or filter document, a deprecated rule, a
 * logsource hipaa-ir does not collect, or a detection outside the supported subset (compile.ts).
 */
import {parseAllDocuments} from 'yaml'
import {z} from 'zod'

import type {Severity} from '../finding.js'
import {compileDetection, type DocTest} from './compile.js'
import {targetOf, type SigmaTarget} from './logsource.js'
import {UnsupportedFeature} from './value.js'


export interface SigmaRule {
  readonly id: string
  readonly title: string
  readonly severity: Severity
  /** The file, relative to the folder it was loaded from. */
  readonly file: string
  /** The Detection Rule License asks that author and references stay with a match. */
  readonly author: string | null
  readonly references: readonly string[]
  readonly status: string | null
  readonly target: SigmaTarget
  readonly test: DocTest
}

export interface SkippedRule {
  readonly file: string
  readonly id: string | null
  readonly title: string | null
  readonly reason: string
}

const LEVELS: Readonly<Record<string, Severity>> = {critical: 'critical', high: 'high', informational: 'info', low: 'low', medium: 'medium'}

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === 'string' ? [v] : v))

const ruleSchema = z.object({
  author: z.string().optional(),
  detection: z.record(z.string(), z.unknown()),
  id: z.string().min(1).optional(),
  level: z.string().optional(),
  logsource: z.object({
    category: z.string().optional(),
    product: z.string().optional(),
    service: z.string().optional(),
  }).loose(),
  references: stringList.optional(),
  status: z.string().optional(),
  title: z.string().min(1),
}).loose()

function describe(error: z.ZodError): string {
  const issue = error.issues[0]
  if (issue === undefined) return 'not a Sigma rule'
  const path = issue.path.map(String).join('.')
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message)
  return `not a Sigma rule: ${path === '' ? 'the document' : `'${path}'`} ${missing ? 'is missing' : issue.message.toLowerCase()}`
}

/** Parses and compiles one rule file's text; `file` names it in the result. */
export function parseSigmaRule(text: string, file: string): {rule: SigmaRule} | {skipped: SkippedRule} {
  const skip = (reason: string, id: string | null = null, title: string | null = null) => ({skipped: {file, id, reason, title}})
  const docs = parseAllDocuments(text, {schema: 'core'})
  if (!Array.isArray(docs)) return skip('the file is empty')
  const first = docs[0]
  if (first === undefined) return skip('the file is empty')
  const error = docs.flatMap((d) => d.errors)[0]
  if (error !== undefined) return skip(`not valid YAML: ${error.message.split('\n')[0] ?? 'error'}`)
  if (docs.length > 1) return skip('a rule collection (several YAML documents, action: global): outside the supported subset')
  let data: unknown
  try {
    data = first.toJS({maxAliasCount: 50})
  } catch (cause) {
    return skip(`not valid YAML: ${(cause as Error).message}`)
  }
  const meta = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}
  const id = typeof meta.id === 'string' ? meta.id : null
  const title = typeof meta.title === 'string' ? meta.title : null
  if ('correlation' in meta) return skip('a correlation rule (it aggregates other rules\' matches): outside the supported subset', id, title)
  if ('filter' in meta && !('detection' in meta)) return skip('a Sigma filter (it amends other rules): outside the supported subset', id, title)
  const parsed = ruleSchema.safeParse(data)
  if (!parsed.success) return skip(describe(parsed.error), id, title)
  const rule = parsed.data
  if (rule.status === 'deprecated' || rule.status === 'unsupported') return skip(`status ${rule.status}: the Sigma project marks it as not to be used`, id, title)
  const severity = rule.level === undefined ? 'medium' : LEVELS[rule.level.toLowerCase()]
  if (severity === undefined) return skip(`level '${rule.level}' is not a Sigma level (informational, low, medium, high, critical)`, id, title)
  try {
    const target = targetOf(rule.logsource)
    const test = compileDetection(rule.detection, {fields: target.kind === 'audit'})
    return {
      rule: {
        author: rule.author ?? null, file, id: rule.id ?? file, references: rule.references ?? [], severity,
        status: rule.status ?? null, target, test, title: rule.title,
      },
    }
  } catch (cause) {
    if (cause instanceof UnsupportedFeature) return skip(cause.message, id, title)
    throw cause
  }
}
