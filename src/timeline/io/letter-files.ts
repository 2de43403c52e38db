import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

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

/** Writes NAME.md, NAME.html and NAME.docx for each letter (files 0600, folder 0700); returns the paths. */
export async function writeLetters(dir: string, letters: RenderedLetter[]): Promise<string[]> {
  await mkdir(dir, {recursive: true, mode: 0o700})
  const paths: string[] = []
  for (const letter of letters) {
    for (const [ext, body] of [['md', letter.markdown], ['html', letter.html], ['docx', letter.docx]] as const) {
      const path = join(dir, `${letter.name}.${ext}`)
      await writeFile(path, body, {mode: 0o600})
      paths.push(path)
    }
  }
  return paths
}
