import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {writeFactsTemplate} from '../../timeline/io/write-template.js'

export interface TimelineInitResult {
  path: string | null
  /** The template itself when it was not written to a file (--json without --out), so it is never lost. */
  template?: string
}

export default class TimelineInit extends BaseCommand<TimelineInitResult> {
  static override summary = 'Write a commented incident facts template for `timeline`'

  static override description = 'Writes a YAML facts file with every field explained and example values that validate. Edit it, then run `timeline --facts FILE`. Without --out the template goes to stdout. An existing file is never overwritten.'

  static override examples = ['<%= config.bin %> <%= command.id %> --out incident.yaml', '<%= config.bin %> <%= command.id %> > incident.yaml']

  static override flags = {
    out: Flags.string({description: 'write the template to this file (refuses to overwrite)'}),
  }

  async run(): Promise<TimelineInitResult> {
    const {flags} = await this.parse(TimelineInit)
    const written = await writeFactsTemplate(flags.out)
    if (!this.jsonEnabled()) this.log(written.path === null ? written.text.trimEnd() : `wrote ${written.path}; edit it, then run: hipaa-ir timeline --facts ${written.path}`)
    return written.path === null ? {path: null, template: written.text} : {path: written.path}
  }
}
