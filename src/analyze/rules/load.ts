/**
 * Reads rule files: the built-in ones in builtin/ beside this module (the build copies them to dist/,
 * as it does the collector definitions) and the user's `--rules DIR`. A bad
 * file is exit 2 naming the file, the line and the field.
 */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {UsageError} from '../../core/errors.js'
import {parseValidatedYaml} from '../../core/yaml-validated.js'
import type {FindingSource} from '../finding.js'
import {compileMatch, matchParams} from './match.js'
import {type Rule, ruleSchema} from './schema.js'

/** A rule ready to run: its query (compiled from `match` when it has one) and where it came from. */
export interface LoadedRule {
  rule: Rule
  query: string
  source: Exclude<FindingSource, 'sigma'>
  /** The file, as given. */
  file: string
}

/** Beside this module: src/analyze/rules/builtin in tests, dist/analyze/rules/builtin (copied by the build) in the CLI. */
export const BUILTIN_RULE_DIR = fileURLToPath(new URL('builtin/', import.meta.url))

const MAX_RULE_BYTES = 256 * 1024

/** Parses one rule file's text; `file` names it in messages. */
export function parseRuleText(text: string, file: string, source: LoadedRule['source'] = 'rules'): LoadedRule {
  const rule = parseValidatedYaml(text, file, ruleSchema, {code: 'E_RULE', docs: 'docs/analyze-rules.md', what: 'rule'})
  if (rule.match !== undefined) {
    const withParams = {...rule, params: {...matchParams(rule.match), ...rule.params}}
    return {file, query: compileMatch({...withParams, match: rule.match}), rule: withParams, source}
  }
  return {file, query: rule.query as string, rule, source}
}

async function loadDir(dir: string, source: LoadedRule['source'], flag: string): Promise<LoadedRule[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()
  } catch (error) {
    throw new UsageError(`${flag} ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {code: 'E_RULE'})
  }
  if (names.length === 0) throw new UsageError(`${flag} ${dir} holds no *.yaml files`, {code: 'E_RULE', suggestions: ['See docs/analyze-rules.md for an example.']})
  const loaded: LoadedRule[] = []
  for (const name of names) {
    const file = join(dir, name)
    const text = await readFile(file, 'utf8')
    if (Buffer.byteLength(text) > MAX_RULE_BYTES) throw new UsageError(`rule ${file} is larger than ${MAX_RULE_BYTES} bytes`, {code: 'E_RULE'})
    loaded.push(parseRuleText(text, file, source))
  }
  return loaded
}

/** The built-in rules, then every `*.yaml` of each user folder; rule ids must be unique. */
export async function loadRules(userRuleDirs: readonly string[] = [], options: {builtin?: boolean} = {}): Promise<LoadedRule[]> {
  const rules = options.builtin === false ? [] : await loadDir(BUILTIN_RULE_DIR, 'builtin', 'built-in rules')
  for (const dir of userRuleDirs) rules.push(...(await loadDir(dir, 'rules', '--rules')))
  const seen = new Map<string, string>()
  for (const {file, rule} of rules) {
    const other = seen.get(rule.id)
    if (other !== undefined) throw new UsageError(`rule ${file}: id ${rule.id} is already taken by ${other}`, {code: 'E_RULE', suggestions: ['Give the rule an id of its own.']})
    seen.set(rule.id, file)
  }
  return rules
}
