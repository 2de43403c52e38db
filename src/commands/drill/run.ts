import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../cli/exit-codes.js'
import {requireBucketForPush} from '../../cli/push-flags.js'
import {UsageError} from '../../core/errors.js'
import {runDrill, type DrillRunResult} from '../../drills/run-drill.js'
import {findScenario, SCENARIOS} from '../../drills/scenarios/index.js'
import {isIsoDate} from '../../timeline/calendar.js'

export default class DrillRun extends BaseCommand<DrillRunResult> {
  static override summary = 'Run a tabletop exercise on a synthetic system and write the after-action report'
  static override description = `Builds the scenario's synthetic root and writes what the team is handed into DIR/handout: the root (planted auth, audit and PHI-file evidence, synthetic data only) and README.md (the story, the variables with the --since the team needs, the runbooks). Everything else goes to DIR/facilitator, the answers: the incident facts (facts.yaml), a drill signing key (keys/), and the results of the real collect, verify and timeline code run on the root: a signed bundle in evidence/, the deadlines in timeline.json and timeline.md, letter drafts in letters/. The bundle then goes through analyze (facilitator/analysis/) with --facts-out facilitator/facts-draft.yaml and, when the scenario knows whose PHI its files hold, --patient-map facilitator/patient-map.csv; timeline runs on that draft. The findings are checked against the scenario's expected findings, and facilitator/after-action-report.md (and .html) holds the measured timings, the evidence, the deadlines, expected vs found, what analyze found against the scenario (rules, breach dates, affected per state) with the draft's PROVISIONAL deadlines, the injects and the questions for the team.

Exit codes: 0 all findings match; 1 a finding does not match (the report says which; analyze's comparisons with the scenario are reported, not counted); 3 the bundle failed verification; 4 collection was partial; 5 the push failed (the report is still written).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> ransomware --out-dir ./drill-ransomware',
    '<%= config.bin %> <%= command.id %> business-associate --out-dir ./drill-ba --as-of 2026-04-10 --json',
    '<%= config.bin %> <%= command.id %> laptop-unencrypted --out-dir ./drill-laptop --push --bucket ir-drills',
  ]

  static override args = {
    scenario: Args.string({description: `scenario id: ${SCENARIOS.map((s) => s.id).join(', ')}`, required: true}),
  }

  static override flags = {
    'out-dir': Flags.string({description: 'new or empty folder for the synthetic system, evidence, letters and report', required: true}),
    'as-of': Flags.string({description: 'exercise "today" for days left (YYYY-MM-DD; default: the scenario\'s date)'}),
    examiner: Flags.string({description: 'name recorded as the examiner in the bundle (default: drill facilitator)'}),
    push: Flags.boolean({default: false, description: 'also push the bundle as exercise data (drills/ prefix, GOVERNANCE, 1 day, tagged drill=true)'}),
    bucket: Flags.string({description: 'with --push: the bucket (Object Lock enabled)'}),
    endpoint: Flags.string({description: 'with --push: S3 endpoint URL (default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL)'}),
    'allow-unlocked': Flags.boolean({default: false, description: 'with --push: accept a bucket without Object Lock'}),
  }

  async run(): Promise<DrillRunResult> {
    const {args, flags} = await this.parse(DrillRun)
    const scenario = findScenario(args.scenario)
    if (scenario === undefined) {
      throw new UsageError(`unknown scenario "${args.scenario}"`, {code: 'E_SCENARIO', suggestions: [`Choose one of: ${SCENARIOS.map((s) => s.id).join(', ')} (see drill list).`]})
    }
    if (flags['as-of'] !== undefined && !isIsoDate(flags['as-of'])) throw new UsageError(`--as-of ${flags['as-of']} is not a date; write YYYY-MM-DD`)
    requireBucketForPush(flags)
    if (!flags.push && flags.bucket !== undefined) throw new UsageError('--bucket is only used with --push')
    this.status(`drill ${scenario.id}: building the synthetic system and running collect, verify, timeline …`)
    const result = await runDrill({
      outDir: flags['out-dir'],
      scenario,
      toolVersion: this.config.version,
      ...(flags['as-of'] === undefined ? {} : {asOf: flags['as-of']}),
      ...(flags.examiner === undefined ? {} : {examiner: flags.examiner}),
      ...(flags.push && flags.bucket !== undefined
        ? {push: {allowUnlocked: flags['allow-unlocked'], bucket: flags.bucket, ...(flags.endpoint === undefined ? {} : {endpoint: flags.endpoint})}}
        : {}),
    })
    if (!this.jsonEnabled()) this.display(result)
    process.exitCode = exitCodeOf(result)
    return result
  }

  private display(r: DrillRunResult): void {
    this.log(r.notice)
    for (const s of r.steps) this.log(`${s.step.padEnd(9)} ${String(s.ms).padStart(6)} ms  ${s.outcome}`)
    this.log(`result    ${r.findings.matched} of ${r.findings.total} expected findings match${r.verified ? '' : '; the bundle FAILED verification'}`)
    for (const f of r.findings.results.filter((x) => !x.match)) this.log(`  MISMATCH ${f.label}: expected ${String(f.expected)}, found ${String(f.found)}`)
    this.log(`analyze   ${r.analyze.matched} of ${r.analyze.total} comparisons of analyze's findings and facts draft with the scenario match (not part of the exit code)`)
    for (const m of r.analyze.matches.filter((x) => !x.match)) this.log(`  MISS ${m.label}: expected ${m.expected}, analyze ${m.found ?? '(none)'}`)
    if (r.push_error !== null) this.note(`push failed: ${r.push_error}`)
    this.log(`handout   ${r.handout}  (give this folder to the team: the synthetic root and README.md with the --since they need)`)
    this.log(`answers   ${r.facilitator}  (facilitator only until the debrief)`)
    this.log(`bundle    ${r.bundle}`)
    this.log(`timeline  ${r.timeline_md}`)
    this.log(`draft     ${r.analyze.facts_draft}  (analyze's facts draft; its PROVISIONAL deadlines are in the report)`)
    this.log(`letters   ${r.letters.length} files`)
    this.log(`report    ${r.report}`)
  }
}

function exitCodeOf(r: DrillRunResult): number {
  if (!r.verified) return ExitCode.VerificationFailed
  if (r.push_error !== null || (r.push !== null && r.push.failed.length > 0)) return ExitCode.PushFailed
  if (r.collect_status === 'partial') return ExitCode.PartialCollection
  if (r.findings.matched !== r.findings.total) return ExitCode.Unexpected
  return ExitCode.Ok
}
