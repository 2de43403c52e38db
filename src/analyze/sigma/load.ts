/**
 * `--sigma DIR`: every `*.yml` / `*.yaml` below DIR (recursively, in name order) parsed and compiled
 * (rule.ts). A file that is not a usable rule is listed with the reason, never dropped in silence; a
 * DIR that is not a readable folder is a usage error (exit 2).
 */
import {readdir, readFile, stat} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'

import {errnoCode, UsageError} from '../../core/errors.js'
import {parseSigmaRule, type SigmaRule, type SkippedRule} from './rule.js'

export interface LoadedSigma {
  readonly rules: SigmaRule[]
  readonly skipped: SkippedRule[]
}

/** A rule file larger than this is skipped (the community's largest is a few kilobytes). */
export const MAX_RULE_BYTES = 1024 * 1024

async function ruleFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (at: string): Promise<void> => {
    const entries = await readdir(at, {withFileTypes: true})
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(at, entry.name)
      if (entry.isDirectory()) await walk(path)
      else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) found.push(path)
    }
  }
  await walk(dir)
  return found
}

/** Loads the Sigma rules below `dir`; rules whose id was already loaded (here or in `known`) are skipped. */
export async function loadSigmaDir(dir: string, known: ReadonlySet<string> = new Set()): Promise<LoadedSigma> {
  const usage = (why: string) => new UsageError(`--sigma ${dir}: ${why}`, {code: 'E_SIGMA', suggestions: ['Give --sigma a folder of Sigma rules (*.yml), such as rules/linux of the SigmaHQ repository.']})
  try {
    if (!(await stat(dir)).isDirectory()) throw usage('not a folder')
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw usage(errnoCode(error) === 'ENOENT' ? 'no such folder' : `cannot be read (${errnoCode(error) ?? 'error'})`)
  }
  let files: string[]
  try {
    files = await ruleFiles(dir)
  } catch (error) {
    throw usage(`cannot be read (${errnoCode(error) ?? 'error'})`)
  }
  const rules: SigmaRule[] = []
  const skipped: SkippedRule[] = []
  const seen = new Map<string, string>()
  for (const path of files) {
    const file = relative(dir, path).split(sep).join('/')
    let text: string
    try {
      if ((await stat(path)).size > MAX_RULE_BYTES) {
        skipped.push({file, id: null, reason: `larger than ${MAX_RULE_BYTES} bytes`, title: null})
        continue
      }
      text = await readFile(path, 'utf8')
    } catch (error) {
      skipped.push({file, id: null, reason: `cannot be read (${errnoCode(error) ?? 'error'})`, title: null})
      continue
    }
    const result = parseSigmaRule(text, file)
    if ('skipped' in result) {
      skipped.push(result.skipped)
      continue
    }
    const {rule} = result
    const earlier = seen.get(rule.id) ?? (known.has(rule.id) ? 'another --sigma folder' : undefined)
    if (earlier !== undefined) {
      skipped.push({file, id: rule.id, reason: `id ${rule.id} was already loaded from ${earlier}`, title: rule.title})
      continue
    }
    seen.set(rule.id, file)
    rules.push(rule)
  }
  return {rules, skipped}
}
