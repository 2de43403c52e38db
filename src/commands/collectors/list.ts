import {BaseCommand} from '../../cli/base-command.js'
import {planFlags, resolvePlanFlags} from '../../cli/collect-flags.js'
import type {PlannedCollector} from '../../collectors/plan.js'
import {planCollection} from '../../collectors/plan-sources.js'

export interface PlanRow {
  order: number
  id: string
  version: string
  title: string
  why: string
  volatility: number
  engine: string
  needs_root: boolean
  live_only: boolean
  contains_phi: boolean
  timeout_ms: number
  max_output_bytes: number
  will_run: boolean
  /** `built-in`, or the artifact file a user's collector came from (`--artifacts DIR`). */
  source: string
  /** Globs a `files` collector copies, as seen on that system. */
  files?: {glob: string; max_bytes: number}[]
  skip?: string
  /** `no-source` skips make the collection `incomplete`; `not-selected` and `not-applicable` do not. */
  skip_kind?: string
  warning?: string
  commands: {name: string; argv: string[]; skip?: string}[]
  /** Log files read directly (auth.log and its rotations), as seen on that system. */
  reads?: string[]
  /** The PHI walk per folder: the find argv, or null for hipaa-ir's built-in walk (find not installed). */
  walk?: {dir: string; argv: string[] | null}[]
}

export default class CollectorsList extends BaseCommand<{collectors: PlanRow[]}> {
  static override description = 'Shows what `collect` would run with the same flags, in order of volatility, and what is skipped and why: the same plan and the same checks of the system (is there an audit.log, an auth log, a PHI folder?) as collect. Runs nothing.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --root /mnt/image --phi-dir /srv/ehr --since 7d --json',
  ]

  static override flags = {...planFlags}

  static override summary = 'Print the resolved collection plan without running anything.'

  async run(): Promise<{collectors: PlanRow[]}> {
    const {flags} = await this.parse(CollectorsList)
    const resolved = await resolvePlanFlags(flags, new Date())
    for (const note of resolved.notes) this.note(note)
    const plan = await planCollection({...resolved, isRoot: process.getuid?.() === 0})
    const rows = plan.map((p) => planRow(p))
    if (!this.jsonEnabled()) for (const row of rows) this.log(describeRow(row))
    return {collectors: rows}
  }
}

function planRow(p: PlannedCollector): PlanRow {
  return {
    commands: p.commands.map((c) => ({argv: c.argv, name: c.name, ...(c.skip ? {skip: c.skip} : {})})),
    contains_phi: p.spec.containsPhi,
    engine: p.engine,
    id: p.id,
    live_only: p.spec.liveOnly,
    max_output_bytes: p.spec.maxOutputBytes,
    needs_root: p.spec.needsRoot,
    order: p.order,
    timeout_ms: p.spec.timeoutMs,
    title: p.title,
    version: p.version,
    volatility: p.spec.volatility,
    why: p.spec.why,
    source: p.spec.source,
    will_run: !p.skip,
    ...(p.spec.files.length > 0 ? {files: p.spec.files.map((f) => ({glob: f.glob, max_bytes: f.maxBytes}))} : {}),
    ...(p.skip ? {skip: p.skip, ...(p.skipKind ? {skip_kind: p.skipKind} : {})} : {}),
    ...(p.warning ? {warning: p.warning} : {}),
    ...(p.reads ? {reads: p.reads} : {}),
    ...(p.walk ? {walk: p.walk} : {}),
  }
}

function describeRow(row: PlanRow): string {
  const lines = [
    `${row.order}. ${row.id} v${row.version}  ${row.will_run ? 'runs' : `skipped: ${row.skip}`}`,
    `   ${row.title}${row.contains_phi ? ' (may contain PHI)' : ''}${row.needs_root ? ', needs root' : ''}`,
  ]
  if (row.source !== 'built-in') lines.push(`   from ${row.source}`)
  if (row.warning) lines.push(`   warning: ${row.warning}`)
  if (row.will_run) {
    for (const command of row.commands) lines.push(`   $ ${command.argv.join(' ')}${command.skip ? `   [skipped: ${command.skip}]` : ''}`)
    for (const file of row.files ?? []) lines.push(`   copies ${file.glob} (at most ${file.max_bytes} bytes each)`)
    if (row.reads) lines.push(`   reads ${row.reads.join(', ')}`)
    for (const walk of row.walk ?? []) lines.push(walk.argv ? `   $ ${walk.argv.join(' ')}` : `   ${walk.dir}: built-in walk (find is not installed)`)
  }
  return lines.join('\n')
}
