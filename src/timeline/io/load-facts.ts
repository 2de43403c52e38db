import {readFile} from 'node:fs/promises'
import {parse as parseYaml} from 'yaml'

import {errnoCode, UsageError} from '../../core/errors.js'
import {type Facts} from '../facts/schema.js'
import {validateFacts} from '../facts/validate.js'
import {cleanText} from '../render/escape.js'

/** Parses facts text (YAML, which includes JSON) and validates it; `source` names the file in messages. */
export function parseFactsText(text: string, source: string): Facts {
  let raw: unknown
  try {
    raw = parseYaml(text, {schema: 'core', uniqueKeys: true})
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new UsageError(`Invalid facts file ${source}: not valid YAML or JSON (${detail})`, {code: 'E_FACTS', suggestions: ['Run `hipaa-ir timeline init --out facts.yaml` for a template.']})
  }
  return validateFacts(withoutControls(raw), source)
}

/** Every string of the document without control or bidi characters: no value can display as something else in any output. */
function withoutControls(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value)
  if (Array.isArray(value)) return value.map((v) => withoutControls(v))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), withoutControls(v)]))
  return value
}

/** Reads and validates a facts file (YAML or JSON). Throws UsageError (exit 2) on any problem. */
export async function loadFactsFile(path: string): Promise<Facts> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const why = errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${errnoCode(error) ?? 'error'})`
    throw new UsageError(`--facts ${path} ${why}`, {code: 'E_FACTS', suggestions: ['Run `hipaa-ir timeline init --out facts.yaml` to write a template.']})
  }
  return parseFactsText(text, path)
}
