/**
 * The shape of a collector, as the plan and the engines see it. Every collector, built-in or the
 * user's own, is written as an artifact file (YAML, `artifacts/schema.ts`) and turned into this shape by
 * `artifacts/to-spec.ts`; the engine that runs it is chosen by `engine`, every command is argv.
 */

/** Where in the order of volatility (RFC 3227) a collector runs: lower runs first. */
export type VolatilityRank = number

/** A collector's id: a built-in's (`sessions`, `auth`, …) or a user artifact's. */
export type CollectorId = string

/**
 * How a collector gathers: run its commands, copy files, read log files, search audit logs, walk PHI
 * dirs, judge posture, read the system's accounts, persistence places and shell histories, or walk /proc.
 */
export const ENGINE_KEYS = ['accounts', 'audit-search', 'auth-logs', 'commands', 'files', 'persistence', 'phi-walk', 'posture', 'processes', 'shell-history'] as const
export type EngineKey = (typeof ENGINE_KEYS)[number]

/** Engines that only the built-in collectors may name; a user's artifact runs `commands` or `files`. */
export const USER_ENGINE_KEYS: readonly EngineKey[] = ['commands', 'files']

/** Key into the parser registry (`parsers/index.ts`), `lines` (one row per text line) or `none`; never an import. */
export const PARSER_KEYS = ['audit', 'auth-line', 'ip-route', 'last', 'lines', 'none', 'ss', 'w', 'who'] as const
export type ParserKey = (typeof PARSER_KEYS)[number]

/**
 * One command of a collector. Argv elements may hold `{root}` (the --root path, `` for `/`) or
 * `{since:ausearch-date}` / `{since:ausearch-time}` / `{since:epoch}` tokens, substituted whole by the plan.
 */
export interface CommandSpec {
  /** Short name, also the raw output file: `sessions/who.txt`. */
  readonly name: string
  readonly argv: readonly string[]
  readonly parser: ParserKey
  /** Only meaningful on the running system (who, w, ss, ip): skipped under --root. */
  readonly liveOnly: boolean
  /** A file (system path, may start with `{root}`) that must exist, else the command is skipped with that reason. */
  readonly requiresFile?: string
  /** Where the JSON lines of this command's parsed rows go (several commands may share one file). */
  readonly jsonl?: string
}

/** Files a `files` collector copies: an absolute glob as seen on that system, read below --root. */
export interface FileGlobSpec {
  readonly glob: string
  /** Bytes copied of each matching file at most; the rest is left out and the cut is recorded. */
  readonly maxBytes: number
}

export interface CollectorSpec {
  readonly id: CollectorId
  readonly version: string
  readonly title: string
  /** Why an investigator wants this: shown by `collectors list` and in the README. */
  readonly why: string
  readonly volatility: VolatilityRank
  readonly engine: EngineKey
  readonly parser: ParserKey
  readonly timeoutMs: number
  /** Cap on one command's output (commands engine); 0 where the engine has no such cap. */
  readonly maxOutputBytes: number
  readonly needsRoot: boolean
  readonly liveOnly: boolean
  readonly containsPhi: boolean
  /** Folder inside the bundle. */
  readonly outputDir: string
  readonly commands: readonly CommandSpec[]
  readonly files: readonly FileGlobSpec[]
  /** `built-in`, or the artifact file a user's collector came from (`collect --artifacts DIR`). */
  readonly source: string
}
