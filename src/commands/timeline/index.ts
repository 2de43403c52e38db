import * as Flags from '@oclif/core/flags'

import type {Timeline} from '../../timeline/types.js'

import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import {isIsoDate, toIso} from '../../timeline/calendar.js'
import {runTimeline, type TimelineFormat} from '../../timeline/run-timeline.js'

export type TimelineResult = Timeline & {letters: string[]; output: string | null; rendered?: string}

export default class TimelineCommand extends BaseCommand<TimelineResult> {
  static override summary = 'Breach-notification deadlines and letter drafts from an incident facts file'

  static override description = `Reads the incident facts (YAML or JSON; \`timeline init\` writes a template), decides whether notice is required (45 CFR 164.402), and lists every notification duty with its latest lawful date, citation and rule status: individuals, media, HHS, business associate to covered entity, and state residents and regulators.

Dates follow the calendar conventions printed in every output: calendar days, no roll-forward for weekends (flagged instead), business days skip weekends only. Under a law-enforcement delay, "due" is the conservative reading and "due_if_tolled" the tolling one.

Everything produced is a DRAFT FOR COUNSEL, NOT LEGAL ADVICE. Invalid facts exit 2 with the field, the problem and an example.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --facts incident.yaml',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --format ics --out deadlines.ics',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --format html --out timeline.html --letters ./letters',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --as-of 2026-03-20 --json',
  ]

  static override flags = {
    facts: Flags.string({description: 'incident facts file (YAML or JSON)', required: true}),
    format: Flags.string({description: 'output format', options: ['md', 'json', 'ics', 'html'], default: 'md'}),
    out: Flags.string({description: 'write the output to this file instead of stdout'}),
    letters: Flags.string({description: 'write letter drafts (Markdown, HTML, DOCX) into this folder'}),
    'as-of': Flags.string({description: 'count days left from this date (YYYY-MM-DD; default: today)'}),
  }

  async run(): Promise<TimelineResult> {
    const {flags} = await this.parse(TimelineCommand)
    const asOf = flags['as-of'] ?? toIso(new Date())
    if (!isIsoDate(asOf)) throw new UsageError(`--as-of ${asOf} is not a date; write YYYY-MM-DD, e.g. --as-of 2026-03-20`)
    const result = await runTimeline({
      factsPath: flags.facts,
      format: flags.format as TimelineFormat,
      asOf,
      ...(flags.out === undefined ? {} : {out: flags.out}),
      ...(flags.letters === undefined ? {} : {lettersDir: flags.letters}),
    })
    if (!this.jsonEnabled()) {
      if (result.out === null) this.log(result.rendered.trimEnd())
      else this.log(`wrote ${result.out}`)
      if (result.letters.length > 0) this.log(`wrote ${result.letters.length} letter files into ${flags.letters ?? ''}`)
      if (flags.format === 'ics' || flags.format === 'json' || result.out !== null) for (const w of result.timeline.warnings) this.note(w)
    }
    // Under --json a Markdown, HTML or calendar rendering asked for with --format and sent to no file travels in the document.
    const asked = this.argv.some((arg) => arg === '--format' || arg.startsWith('--format='))
    const rendered = asked && result.out === null && flags.format !== 'json' ? {rendered: result.rendered} : {}
    return {...result.timeline, letters: result.letters, output: result.out, ...rendered}
  }
}
