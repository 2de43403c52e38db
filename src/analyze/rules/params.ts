/**
 * Rule parameters: each rule declares its own with a default; an override names `RULE.PARAM` (one
 * rule) or `PARAM` (every rule that declares it). Values reach the SQL as typed literals, never as
 * raw text: numbers are checked numbers, text is quoted, durations are intervals.
 */
import {UsageError} from '../../core/errors.js'
import {coerceParam, type ContextParam, type ParamType, type ParamValue, type Rule} from './schema.js'

export type ParamOverrides = Readonly<Record<string, unknown>>

/** `--param name=value` texts to overrides (the value is coerced per the rule's declared type later). */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    if (eq <= 0) throw new UsageError(`--param ${flag}: expected NAME=VALUE (threshold=8, auth.bruteforce-then-success.threshold=8)`, {code: 'E_RULE_PARAM'})
    overrides[flag.slice(0, eq).trim()] = flag.slice(eq + 1)
  }
  return overrides
}

/** Each rule's parameter values: defaults, then bare overrides, then `RULE.PARAM` overrides. Unknown names are exit 2. */
export function resolveParams(rules: readonly Rule[], overrides: ParamOverrides = {}): Map<string, Record<string, ParamValue>> {
  const byRule = new Map<string, Record<string, ParamValue>>()
  for (const rule of rules) byRule.set(rule.id, Object.fromEntries(Object.entries(rule.params).map(([name, p]) => [name, p.default])))
  const apply = (rule: Rule, name: string, key: string, raw: unknown): void => {
    const param = rule.params[name]
    if (param === undefined) return
    const coerced = coerceParam(param.type, raw)
    if ('error' in coerced) throw new UsageError(`parameter ${key} (rule ${rule.id}) ${coerced.error}`, {code: 'E_RULE_PARAM'})
    ;(byRule.get(rule.id) as Record<string, ParamValue>)[name] = coerced.value
  }
  const bare = Object.entries(overrides).filter(([key]) => !key.includes('.'))
  const scoped = Object.entries(overrides).filter(([key]) => key.includes('.'))
  for (const [key, raw] of bare) {
    const users = rules.filter((rule) => key in rule.params)
    if (users.length === 0) throw unknownParam(key, rules)
    for (const rule of users) apply(rule, key, key, raw)
  }
  for (const [key, raw] of scoped) {
    const dot = key.lastIndexOf('.')
    const rule = rules.find((r) => r.id === key.slice(0, dot))
    const name = key.slice(dot + 1)
    if (rule === undefined || !(name in rule.params)) throw unknownParam(key, rules)
    apply(rule, name, key, raw)
  }
  return byRule
}

function unknownParam(key: string, rules: readonly Rule[]): UsageError {
  const known = [...new Set(rules.flatMap((rule) => Object.keys(rule.params)))].sort()
  return new UsageError(`parameter ${key} is not declared by any rule`, {
    code: 'E_RULE_PARAM', suggestions: [`Parameters: ${known.join(', ')} (or RULE.PARAM for one rule). See docs/analyze-rules.md.`],
  })
}

/** A SQL text literal. */
export function sqlText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** A SQL list of text. */
export function sqlTextList(values: readonly string[]): string {
  return values.length === 0 ? '[]::VARCHAR[]' : `[${values.map(sqlText).join(', ')}]::VARCHAR[]`
}

/** A DuckDB literal for a declared parameter's value. */
export function sqlLiteral(type: ParamType, value: ParamValue): string {
  switch (type) {
    case 'integer':
    case 'number':
      return String(value as number)
    case 'duration':
      return `(INTERVAL 1 MILLISECOND * ${Math.round(value as number)})`
    case 'boolean':
      return value === true ? 'TRUE' : 'FALSE'
    case 'strings':
      return sqlTextList(value as string[])
    default:
      return sqlText(value as string)
  }
}

/** The analysis window and the PHI folders, for `{{window_start}}`, `{{window_end}}` and `{{phi_dirs}}`. */
export interface RuleContext {
  windowStart: Date | null
  windowEnd: Date | null
  phiDirs: readonly string[]
}

export function contextLiteral(name: ContextParam, context: RuleContext): string {
  if (name === 'phi_dirs') return sqlTextList(context.phiDirs)
  const at = name === 'window_start' ? context.windowStart : context.windowEnd
  return at === null ? 'CAST(NULL AS TIMESTAMPTZ)' : `CAST(${sqlText(at.toISOString())} AS TIMESTAMPTZ)`
}
