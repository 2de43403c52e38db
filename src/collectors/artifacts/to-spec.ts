/**
 * An artifact file's content (validated by the schema) as the collector spec the plan and the
 * engines run. Built-in collectors and the user's own go through this one function.
 */
import type {CollectorSpec, EngineKey, ParserKey} from '../spec.js'
import type {Artifact} from './schema.js'

/** `source`: `built-in`, or the file a user's artifact came from. */
export function artifactToSpec(artifact: Artifact, source: string): CollectorSpec {
  const engine: EngineKey = artifact.engine ?? (artifact.files ? 'files' : 'commands')
  const parser: ParserKey = artifact.parser ?? 'none'
  const builtin = source === 'built-in'
  const maxBytes = artifact.max_bytes ?? 0
  return {
    commands: (artifact.commands ?? []).map((command) => {
      const commandParser = command.parser ?? parser
      // A user's parsed rows go to ID.jsonl unless the command names its own file; built-ins say where.
      const jsonl = command.jsonl ?? (builtin || commandParser === 'none' ? undefined : `${artifact.id}.jsonl`)
      return {
        argv: command.argv,
        liveOnly: command.live_only || artifact.live_only,
        name: command.name,
        parser: commandParser,
        ...(command.requires_file ? {requiresFile: command.requires_file} : {}),
        ...(jsonl ? {jsonl} : {}),
      }
    }),
    containsPhi: artifact.contains_phi,
    engine,
    files: (artifact.files ?? []).map((file) => ({glob: file.glob, maxBytes: file.max_bytes ?? maxBytes})),
    id: artifact.id,
    liveOnly: artifact.live_only,
    maxOutputBytes: maxBytes,
    needsRoot: artifact.needs_root,
    outputDir: artifact.id,
    parser,
    source,
    timeoutMs: artifact.timeout,
    title: artifact.title,
    version: artifact.version,
    volatility: artifact.volatility,
    why: artifact.why,
  }
}
