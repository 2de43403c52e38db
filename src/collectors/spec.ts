/**
 * The shape of a collector definition. Definitions are plain data (see `definitions/`); the engine
 * that runs a collector is chosen by `engine`, and every command it runs is declared here as argv.
 */

/** Where in the order of volatility (RFC 3227) a collector runs: lower runs first. */
export type VolatilityRank = number

export type CollectorId = 'audit' | 'auth' | 'network' | 'phi-files' | 'posture' | 'sessions'

/** How a collector gathers: run its declared commands, read log files, search audit logs, walk PHI dirs, judge posture. */
export type EngineKey = 'audit-search' | 'auth-logs' | 'commands' | 'phi-walk' | 'posture'

/** Key into the parser registry (`parsers/index.ts`); never an import. */
export type ParserKey = 'audit' | 'auth-line' | 'ip-route' | 'last' | 'none' | 'ss' | 'w' | 'who'

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
  readonly maxOutputBytes: number
  readonly needsRoot: boolean
  readonly liveOnly: boolean
  readonly containsPhi: boolean
  /** Folder inside the bundle. */
  readonly outputDir: string
  readonly commands: readonly CommandSpec[]
}
