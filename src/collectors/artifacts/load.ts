/**
 * Reads artifact files (YAML) and validates them; a bad file is a UsageError (exit 2) that names the
 * file, the line and the field, and says what is wrong.
 */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {isNode, LineCounter, parseDocument} from 'yaml'
import type {z} from 'zod'

import {UsageError} from '../../core/errors.js'
import {type Artifact, artifactSchema} from './schema.js'

export interface LoadedArtifact {
  artifact: Artifact
  /** The file it came from, as given. */
  source: string
}

const MAX_ARTIFACT_BYTES = 256 * 1024

/** Parses one artifact's YAML text; `source` names it in messages. Only the built-in collectors may name an `engine`. */
export function parseArtifactText(text: string, source: string, options: {builtin?: boolean} = {}): Artifact {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, schema: 'core', uniqueKeys: true})
  const lineOf = (offset: number | undefined): string => (offset === undefined ? '' : `:${lines.linePos(offset).line}`)
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    throw new UsageError(`artifact ${source}${lineOf(first?.pos[0])}: not valid YAML (${first?.message.split('\n')[0] ?? 'error'})`, {
      code: 'E_ARTIFACT', suggestions: ['See docs/artifacts.md for the format and an example.'],
    })
  }
  const engine = doc.get('engine', true)
  if (!options.builtin && engine !== undefined) {
    const offset = isNode(engine) ? engine.range?.[0] : undefined
    throw new UsageError(`artifact ${source} is invalid: line${lineOf(offset).replace(':', ' ') || ' ?'}, engine: is for the built-in collectors only; an artifact gathers with commands: or files:`, {
      code: 'E_ARTIFACT', suggestions: ['Remove engine: and declare commands: (argv lists) or files: (globs). See docs/artifacts.md.'],
    })
  }
  const result = artifactSchema.safeParse(doc.toJS({maxAliasCount: 50}))
  if (result.success) return result.data
  const problems = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, doc, lineOf))
  throw new UsageError(`artifact ${source} is invalid: ${problems.join('; ')}`, {
    code: 'E_ARTIFACT', suggestions: ['See docs/artifacts.md for the format and an example.'],
  })
}

function describeIssue(issue: z.core.$ZodIssue, doc: ReturnType<typeof parseDocument>, lineOf: (offset: number | undefined) => string): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  // The deepest node that exists names the line: an unknown field's own value, else the field, else its parent.
  const at = (issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] as string] : issue.path) as Array<number | string>
  let node: unknown
  for (let n = at.length; n >= 0 && !isNode(node); n--) node = doc.getIn(at.slice(0, n), true)
  const offset = isNode(node) ? node.range?.[0] : undefined
  let message = issue.message
  if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
  else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'is required'
  return `line${lineOf(offset).slice(1) === '' ? ' ?' : ` ${lineOf(offset).slice(1)}`}, ${path === '' ? 'the file' : path}: ${message}`
}

/** Every `*.yaml` / `*.yml` in DIR, sorted by name; the ids must be unique across `known` and the new ones. */
export async function loadArtifactDir(dir: string, known: ReadonlySet<string> = new Set()): Promise<LoadedArtifact[]> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()
  } catch (error) {
    throw new UsageError(`--artifacts ${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {code: 'E_ARTIFACT'})
  }
  if (names.length === 0) throw new UsageError(`--artifacts ${dir} holds no *.yaml files`, {code: 'E_ARTIFACT', suggestions: ['See docs/artifacts.md for an example.']})
  const seen = new Set(known)
  const loaded: LoadedArtifact[] = []
  for (const name of names) {
    const source = join(dir, name)
    const text = await readFile(source, 'utf8')
    if (Buffer.byteLength(text) > MAX_ARTIFACT_BYTES) throw new UsageError(`artifact ${source} is larger than ${MAX_ARTIFACT_BYTES} bytes`, {code: 'E_ARTIFACT'})
    const artifact = parseArtifactText(text, source)
    if (seen.has(artifact.id)) throw new UsageError(`artifact ${source}: id ${artifact.id} is already taken by another collector`, {code: 'E_ARTIFACT', suggestions: ['Give the artifact an id of its own.']})
    seen.add(artifact.id)
    loaded.push({artifact, source})
  }
  return loaded
}
