/**
 * The artifact format (CONTRACT.md, "Artifacts defined by users"): one YAML file per collector, for
 * the built-in collectors and for the user's own (`collect --artifacts DIR`). Validated with zod;
 * `load.ts` turns a failure into "file, line, field, what is wrong".
 */
import {z} from 'zod'

import {ENGINE_KEYS, PARSER_KEYS} from '../spec.js'

/** `30s`, `5m`, `1h`, `7d` or a bare number of seconds, as milliseconds. */
export function parseDuration(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : null
  const match = /^(\d{1,6})(ms|s|m|h|d)?$/.exec(value.trim())
  if (match === null) return null
  const n = Number(match[1])
  const unit = match[2] ?? 's'
  const ms = unit === 'ms' ? n : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : unit === 'h' ? n * 3_600_000 : n * 86_400_000
  return ms > 0 ? ms : null
}

/** `16MiB`, `512KiB`, `1GiB`, `100MB` or a bare number of bytes. */
export function parseSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null
  const match = /^(\d{1,12})\s*(B|KiB|MiB|GiB|KB|MB|GB)?$/.exec(value.trim())
  if (match === null) return null
  const factors: Record<string, number> = {B: 1, GB: 1e9, GiB: 2 ** 30, KB: 1e3, KiB: 2 ** 10, MB: 1e6, MiB: 2 ** 20}
  const bytes = Number(match[1]) * (factors[match[2] ?? 'B'] as number)
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null
}

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value)
  if (ms === null) {
    ctx.addIssue({code: 'custom', message: `must be a duration such as 30s, 5m or a number of seconds (got ${JSON.stringify(value)})`})
    return z.NEVER
  }
  return ms
})

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseSize(value)
  if (bytes === null) {
    ctx.addIssue({code: 'custom', message: `must be a size such as 16MiB or a number of bytes (got ${JSON.stringify(value)})`})
    return z.NEVER
  }
  return bytes
})

/** Ids, command names: what can safely become a folder or file name in the bundle. */
const name = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit')

/** Argv elements; a plain number (`tail -n 100`) is taken as its text. */
const argv = z.array(z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).refine((s) => !s.includes('\0'), 'must not contain NUL'))).min(1, 'must name the program and its arguments')

export const commandSchema = z.strictObject({
  name,
  argv,
  /** Only meaningful on the running system: skipped under --root. */
  live_only: z.boolean().default(false),
  /** A file (path as seen on the system, `{root}` allowed) that must exist, else the command is skipped. */
  requires_file: z.string().optional(),
  parser: z.enum(PARSER_KEYS).optional(),
  /** The JSON-lines file of the parsed rows, in the collector's folder (default: `ID.jsonl`). */
  jsonl: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,58}\.jsonl$/, 'must be a file name ending in .jsonl (a-z, 0-9, ".", "_", "-")').optional(),
})

export const fileSchema = z.strictObject({
  /** An absolute glob as seen on the system: `/var/log/ehr/access*.log`. */
  glob: z.string().regex(/^\//, 'must be an absolute path as seen on that system (it is read below --root)')
    .refine((g) => !g.split('/').includes('..'), 'must not contain ".."'),
  max_bytes: size.optional(),
})

export const artifactSchema = z.strictObject({
  id: name,
  version: z.union([z.string(), z.number()]).transform(String),
  title: z.string().min(1),
  why: z.string().min(1),
  /** Order of volatility (RFC 3227): lower runs first. Built-ins use 10 (sessions) … 90 (posture). */
  volatility: z.number().int().min(0).max(1000),
  needs_root: z.boolean(),
  contains_phi: z.boolean(),
  timeout: duration,
  /** Cap on each command's output, or on each copied file; required with commands: or files:. */
  max_bytes: size.optional(),
  /** A built-in parser for the output (`who`, `ss`, …) or `lines` (one JSON line per text line). */
  parser: z.enum(PARSER_KEYS).optional(),
  live_only: z.boolean().default(false),
  commands: z.array(commandSchema).min(1).optional(),
  files: z.array(fileSchema).min(1).optional(),
  /** Built-in collectors only: the engine that runs them (`commands`, `auth-logs`, `audit-search`, `phi-walk`, `posture`, …). */
  engine: z.enum(ENGINE_KEYS).optional(),
}).superRefine((artifact, ctx) => {
  const kinds = [artifact.commands, artifact.files, artifact.engine].filter((k) => k !== undefined).length
  if (kinds === 0) ctx.addIssue({code: 'custom', message: 'needs either commands: or files:', path: []})
  if ((artifact.commands !== undefined || artifact.files !== undefined) && artifact.max_bytes === undefined && artifact.engine === undefined) {
    ctx.addIssue({code: 'custom', message: 'is required (a size such as 16MiB): the cap on each command\'s output or copied file', path: ['max_bytes']})
  }
  if (artifact.commands !== undefined && artifact.files !== undefined) ctx.addIssue({code: 'custom', message: 'has both commands: and files:; an artifact takes one of them', path: ['files']})
})

export type ArtifactInput = z.input<typeof artifactSchema>
export type Artifact = z.output<typeof artifactSchema>
