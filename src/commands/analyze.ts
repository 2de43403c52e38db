import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {UsageError} from '../core/errors.js'
import {parseSince} from '../core/since.js'
import {terminalText} from '../core/terminal-text.js'
import {parseParamFlags} from '../analyze/rules/params.js'
import {type AnalyzeResult, analyzeCase} from '../workflows/analyze-case.js'

/** --until: the same spellings as --since (a duration back from now, or an ISO 8601 date-time); a future time is fine. */
function parseUntil(input: string, now: Date): Date {
  if (/^\d{1,6}[mhd]$/.test(input.trim())) return parseSince(input, now)
  const ms = /^\d{4}-\d{2}-\d{2}/.test(input.trim()) ? Date.parse(input.trim().replace(' ', 'T')) : Number.NaN
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--until: cannot read "${input}" as a time`, {code: 'E_UNTIL', suggestions: ['Use a duration such as 2h, or an ISO 8601 date-time such as 2026-03-04T00:00:00Z.']})
  }
  return new Date(ms)
}

export default class Analyze extends BaseCommand<AnalyzeResult> {
  static override summary = 'From bundles to findings, a case timeline across hosts, the breach scope and a facts draft for timeline'
  static override description = `TARGET is a bundle (NAME.tar.gz, NAME.tar.gz.age with --identity, or an extracted NAME/ folder), a folder holding bundles (also CASE/HOST/ sub-folders), or s3://BUCKET/[PREFIX/]CASE/ (every bundle below it, where push and fleet collection store them). Several TARGETs may be given; all must belong to one case.

Every bundle is verified first, exactly as verify does (signatures, every hash, the manifest, the custody chain; for s3:// also the Object Lock retention and later versions). One that fails is refused (exit 3, naming it and why) and nothing is analyzed, unless --allow-unverified: then it is read anyway and its events and findings carry verified: false. Bundles are unpacked into private temporary folders, removed at the end.

Writes into --out-dir (default hipaa-ir-analysis/CASE; folder 0700, files 0600): case.duckdb (the DuckDB database, table events: time, host, bundle, source, kind, user, uid, auid, ip, port, path, exe, success, message, ref, verified, data), events.parquet (the same rows; read as they are by DuckDB, Trino, Athena and Spark), timeline.csv (Timesketch's CSV import format: message, datetime, timestamp_desc, then the event fields; events without a time are left out), findings.json, phi-paths.csv, report.md and report.html (the findings by severity with the evidence lines behind each, one timeline across hosts, the scope with its counts). Each row's ref is FILE:LINE inside its bundle.

--since and --until set the analysis window: findings wholly outside it are dropped; every event is still loaded, since history before the window is what the rules compare with. The scope (accounts, PHI files, time span) comes from the findings; with --patient-map, the individuals and their count per state; the PHI paths in scope are written to phi-paths.csv.

--facts-out FILE writes a facts file that timeline --facts accepts: breach start and end, a drafted description, the PHI types from the folders touched, affected per state (with --patient-map) and the evidence bundles, each commented with the evidence it came from; what only a person can decide (discovered, low_probability, secured, the entity) is left as a [[DECIDE: ...]] marker, on which timeline runs a stated provisional reading.

A login on one host from another host's address joins the two hosts' stories (auth.lateral-movement). Each host's addresses come from its network evidence and its manifest (interfaces live, /etc/hosts of an image); --host-address HOST=ADDRESS adds ones known from elsewhere.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /evidence/IR-7_web1_20260301T101500Z.tar.gz --pub /root/keys/hipaa-ir.pub',
    '<%= config.bin %> <%= command.id %> /evidence/IR-7/ --pub /root/keys/hipaa-ir.pub --out-dir ./IR-7-analysis',
    '<%= config.bin %> <%= command.id %> s3://evidence/IR-7/ --pub /root/keys/hipaa-ir.pub --json',
  ]

  static override strict = false

  static override args = {
    target: Args.string({description: 'bundle tarball, .tar.gz.age, bundle folder, folder of bundles, or s3://BUCKET/[PREFIX/]CASE/ (repeatable)', required: true}),
  }

  static override flags = {
    'allow-unverified': Flags.boolean({default: false, description: 'analyze bundles that fail verification anyway; their events and findings carry verified: false'}),
    endpoint: Flags.string({description: 's3:// targets: S3 endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS itself)'}),
    'facts-out': Flags.string({description: 'write a facts draft that timeline --facts accepts: drafted values commented with their evidence, decisions left as [[DECIDE]] markers'}),
    param: Flags.string({description: 'NAME=VALUE: a rule parameter (threshold=8 for every rule that has one, auth.bruteforce-then-success.threshold=8 for one); see docs/analyze-rules.md (repeatable)', multiple: true}),
    'host-address': Flags.string({description: 'HOST=ADDRESS: an address of a host of the case known from elsewhere (an inventory), for the lateral-movement rule (repeatable)', multiple: true}),
    identity: Flags.string({description: 'age identity file (mode 0600) for NAME.tar.gz.age bundles'}),
    mode: Flags.string({default: 'compliance', description: 's3:// targets: the Object Lock mode each bundle must still be under', options: ['compliance', 'governance']}),
    'out-dir': Flags.string({description: 'folder for case.duckdb, events.parquet, timeline.csv, findings.json and phi-paths.csv (default: hipaa-ir-analysis/CASE)'}),
    'patient-map': Flags.string({description: 'CSV with a header path,patient_id,state (path: a file path or glob as seen on the host): counts the individuals and states behind the PHI files in scope'}),
    pub: Flags.string({description: 'signify public key to check every bundle against (default: hipaa-ir.pub, else NAME.pub, next to each bundle)'}),
    rules: Flags.string({description: 'folder of YAML rules to run besides the built-in ones (repeatable)', multiple: true}),
    sigma: Flags.string({description: 'folder of Sigma rules (linux product) to run (repeatable)', multiple: true}),
    since: Flags.string({description: 'start of the analysis window: 90m, 24h, 7d, or an ISO 8601 date-time'}),
    until: Flags.string({description: 'end of the analysis window: a duration back from now, or an ISO 8601 date-time'}),
  }

  async run(): Promise<AnalyzeResult> {
    const {argv, flags} = await this.parse(Analyze)
    const targets = argv as string[]
    const now = new Date()
    const since = flags.since === undefined ? undefined : parseSince(flags.since, now).toISOString()
    const until = flags.until === undefined ? undefined : parseUntil(flags.until, now).toISOString()
    if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since ${flags.since} is after --until ${flags.until}`)
    const identities = flags.identity === undefined ? undefined : await (await import('../integrity/age.js')).readAgeIdentities(flags.identity)
    const result = await analyzeCase({
      allowUnverified: flags['allow-unverified'],
      endpoint: flags.endpoint,
      identities,
      mode: flags.mode,
      onStatus: (message) => this.status(terminalText(message)),
      outDir: flags['out-dir'],
      ...(flags['facts-out'] === undefined ? {} : {factsOut: flags['facts-out']}),
      hostAddresses: parseHostAddresses(flags['host-address'] ?? []),
      params: parseParamFlags(flags.param ?? []),
      patientMap: flags['patient-map'],
      pub: flags.pub,
      rules: flags.rules ?? [],
      sigma: flags.sigma ?? [],
      since,
      targets,
      until,
    })
    if (this.jsonEnabled()) return result
    for (const warning of result.warnings) this.note(warning)
    const say = (line: string): void => this.log(terminalText(line))
    say(`case ${result.case}: ${result.bundles.length} bundle(s), ${result.events.toLocaleString('en-US')} events (${result.timeline_events.toLocaleString('en-US')} on the timeline), ${result.findings.length} finding(s)`)
    for (const bundle of result.bundles) say(`  ${bundle.verified ? 'verified  ' : 'UNVERIFIED'} ${bundle.name} (${bundle.host}): ${bundle.events.toLocaleString('en-US')} events`)
    say(`written to ${result.out_dir}: ${Object.values(result.files).map((path) => path.split('/').pop()).join(', ')}`)
    return result
  }
}

/** --host-address HOST=ADDRESS values, by host. */
export function parseHostAddresses(values: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const value of values) {
    const match = /^([^=\s]+)=([0-9A-Fa-f.:]+)$/.exec(value.trim())
    if (match === null) throw new UsageError(`--host-address ${JSON.stringify(value.slice(0, 80))}: expected HOST=ADDRESS, e.g. --host-address web-1=10.0.0.5`, {code: 'E_HOST_ADDRESS'})
    ;(out[match[1] as string] ??= []).push(match[2] as string)
  }
  return out
}
