import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import {hostStep, type HostStepReport} from '../../fleet/host-step.js'

/** Run on each host by the fleet playbook; not for people. Prints one JSON report. */
export default class FleetHostStep extends BaseCommand<HostStepReport> {
  static override hidden = true
  static override summary = 'One host\'s step of a fleet run (run by the fleet playbook on the host)'

  static override flags = {
    case: Flags.string({required: true}),
    'out-dir': Flags.string({required: true}),
    probe: Flags.boolean({default: false}),
    recollect: Flags.boolean({default: false}),
    run: Flags.string({required: true}),
    spec: Flags.string({description: 'JSON: {"collect": [...], "push": [...]}', required: true}),
    transport: Flags.string({default: 'push', options: ['push', 'relay']}),
  }

  async run(): Promise<HostStepReport> {
    const {flags} = await this.parse(FleetHostStep)
    let spec: {collect?: unknown; push?: unknown}
    try {
      spec = JSON.parse(flags.spec) as {collect?: unknown; push?: unknown}
    } catch {
      throw new UsageError('--spec is not JSON')
    }
    const list = (v: unknown): string[] => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : [])
    const report = await hostStep({
      case: flags.case, collect: list(spec.collect), outDir: flags['out-dir'], probe: flags.probe, push: list(spec.push),
      recollect: flags.recollect, run: flags.run, transport: flags.transport as 'push' | 'relay',
    })
    if (!this.jsonEnabled()) this.log(JSON.stringify(report))
    return report
  }
}
