import type {z} from 'zod'

import {UsageError} from '../../core/errors.js'
import {exampleFor, KNOWN_TOP_LEVEL} from './examples.js'
import {type Facts, factsSchema} from './schema.js'

/** One problem in a facts file: the field path, what is wrong, and an example of a good value. */
export interface FactsProblem {
  path: string
  problem: string
  example?: string
}

function describe(issue: z.core.$ZodIssue): FactsProblem[] {
  const base = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...base, key]
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
  const result = factsSchema.safeParse(raw, {reportInput: true})
  if (result.success) return result.data
  const problems = result.error.issues.flatMap((issue) => describe(issue))
  throw new UsageError(formatProblems(source, problems), {
    code: 'E_FACTS',
    suggestions: ['Run `hipaa-ir timeline init --out facts.yaml` for a commented template of every field.'],
  })
}
