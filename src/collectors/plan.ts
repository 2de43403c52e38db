import {collectorDefinitions} from './definitions/index.js'
import type {CollectorId, CollectorSpec, CommandSpec} from './spec.js'

export interface PlanInput {
  /** The system's root as given by --root ('/' for the live system). */
  root: string
  /** --collectors, if given. */
  selected?: readonly string[]
  isRoot: boolean
  since: Date
  /** The user's collectors (`collect --artifacts DIR`), run beside the built-in ones. */
  artifacts?: readonly CollectorSpec[]
}

export interface PlannedCommand {
  name: string
  argv: string[]
  /** On-disk path that must exist for the command to run. */
  requiresFile?: string
  skip?: string
}

export interface PlannedCollector {
  id: CollectorId
  version: string
  title: string
  order: number
  engine: CollectorSpec['engine']
  /** Set when the collector will not run; says why. */
  skip?: string
  /**
   * What kind of skip: `not-selected` (left out by --collectors) and `not-applicable` (live-only
   * under --root) leave a collection complete; `no-source` (the system lacks the evidence source,
   * e.g. no audit.log) makes it `incomplete`.
   */
  skipKind?: SkipKind
  /** The skip in a few words, for the one-line summary ("no audit log"). */
  skipBrief?: string
  /** Log files hipaa-ir reads itself (auth.log and its rotations), as seen on that system. */
  reads?: string[]
  /** The PHI walk, per --phi-dir: the find argv, or null where hipaa-ir's built-in walk would run. */
  walk?: {dir: string; argv: string[] | null}[]
  /** Set when it will run but may see less than everything (e.g. not root). */
  warning?: string
  commands: PlannedCommand[]
  spec: CollectorSpec
}

export type SkipKind = 'no-source' | 'not-applicable' | 'not-selected'

export const ALL_COLLECTOR_IDS: readonly CollectorId[] = collectorDefinitions.map((spec) => spec.id)

export function isLive(root: string): boolean {
  return root === '/'
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The whole-element tokens a command's argv may hold, and what each becomes (zero or more elements). */
export function argvTokens(root: string, since: Date): Record<string, string[]> {
  const live = isLive(root)
  return {
    // Live, ausearch finds its logs itself; below --root the engine repeats the command with -if for each audit.log*.
    '{audit-input}': live ? [] : ['-if', `${root.replace(/\/+$/, '')}/var/log/audit/audit.log[.N]`],
    '{journal-dir-flag}': live ? [] : ['-D', `${root.replace(/\/+$/, '')}/var/log/journal`],
    // ausearch reads -ts with the locale's %x; under LC_ALL=C that is MM/DD/YY (a 4-digit year is refused).
    '{since:ausearch-date}': [`${pad(since.getUTCMonth() + 1)}/${pad(since.getUTCDate())}/${pad(since.getUTCFullYear() % 100)}`],
    '{since:ausearch-time}': [`${pad(since.getUTCHours())}:${pad(since.getUTCMinutes())}:${pad(since.getUTCSeconds())}`],
    '{since:journal}': [`@${Math.floor(since.getTime() / 1000)}`],
  }
}

/** Substitutes whole-element tokens; `{root}` may prefix an element. Never builds a shell string. */
export function resolveArgv(argv: readonly string[], root: string, tokens: Record<string, string[]>): string[] {
  const rootPrefix = isLive(root) ? '' : root.replace(/\/+$/, '')
  return argv.flatMap((element) => {
    const replacement = tokens[element]
    if (replacement) return replacement
    return [element.startsWith('{root}') ? `${rootPrefix}${element.slice('{root}'.length)}` : element]
  })
}

function commandSkip(command: CommandSpec, live: boolean): string | undefined {
  if (command.liveOnly && !live) return 'live-only: it shows the running system, not the one under --root'
  return undefined
}

/** Resolves which collectors run, in order of volatility (RFC 3227), and why any are skipped. Pure. */
export function buildPlan(input: PlanInput, builtins: readonly CollectorSpec[] = collectorDefinitions): PlannedCollector[] {
  const definitions = [...builtins, ...(input.artifacts ?? [])]
  const live = isLive(input.root)
  const tokens = argvTokens(input.root, input.since)
  const chosen = input.selected ? new Set(input.selected) : undefined
  return [...definitions]
    .sort((a, b) => a.volatility - b.volatility)
    .map((spec, index) => {
      const commands = spec.commands.map((command) => {
        const skip = commandSkip(command, live)
        const requiresFile = command.requiresFile ? resolveArgv([command.requiresFile], input.root, tokens)[0] : undefined
        return {
          argv: resolveArgv(command.argv, input.root, tokens),
          name: command.name,
          ...(requiresFile ? {requiresFile} : {}),
          ...(skip ? {skip} : {}),
        }
      })
      let skip: string | undefined
      let skipKind: SkipKind | undefined
      if (chosen && !chosen.has(spec.id)) [skip, skipKind] = ['not selected by --collectors', 'not-selected']
      else if (spec.liveOnly && !live) [skip, skipKind] = ['live-only: it shows the running system, not the one under --root', 'not-applicable']
      const warning =
        !skip && spec.needsRoot && !input.isRoot && live
          ? `not running as root: ${spec.title.toLowerCase()} may be incomplete (files and process details readable only by root are left out); rerun with sudo`
          : undefined
      return {
        commands,
        engine: spec.engine,
        id: spec.id,
        order: index + 1,
        spec,
        title: spec.title,
        version: spec.version,
        ...(skip ? {skip, skipKind} : {}),
        ...(warning ? {warning} : {}),
      }
    })
}

/** Checks a --collectors list against the known ids; returns the unknown ones. */
export function unknownCollectors(selected: readonly string[], artifactIds: readonly string[] = []): string[] {
  return selected.filter((id) => !ALL_COLLECTOR_IDS.includes(id) && !artifactIds.includes(id))
}
