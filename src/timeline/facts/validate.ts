import type {z} from 'zod'

import {closestMatch} from '../../core/closest-match.js'
import {UsageError} from '../../core/errors.js'
import {exampleFor, KNOWN_TOP_LEVEL} from './examples.js'
import {type Facts, factsSchema} from './schema.js'
import {resolveUndecided} from './undecided.js'

/** One problem in a facts file: the field path, what is wrong, and an example of a good value. */
export interface FactsProblem {
  path: string
  problem: string
  example?: string
}

/** Dates in a facts file must fall in these years: a date far outside them is a typo (and would break the calendar arithmetic). */
export const FIRST_YEAR = 1970
export const LAST_YEAR = 2199

/** Every YYYY-MM-DD string in the document whose year is outside FIRST_YEAR..LAST_YEAR. */
function outOfRangeDates(value: unknown, path: string[] = []): FactsProblem[] {
  if (typeof value === 'string') {
    const year = /^(\d{4})-\d{2}-\d{2}$/.exec(value)?.[1]
    if (year === undefined || (Number(year) >= FIRST_YEAR && Number(year) <= LAST_YEAR)) return []
    return [{path: path.join('.') || '(top level)', problem: `${value} is out of range: dates must fall between ${FIRST_YEAR} and ${LAST_YEAR} (a typo in the year?)`, example: exampleFor(path)}]
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => outOfRangeDates(v, [...path, String(i)]))
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => outOfRangeDates(v, [...path, k]))
  return []
}

function describe(issue: z.core.$ZodIssue): FactsProblem[] {
  const base = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...base, key]
      const guess = base.length === 0 ? closestMatch(key, KNOWN_TOP_LEVEL) : undefined
      if (guess !== undefined) return {path: path.join('.'), problem: `is not a known field; did you mean \`${guess}\`?`, example: exampleFor([guess])}
      const known = base.length === 0 ? `; known fields: ${KNOWN_TOP_LEVEL.join(', ')}` : ''
      return {path: path.join('.'), problem: `is not a known field (check the spelling${known})`, example: exampleFor(base)}
    })
  }
  if (issue.code === 'invalid_key') {
    const key = base.at(-1) ?? ''
    return [{path: base.join('.'), problem: `"${key}" is not a US state or territory code (two capital letters, e.g. CA)`, example: exampleFor(base.slice(0, -1))}]
  }
  const input = (issue as {input?: unknown}).input
  const missing = input === undefined && issue.code === 'invalid_type'
  const shown = input === undefined || typeof input === 'object' ? '' : ` (got ${JSON.stringify(input)})`
  return [{path: base.join('.') || '(top level)', problem: missing ? 'is required' : `${issue.message}${shown}`, example: exampleFor(issue.path)}]
}

export function formatProblems(source: string, problems: FactsProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path}: ${p.problem}${p.example === undefined ? '' : `. Example: ${p.example}`}`)
  return `Invalid facts file ${source}:\n${lines.join('\n')}`
}

/** Validates a parsed facts document; throws UsageError (exit 2) naming every bad field. */
export function validateFacts(raw: unknown, source: string): Facts {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UsageError(`Invalid facts file ${source}: the top level must be a mapping of fields (id, discovered, affected, ...)`, {
      code: 'E_FACTS',
      suggestions: ['Run `hipaa-ir timeline init --out facts.yaml` for a template.'],
    })
  }
  const undecided = resolveUndecided(raw as Record<string, unknown>)
  const ranges = outOfRangeDates(undecided.raw)
  const result = factsSchema.safeParse(undecided.paths.length > 0 ? {...undecided.raw, undecided: undecided.paths} : undecided.raw, {reportInput: true})
  const open = undecided.unresolved.map((path) => ({path, problem: 'is [[DECIDE]] and there is no breach.start to count from provisionally; give breach.start or decide it'}))
  if (result.success && ranges.length === 0 && open.length === 0) return result.data
  const problems = [...open, ...ranges, ...(result.success ? [] : result.error.issues.flatMap((issue) => describe(issue)))]
  // A typo that was matched to a field explains that field's "is required": say it once. The full
  // list of known fields is printed once, however many unknown keys there are.
  const guessed = new Set(problems.flatMap((p) => /did you mean `([^`]+)`/.exec(p.problem)?.[1] ?? []))
  const ranged = new Set(ranges.map((p) => p.path))
  let listed = false
  const shown = problems
    .filter((p) => !(guessed.has(p.path) && p.problem.startsWith('is required')))
    .filter((p, i) => i < ranges.length || !ranged.has(p.path))
    .map((p) => {
      if (!p.problem.includes('; known fields: ')) return p
      if (listed) return {...p, problem: 'is not a known field (check the spelling)'}
      listed = true
      return p
    })
  throw new UsageError(formatProblems(source, shown), {
    code: 'E_FACTS',
    suggestions: [guessed.size > 0 ? 'Correct the spelling of the field named above.' : 'Run `hipaa-ir timeline init --out facts.yaml` for a commented template of every field.'],
  })
}
