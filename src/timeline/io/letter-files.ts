import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {errorMessage, OutputError} from '../../core/errors.js'
import {prepareOutputFolder, writeEvidenceFile} from '../../io/evidence-fs.js'
import type {RenderedLetter, TemplateSources} from '../letters/render.js'

/** src/templates/letters, found from both src/ (tests) and dist/ (the built CLI): three levels up is the package root. */
export const LETTER_TEMPLATE_DIR = fileURLToPath(new URL('../../../src/templates/letters/', import.meta.url))

export async function readLetterTemplates(dir = LETTER_TEMPLATE_DIR): Promise<TemplateSources> {
  const sources: Record<string, string> = {}
  for (const file of await readdir(dir)) {
    if (file.endsWith('.hbs')) sources[file.slice(0, -4)] = await readFile(join(dir, file), 'utf8')
  }
  return sources
}

/**
 * Writes NAME.md, NAME.html and NAME.docx for each letter (files 0600, folder 0700, also when they
 * already existed); returns the paths. A failure names the folder and what to do.
 */
export async function writeLetters(dir: string, letters: RenderedLetter[]): Promise<string[]> {
  const paths: string[] = []
  try {
    await prepareOutputFolder(dir, {label: '--letters'})
    for (const letter of letters) {
      for (const [ext, body] of [['md', letter.markdown], ['html', letter.html], ['docx', letter.docx]] as const) {
        const path = join(dir, `${letter.name}.${ext}`)
        await writeEvidenceFile(path, body)
        paths.push(path)
      }
    }
  } catch (error) {
    throw new OutputError(`could not write the letter drafts to --letters ${dir}: ${errorMessage(error)}`, {cause: error, code: 'E_OUTPUT', suggestions: ['Choose a --letters folder you can write to.']})
  }
  return paths
}
