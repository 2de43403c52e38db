import * as Flags from '@oclif/core/flags'
import {basename, join} from 'node:path'

import type {Timeline} from '../../timeline/types.js'

import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import {isIsoDate, toIso} from '../../timeline/calendar.js'
import {FIRST_YEAR, LAST_YEAR} from '../../timeline/facts/validate.js'
import {groupDraftNames, NO_LONGER_OWED_DIR} from '../../timeline/io/letter-files.js'
import {nextDeadlineLine} from '../../timeline/render/format.js'
import {runTimeline, type TimelineFormat} from '../../timeline/run-timeline.js'

export type TimelineResult = Timeline & {
  letters: string[]
  rendered?: string
  /** With --letters --force: the folder holding the drafts this run replaced. */
  letters_previous?: string | null
  /** Drafts of an earlier run that the facts no longer call for, moved into DIR/no-longer-owed/. */
  letters_no_longer_owed?: string[]
  output: string | null
}

export default class TimelineCommand extends BaseCommand<TimelineResult> {
  static override summary = 'Breach-notification deadlines and letter drafts from an incident facts file'

  static override description = `Reads the incident facts (YAML or JSON; \`timeline init\` writes a template), decides whether notice is required (45 CFR 164.402), and lists every notification duty with its latest lawful date, citation and rule status: individuals, media, HHS, business associate to covered entity, and state residents and regulators.

Dates follow the calendar conventions printed in every output: calendar days, no roll-forward for weekends (flagged instead), business days skip weekends only. Under a law-enforcement delay, "due" is the conservative reading and "due_if_tolled" the tolling one.

Everything produced is a DRAFT FOR COUNSEL, NOT LEGAL ADVICE. Invalid facts exit 2 with the field, the problem and an example.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --facts incident.yaml',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --format ics --out deadlines.ics',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --format html --out timeline.html --letters ./letters',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --letters ./letters --force',
    '<%= config.bin %> <%= command.id %> --facts incident.yaml --as-of 2026-03-20 --json',
  ]

  static override flags = {
    facts: Flags.string({description: 'incident facts file (YAML or JSON)', required: true}),
    format: Flags.string({description: 'output format', options: ['md', 'json', 'ics', 'html'], default: 'md'}),
    out: Flags.string({description: 'write the output to this file instead of stdout'}),
    letters: Flags.string({description: 'write letter drafts (Markdown, HTML, DOCX) into this folder; refuses to replace existing drafts without --force'}),
    force: Flags.boolean({description: 'with --letters: replace existing drafts (the old ones are kept in DIR/previous-YYYYMMDDTHHMMSSZ/)', default: false}),
    'as-of': Flags.string({description: 'count days left from this date (YYYY-MM-DD; default: today)'}),
  }

  async run(): Promise<TimelineResult> {
    const {flags} = await this.parse(TimelineCommand)
    const asOf = flags['as-of'] ?? toIso(new Date())
    if (!isIsoDate(asOf)) throw new UsageError(`--as-of ${asOf} is not a date; write YYYY-MM-DD, e.g. --as-of 2026-03-20`)
    const year = Number(asOf.slice(0, 4))
    if (year < FIRST_YEAR || year > LAST_YEAR) throw new UsageError(`--as-of ${asOf} is out of range: give a date between ${FIRST_YEAR} and ${LAST_YEAR}, e.g. --as-of 2026-03-20`)
    const result = await runTimeline({
      factsPath: flags.facts,
      format: flags.format as TimelineFormat,
      asOf,
      ...(flags.out === undefined ? {} : {out: flags.out}),
      ...(flags.letters === undefined ? {} : {lettersDir: flags.letters}),
      force: flags.force,
    })
    const moved = result.lettersMoved
    if (!this.jsonEnabled()) {
      if (result.out === null) this.log(result.rendered.trimEnd())
      else this.log(`wrote ${result.out}\n${nextDeadlineLine(result.timeline)}`)
      if (result.letters.length > 0) this.log(`wrote ${result.letters.length} letter files into ${flags.letters ?? ''}`)
      if (moved?.previous != null) this.log(`kept the drafts this run replaced in ${moved.previous}`)
      if (moved !== null && moved.no_longer_owed.length > 0) this.log(`moved ${moved.no_longer_owed.length} drafts the facts no longer call for into ${join(flags.letters ?? '', NO_LONGER_OWED_DIR)}: ${groupDraftNames(moved.no_longer_owed.map((p) => basename(p)))}`)
      // The Markdown on stdout lists the warnings itself; the template-leftovers one also goes to stderr.
      const listed = result.out === null && flags.format === 'md'
      for (const w of result.timeline.warnings) if (!listed) this.note(w)
      if (listed && result.leftovers) this.note(result.timeline.warnings[0] ?? '')
    }
    // Under --json a Markdown, HTML or calendar rendering asked for with --format and sent to no file travels in the document.
    const asked = this.argv.some((arg) => arg === '--format' || arg.startsWith('--format='))
    const rendered = asked && result.out === null && flags.format !== 'json' ? {rendered: result.rendered} : {}
    return {
      ...result.timeline,
      letters: result.letters,
      ...(moved === null ? {} : {letters_no_longer_owed: moved.no_longer_owed, letters_previous: moved.previous}),
      output: result.out,
      ...rendered,
    }
  }
}
