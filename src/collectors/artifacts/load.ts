/**
 * Reads artifact files (YAML) and validates them; a bad file is a UsageError (exit 2) that names the
 * file, the line and the field, and says what is wrong.
 */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {isNode} from 'yaml'

import {UsageError} from '../../core/errors.js'
import {parseValidatedYaml} from '../../core/yaml-validated.js'
import {type Artifact, artifactSchema} from './schema.js'

export interface LoadedArtifact {
  artifact: Artifact
  /** The file it came from, as given. */
  source: string
}

const MAX_ARTIFACT_BYTES = 256 * 1024

/** Parses one artifact's YAML text; `source` names it in messages. Only the built-in collectors may name an `engine`. */
export function parseArtifactText(text: string, source: string, options: {builtin?: boolean} = {}): Artifact {
  return parseValidatedYaml(text, source, artifactSchema, {code: 'E_ARTIFACT', docs: 'docs/artifacts.md', what: 'artifact'}, (doc, lineOf) => {
    const engine = doc.get('engine', true)
    if (options.builtin || engine === undefined) return
    const offset = isNode(engine) ? engine.range?.[0] : undefined
    throw new UsageError(`artifact ${source} is invalid: line${lineOf(offset).replace(':', ' ') || ' ?'}, engine: is for the built-in collectors only; an artifact gathers with commands: or files:`, {
      code: 'E_ARTIFACT', suggestions: ['Remove engine: and declare commands: (argv lists) or files: (globs). See docs/artifacts.md.'],
    })
  })
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
