/**
 * The rule format (docs/analyze-rules.md): one YAML file per detection, for the built-in rules and for
 * the user's own (`analyze --rules DIR`). A rule is either a DuckDB `query` over the case database's
 * views or a `match` (field conditions, a group, a threshold and an optional gap) compiled to one.
 * Validated with zod; `load.ts` turns a failure into "file, line, field, what is wrong".
 */
import {z} from 'zod'

import {parseDuration} from '../../collectors/artifacts/schema.js'
import {isValidTimeZone} from '../../collectors/parsers/zoned-time.js'
import {eventColumns} from '../event.js'
import {severities} from '../finding.js'

export const paramTypes = ['integer', 'number', 'duration', 'string', 'strings', 'time', 'timezone', 'boolean'] as const
export type ParamType = (typeof paramTypes)[number]
export type ParamValue = boolean | number | string | string[]

/**
 * A parameter value of `type` from a rule file or an override (`--param name=value` gives text), or
 * an error message. Durations become milliseconds; `strings` takes a list or comma-separated text.
 */
export function coerceParam(type: ParamType, value: unknown): {value: ParamValue} | {error: string} {
  const text = typeof value === 'string' ? value.trim() : undefined
  switch (type) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : text !== undefined && text !== '' ? Number(text) : Number.NaN
      if (!Number.isFinite(n) || n < 0 || (type === 'integer' && !Number.isSafeInteger(n))) return {error: `must be ${type === 'integer' ? 'a whole number' : 'a number'} of 0 or more (got ${JSON.stringify(value)})`}
      return {value: n}
    }
    case 'duration': {
      const ms = typeof value === 'number' || text !== undefined ? parseDuration(value as number | string) : null
      return ms === null ? {error: `must be a duration such as 30s, 10m, 6h or 7d (got ${JSON.stringify(value)})`} : {value: ms}
    }
    case 'string':
      return text === undefined ? {error: `must be text (got ${JSON.stringify(value)})`} : {value: text}
    case 'strings': {
      if (text !== undefined) return {value: text === '' ? [] : text.split(',').map((s) => s.trim()).filter((s) => s !== '')}
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return {value: value as string[]}
      return {error: `must be a list of text (got ${JSON.stringify(value)})`}
    }
    case 'time':
      return text !== undefined && /^(?:[01]\d|2[0-3]):[0-5]\d$/.test(text) ? {value: text} : {error: `must be a clock time HH:MM such as 07:00 (got ${JSON.stringify(value)})`}
    case 'timezone':
      return text !== undefined && isValidTimeZone(text) ? {value: text} : {error: `must be an IANA time zone such as UTC or America/Chicago (got ${JSON.stringify(value)})`}
    case 'boolean':
      if (typeof value === 'boolean') return {value}
      if (text === 'true' || text === 'false') return {value: text === 'true'}
      return {error: `must be true or false (got ${JSON.stringify(value)})`}
  }
}

const paramSchema = z.strictObject({
  type: z.enum(paramTypes),
  default: z.unknown(),
  description: z.string().min(1),
}).transform((param, ctx) => {
  const coerced = coerceParam(param.type, param.default)
  if ('error' in coerced) {
    ctx.addIssue({code: 'custom', message: coerced.error, path: ['default']})
    return z.NEVER
  }
  return {...param, default: coerced.value}
})
export type RuleParam = z.output<typeof paramSchema>

/** Values every query may use without declaring them: the analysis window (TIMESTAMPTZ or NULL) and the PHI folders. */
export const contextParams = ['window_start', 'window_end', 'phi_dirs'] as const
export type ContextParam = (typeof contextParams)[number]

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g

/** The `{{name}}` placeholders of a query, each once. */
export function placeholders(query: string): string[] {
  return [...new Set([...query.matchAll(PLACEHOLDER)].map((m) => m[1] as string))]
}

/** `query` with every `{{name}}` replaced by `literal(name)`. */
export function fillPlaceholders(query: string, literal: (name: string) => string): string {
  return query.replace(PLACEHOLDER, (_, name: string) => literal(name))
}

const PARAM_NAME = /^[a-z][a-z0-9_]{0,40}$/
/** A field a `match` may test: an `events` column, or a field of the original line as `data.NAME`. */
const matchColumns: readonly string[] = eventColumns.filter((c) => c !== 'data' && c !== 'paths')
const matchField = z.string().refine((f) => matchColumns.includes(f) || /^data\.[A-Za-z_][A-Za-z0-9_]{0,60}$/.test(f), {
  message: `must be an events column (${matchColumns.join(', ')}) or data.FIELD`,
})
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()])
const textOrList = z.union([z.string(), z.array(z.string()).min(1)])
const condition = z.union([
  scalar,
  z.array(scalar).min(1),
  z.strictObject({not: z.union([scalar, z.array(scalar).min(1)])}),
  z.strictObject({prefix: textOrList}),
  z.strictObject({contains: textOrList}),
  z.strictObject({regex: z.string().min(1)}),
])
export type MatchCondition = z.output<typeof condition>

const matchSchema = z.strictObject({
  where: z.record(matchField, condition).refine((w) => Object.keys(w).length > 0, {message: 'needs at least one condition'}),
  group_by: z.array(matchField).default(['host']),
  /** A finding needs at least this many events (or distinct `distinct` values) in a group. */
  threshold: z.number().int().min(1).default(1),
  distinct: matchField.optional(),
  /** Split each group into bursts: a pause longer than this starts a new one. */
  gap: z.union([z.string(), z.number()]).refine((g) => parseDuration(g) !== null, {message: 'must be a duration such as 30s, 10m, 6h or 7d'}).optional(),
})
export type RuleMatch = z.output<typeof matchSchema>

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,80}$/, {message: 'must be lower-case letters, digits, dot, dash or underscore (auth.my-rule)'}),
  title: z.string().min(1).max(200),
  severity: z.enum(severities),
  /** Why it matters, for the investigator: `{field}` is filled from the finding (count, user, ip, host, hosts, paths, or a column of the query). */
  reason: z.string().min(1).max(2000),
  /** What the rule looks for and why, for the documentation (optional). */
  description: z.string().optional(),
  /**
   * The rule's findings are attempts that reached nothing (failed logins, say): they are reported, but
   * they do not draw the breach's scope (its window, accounts and PHI files).
   */
  attempt: z.boolean().default(false),
  /** The collectors whose evidence the rule reads (informative: `auth`, `audit`, `phi-files`, …). */
  sources: z.array(z.string()).default([]),
  params: z.record(z.string().regex(PARAM_NAME, {message: 'parameter names are lower_snake_case'}), paramSchema).default({}),
  query: z.string().min(1).optional(),
  match: matchSchema.optional(),
}).superRefine((rule, ctx) => {
  if ((rule.query === undefined) === (rule.match === undefined)) ctx.addIssue({code: 'custom', message: 'give exactly one of query or match', path: [rule.query === undefined ? 'match' : 'query']})
  if (rule.query === undefined) return
  const unknown = placeholders(rule.query).filter((name) => !(name in rule.params) && !contextParams.includes(name as ContextParam))
  if (unknown.length > 0) ctx.addIssue({code: 'custom', message: `uses {{${unknown.join('}}, {{')}}}: declare ${unknown.length > 1 ? 'them' : 'it'} under params (or use one of ${contextParams.join(', ')})`, path: ['query']})
})
export type RuleInput = z.input<typeof ruleSchema>
export type Rule = z.output<typeof ruleSchema>
