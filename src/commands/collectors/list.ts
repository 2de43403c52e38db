import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {checkCollectors, checkRoot} from '../../cli/collect-flags.js'
import {buildPlan} from '../../collectors/plan.js'
import {parseSince} from '../../core/since.js'

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
  skip?: string
  warning?: string
  commands: {name: string; argv: string[]; skip?: string}[]
}

export default class CollectorsList extends BaseCommand<{collectors: PlanRow[]}> {
  static override description = 'Shows what `collect` would run with the same flags, in order of volatility, and what is skipped and why. Runs nothing.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --root /mnt/image --json']
  static override flags = {
    collectors: Flags.string({description: 'Comma-separated collectors, as for collect.'}),
    root: Flags.string({default: '/', description: 'Root of the system under investigation, as for collect.'}),
    since: Flags.string({default: '24h', description: 'Window start, as for collect.'}),
  }

  static override summary = 'Print the resolved collection plan without running anything.'

  async run(): Promise<{collectors: PlanRow[]}> {
    const {flags} = await this.parse(CollectorsList)
    const root = await checkRoot(flags.root)
    const selected = checkCollectors(flags.collectors)
    const plan = buildPlan({isRoot: process.getuid?.() === 0, root, since: parseSince(flags.since, new Date()), ...(selected ? {selected} : {})})
    const rows = plan.map((p) => ({
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
      will_run: !p.skip,
      ...(p.skip ? {skip: p.skip} : {}),
      ...(p.warning ? {warning: p.warning} : {}),
    }))
    if (!this.jsonEnabled()) {
      for (const row of rows) {
        this.log(`${row.order}. ${row.id} v${row.version}  ${row.will_run ? 'runs' : `skipped: ${row.skip}`}`)
        this.log(`   ${row.title}${row.contains_phi ? ' (may contain PHI)' : ''}${row.needs_root ? ', needs root' : ''}`)
        if (row.warning) this.log(`   warning: ${row.warning}`)
        for (const command of row.commands) this.log(`   $ ${command.argv.join(' ')}${command.skip ? `   [skipped: ${command.skip}]` : ''}`)
      }
    }
    return {collectors: rows}
  }
}
