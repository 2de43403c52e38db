import {HipaaIrError, UsageError} from '../../core/errors.js'
import {createEvidenceFile} from '../../io/evidence-fs.js'
import {FACTS_TEMPLATE} from '../facts/template.js'

/** Writes the facts template to `path` (never overwriting), or just returns it when no path is given. */
export async function writeFactsTemplate(path: string | undefined): Promise<{path: string | null; text: string}> {
  if (path === undefined) return {path: null, text: FACTS_TEMPLATE}
  try {
    await createEvidenceFile(path, FACTS_TEMPLATE)
  } catch (error) {
    if (error instanceof HipaaIrError && error.code === 'E_OUTPUT_EXISTS') throw new UsageError(`--out ${path} already exists; choose another name or remove it first`)
    throw error
  }
  return {path, text: FACTS_TEMPLATE}
}
