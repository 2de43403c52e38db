import {createHash} from 'node:crypto'
import {readdir, readFile, rename, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {utcStamp} from '../../bundle/naming.js'
import {errnoCode, errorMessage, HipaaIrError, OutputError, UsageError} from '../../core/errors.js'
import {checkOutputFolder, createEvidenceDir, ensureEvidenceDir, prepareOutputFolder, replaceEvidenceFile} from '../../io/evidence-fs.js'
import type {RenderedLetter, TemplateSources} from '../letters/render.js'

/** src/templates/letters, found from both src/ (tests) and dist/ (the built CLI): three levels up is the package root. */
export const LETTER_TEMPLATE_DIR = fileURLToPath(new URL('../../../src/templates/letters/', import.meta.url))

/** Where drafts that the current facts no longer call for are moved (never deleted). */
export const NO_LONGER_OWED_DIR = 'no-longer-owed'

/** What the last run wrote into the folder, with each file's SHA-256, so a re-run can tell drafts (and edits) apart. */
const INDEX_FILE = '.hipaa-ir-letters.json'

const DRAFT_EXTENSIONS = ['md', 'html', 'docx'] as const

export async function readLetterTemplates(dir = LETTER_TEMPLATE_DIR): Promise<TemplateSources> {
  const sources: Record<string, string> = {}
  for (const file of await readdir(dir)) {
    if (file.endsWith('.hbs')) sources[file.slice(0, -4)] = await readFile(join(dir, file), 'utf8')
  }
  return sources
}

/** What a --letters run will do to the folder, decided before anything is written. */
export interface LetterFolderPlan {
  dir: string
  /** Files of the folder that the new drafts would replace (moved to previous-STAMP/ with --force). */
  replaced: string[]
  /** Drafts of an earlier run that the current facts no longer call for (moved to no-longer-owed/). */
  stale: string[]
  /** The replaced files changed since hipaa-ir wrote them (hand edits). */
  edited: string[]
}

export interface LettersWritten {
  paths: string[]
  /** The folder holding the drafts this run replaced (with --force), or null. */
  previous: string | null
  /** Where each draft no longer owed went. */
  no_longer_owed: string[]
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

async function readIndex(dir: string): Promise<Record<string, string>> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, INDEX_FILE), 'utf8')) as {files?: Record<string, string>}
    return parsed.files !== undefined && typeof parsed.files === 'object' ? parsed.files : {}
  } catch {
    return {}
  }
}

/** Regular files at the top of the folder (subfolders such as previous-…/ are left alone); none when it does not exist yet. */
async function topLevelFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, {withFileTypes: true})).filter((e) => e.isFile() && e.name !== INDEX_FILE).map((e) => e.name)
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return []
    throw new OutputError(`could not write the letter drafts to --letters ${dir}: ${errorMessage(error)}`, {cause: error, code: 'E_OUTPUT', suggestions: ['Choose a --letters folder you can write to.']})
  }
}

/** `a.md, a.html, a.docx, b.md` → `a.{md,html,docx}, b.md`: short enough to read in a terminal. */
export function groupDraftNames(files: readonly string[]): string {
  const byBase = new Map<string, string[]>()
  for (const file of files) {
    const dot = file.lastIndexOf('.')
    const base = dot > 0 ? file.slice(0, dot) : file
    byBase.set(base, [...(byBase.get(base) ?? []), dot > 0 ? file.slice(dot + 1) : ''])
  }
  return [...byBase].map(([base, exts]) => (exts.length === 1 ? `${base}${exts[0] === '' ? '' : `.${exts[0]}`}` : `${base}.{${exts.join(',')}}`)).join(', ')
}

/**
 * Looks at the folder before anything is written. A draft of an earlier run is a file named in the
 * folder's index, or one of a NAME.md/.html/.docx triple. Without `force`, replacing any file is
 * refused (exit 2), naming the files and the hand-edited ones: drafts are where counsel edits.
 */
export async function planLetterFolder(dir: string, letters: readonly RenderedLetter[], force: boolean): Promise<LetterFolderPlan> {
  await checkOutputFolder(dir, {label: '--letters'})
  const files = await topLevelFiles(dir)
  const index = await readIndex(dir)
  const present = new Set(files)
  const next = new Set(letters.flatMap((l) => DRAFT_EXTENSIONS.map((ext) => `${l.name}.${ext}`)))
  const isDraft = (file: string): boolean => {
    if (index[file] !== undefined) return true
    const match = /^(.+)\.(md|html|docx)$/.exec(file)
    return match !== null && DRAFT_EXTENSIONS.every((ext) => present.has(`${match[1]}.${ext}`))
  }
  const replaced = files.filter((f) => next.has(f)).sort()
  const stale = files.filter((f) => !next.has(f) && isDraft(f)).sort()
  const edited: string[] = []
  for (const file of replaced) {
    const known = index[file]
    if (known === undefined || known !== sha256(await readFile(join(dir, file)))) edited.push(file)
  }
  if (replaced.length > 0 && !force) {
    const hand = edited.length === 0 ? '' : ` Changed since hipaa-ir wrote them (or not written by it): ${groupDraftNames(edited)}.`
    throw new UsageError(`--letters ${dir} already holds drafts that this run would replace: ${groupDraftNames(replaced)}.${hand} Nothing was written.`, {
      code: 'E_LETTERS_EXIST',
      suggestions: [`Add --force to keep the current drafts in ${join(dir, 'previous-YYYYMMDDTHHMMSSZ')}/ and write new ones beside them, or give a new --letters folder.`],
    })
  }
  return {dir, edited, replaced, stale}
}

/** A new private folder `base`, `base-2`, …: never one that exists (two runs in the same second). */
async function freshDir(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const path = n === 1 ? base : `${base}-${n}`
    try {
      await createEvidenceDir(path)
      return path
    } catch (error) {
      if (!(error instanceof HipaaIrError && error.code === 'E_OUTPUT_EXISTS')) throw error
    }
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false)
}

/**
 * Writes NAME.md, NAME.html and NAME.docx for each letter (files 0600, folders 0700). Nothing is
 * deleted: drafts this run replaces go to previous-STAMP/ (the plan only allows that with --force),
 * drafts no longer owed go to no-longer-owed/. A failure names the folder and what to do.
 */
export async function writeLetters(plan: LetterFolderPlan, letters: readonly RenderedLetter[], now = new Date()): Promise<LettersWritten> {
  const {dir} = plan
  const paths: string[] = []
  const stamp = utcStamp(now)
  let previous: string | null = null
  const noLongerOwed: string[] = []
  try {
    await prepareOutputFolder(dir, {label: '--letters'})
    if (plan.replaced.length > 0) {
      previous = await freshDir(join(dir, `previous-${stamp}`))
      for (const file of plan.replaced) await rename(join(dir, file), join(previous, file))
    }
    if (plan.stale.length > 0) {
      const aside = join(dir, NO_LONGER_OWED_DIR)
      await ensureEvidenceDir(aside)
      for (const file of plan.stale) {
        let target = join(aside, file)
        if (await exists(target)) target = join(aside, `${stamp}-${file}`)
        await rename(join(dir, file), target)
        noLongerOwed.push(target)
      }
    }
    const index: Record<string, string> = {}
    for (const letter of letters) {
      for (const [ext, body] of [['md', letter.markdown], ['html', letter.html], ['docx', letter.docx]] as const) {
        const path = join(dir, `${letter.name}.${ext}`)
        await replaceEvidenceFile(path, body)
        index[`${letter.name}.${ext}`] = sha256(body)
        paths.push(path)
      }
    }
    await replaceEvidenceFile(join(dir, INDEX_FILE), `${JSON.stringify({written_at: now.toISOString(), files: index}, null, 2)}\n`)
  } catch (error) {
    throw new OutputError(`could not write the letter drafts to --letters ${dir}: ${errorMessage(error)}`, {cause: error, code: 'E_OUTPUT', suggestions: ['Choose a --letters folder you can write to.']})
  }
  return {no_longer_owed: noLongerOwed, paths, previous}
}
