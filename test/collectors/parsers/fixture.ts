import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('../../fixtures/outputs/', import.meta.url))

/** A fixture of test/fixtures/outputs as text (see its README for provenance). */
export function fixture(path: string): string {
  return readFileSync(root + path, 'utf8')
}
