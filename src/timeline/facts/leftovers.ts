import {parse as parseYaml} from 'yaml'

import type {Facts} from './schema.js'
import {FACTS_TEMPLATE} from './template.js'

/** Fields whose template value is an example that must never reach a letter unchanged. */
const EXAMPLE_FIELDS = [
  ['id'],
  ['entity', 'name'],
  ['entity', 'phone'],
  ['entity', 'email'],
  ['entity', 'website'],
  ['entity', 'address'],
  ['contact', 'name'],
  ['breach', 'description'],
  ['mitigation'],
] as const

function at(value: unknown, path: readonly string[]): unknown {
  let node = value
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
  return node
}

let template: unknown

/** The fields of `facts` that still hold the `timeline init` template's example value (e.g. `entity.name: Example Clinic`). */
export function templateLeftovers(facts: Facts): string[] {
  template ??= parseYaml(FACTS_TEMPLATE, {schema: 'core'})
  return EXAMPLE_FIELDS.filter((path) => {
    const mine = at(facts, path)
    return typeof mine === 'string' && mine === at(template, path)
  }).map((path) => `${path.join('.')}: ${String(at(facts, path))}`)
}

/** The warning for leftovers, or undefined when there are none. */
export function leftoversWarning(facts: Facts): string | undefined {
  const left = templateLeftovers(facts)
  if (left.length === 0) return undefined
  return `The facts still hold example values from the \`timeline init\` template (${left.join('; ')}). Replace them with the incident's real values: the letters would otherwise name the example clinic and its example phone number.`
}
