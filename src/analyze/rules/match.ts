/**
 * A rule's `match` (field conditions, a group, a threshold, an optional gap) compiled to the same kind
 * of query a SQL rule writes, over the `ev` view. The threshold and the gap become the rule's
 * parameters `threshold` and `gap`, so they can be overridden like any other.
 */
import {parseDuration} from '../../collectors/artifacts/schema.js'
import {sqlText} from './params.js'
import type {MatchCondition, Rule, RuleMatch, RuleParam} from './schema.js'

/** `user` → `e."user"`; `data.invalid_user` → `(e.data->>'invalid_user')` (text). */
function fieldSql(field: string, alias = 'e.'): string {
  return field.startsWith('data.') ? `(${alias}data->>${sqlText(field.slice(5))})` : `${alias}"${field}"`
}

/** A value as the field compares it: columns take typed literals; fields of the original line are text. */
function valueSql(field: string, value: boolean | number | string | null): string {
  if (value === null) return 'NULL'
  if (field.startsWith('data.')) return sqlText(String(value))
  if (typeof value === 'string') return sqlText(value)
  return typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : String(value)
}

function conditionSql(field: string, condition: MatchCondition): string {
  const f = fieldSql(field)
  const one = (v: boolean | number | string | null): string => (v === null ? `${f} IS NULL` : `${f} = ${valueSql(field, v)}`)
  const any = (values: ReadonlyArray<boolean | number | string | null>): string => `(${values.map(one).join(' OR ')})`
  const texts = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v])
  if (Array.isArray(condition)) return any(condition)
  if (condition === null || typeof condition !== 'object') return one(condition)
  if ('not' in condition) return `NOT coalesce(${any(Array.isArray(condition.not) ? condition.not : [condition.not])}, FALSE)`
  if ('prefix' in condition) return `(${texts(condition.prefix).map((p) => `starts_with(CAST(${f} AS VARCHAR), ${sqlText(p)})`).join(' OR ')})`
  if ('contains' in condition) return `(${texts(condition.contains).map((p) => `contains(CAST(${f} AS VARCHAR), ${sqlText(p)})`).join(' OR ')})`
  return `regexp_matches(CAST(${f} AS VARCHAR), ${sqlText(condition.regex)})`
}

/** The parameters a match rule gets from its own `threshold` and `gap`. */
export function matchParams(match: RuleMatch): Record<string, RuleParam> {
  const params: Record<string, RuleParam> = {
    threshold: {type: 'integer', default: match.threshold, description: 'events (or distinct values) a group needs to be a finding'},
  }
  if (match.gap !== undefined) params.gap = {type: 'duration', default: parseDuration(match.gap) as number, description: 'a pause longer than this starts a new burst'}
  return params
}

/** The query of a match rule, with `{{threshold}}` and `{{gap}}` placeholders. */
export function compileMatch(rule: Rule & {match: RuleMatch}): string {
  const {match} = rule
  const group = [...new Set(['host', ...match.group_by])]
  const where = Object.entries(match.where).map(([field, condition]) => conditionSql(field, condition)).join('\n    AND ')
  const keys = group.map((field, i) => `${fieldSql(field)} AS g${i}`).join(', ')
  const groupCols = group.map((_, i) => `g${i}`)
  const burst = match.gap === undefined
    ? '0 AS burst'
    : `sum(CASE WHEN prev IS NULL OR seconds_between(prev, time) > epoch({{gap}}) THEN 1 ELSE 0 END) OVER (PARTITION BY ${groupCols.join(', ')} ORDER BY time ROWS UNBOUNDED PRECEDING) AS burst`
  const counted = match.distinct === undefined ? 'count(DISTINCT evidence)' : `count(DISTINCT ${fieldSql(match.distinct, '')})`
  const pick = (field: 'ip' | 'user'): string => {
    const at = group.indexOf(field)
    return at >= 0 ? `any_value(g${at})` : `CASE WHEN count(DISTINCT "${field}") = 1 THEN min("${field}") END`
  }
  // The other group fields come back as columns of their own (`data.x` as `x`), for the reason and `details`.
  const extra = group.map((field, i) => ['host', 'user', 'ip'].includes(field) ? '' : ` any_value(g${i}) AS "${field.replace(/^data\./, '')}",`).join('')
  return `WITH m AS (
  SELECT e.*, ${keys} FROM ev e
  WHERE ${where}
), p AS (
  SELECT *, lag(time) OVER (PARTITION BY ${groupCols.join(', ')} ORDER BY time) AS prev FROM m
), b AS (
  SELECT *, ${burst} FROM p
)
SELECT any_value(g0) AS host, min(time) AS first, max(time) AS last, ${counted} AS count,
  ${pick('user')} AS "user", ${pick('ip')} AS ip,${extra}
  list(DISTINCT path) FILTER (WHERE path IS NOT NULL) AS paths,
  list(evidence ORDER BY time) AS refs, NOT bool_and(verified) AS unverified
FROM b GROUP BY ${groupCols.join(', ')}, burst
HAVING ${counted} >= {{threshold}}`
}
