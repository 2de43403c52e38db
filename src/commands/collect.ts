import * as Flags from '@oclif/core/flags'
import {dirname} from 'node:path'

import {BaseCommand, type JsonError} from '../cli/base-command.js'
import {statusLine, stepLine} from '../cli/collect-display.js'
import {walkSummary, WorkDisplay} from '../cli/collect-progress.js'
import {defaultExaminer, planFlags, resolvePlanFlags} from '../cli/collect-flags.js'
import {ExitCode} from '../cli/exit-codes.js'
import {checkCaseId} from '../bundle/naming.js'
import {createOneTimeSigner, loadSigner, type Signer} from '../integrity/signer.js'
import {pushFlags, pushOptionsFromFlags, requireBucketForPush, retryPushCommand, type PushFlagValues} from '../cli/push-flags.js'
import {PushError} from '../core/errors.js'
import {collectCase, type CollectResult, type ProgressEvent, type WorkProgress} from '../workflows/collect-case.js'
import type {Interrupted} from '../workflows/interrupt-guard.js'
import type {AcquisitionStep} from '../bundle/acquisition-log.js'

/** Puts flags under one heading of `--help` ("PUSH FLAGS"), so push and signing flags do not mix with collection flags. */
function grouped<T extends Record<string, object>>(helpGroup: string, flags: T): T {
  return Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, {...flag, helpGroup}])) as T
}

export default class Collect extends BaseCommand<CollectResult> {
  static override description = `Runs the collectors in order of volatility (sessions, network, processes, auth, audit, accounts, persistence, shell-history, phi-files, posture) and writes DIR/NAME/ plus DIR/NAME.tar.gz, NAME = CASE_HOST_YYYYMMDDTHHMMSSZ. Every artifact is hashed into SHA256SUMS and manifest.json. A collector that fails or times out is recorded and the others go on; the bundle is still written and the exit code is 4. A collector skipped because the system lacks its source (no audit.log, no PHI folder) makes the status incomplete (exit 0); the last line names it. "collectors list" with the same flags shows the plan beforehand.

Run it as root on the live system, or with --root on a mounted image or copy. PHI file contents are never copied unless --include-contents is given.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --out-dir /srv/evidence',
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --out-dir ./out --root /mnt/image --since 7d --phi-dir /srv/ehr',
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --out-dir ./out --collectors auth,audit --json',
  ]

  static override flags = {
    ...planFlags,
    case: Flags.string({description: 'Case id (letters, digits, dot, dash), e.g. IR-2026-014. Default: IR-YYYYMMDD.'}),
    examiner: Flags.string({description: 'Name of the person collecting (default: the sudo caller or login name).'}),
    'include-contents': Flags.boolean({default: false, description: 'Copy the contents of recently modified PHI files into the bundle (off by default: metadata and SHA-256 only).'}),
    'out-dir': Flags.string({default: 'hipaa-ir-evidence', description: 'Folder to write the bundle into (created 0700 if missing).'}),
    ...grouped('SIGNING AND ENCRYPTION', {
      'encrypt-to': Flags.string({description: 'Encrypt the tarball to this age X25519 recipient (age1...; repeatable). The signature covers the ciphertext and no plaintext copy is kept.', multiple: true}),
      key: Flags.string({description: 'Secret signing key (signify format, mode 0600) from `keys generate`. Without it a one-time key is made for this case.'}),
    }),
    ...grouped('PUSH', {
      ...pushFlags,
      push: Flags.boolean({default: false, description: 'After sealing, push the bundle to S3 Object Lock (--bucket required). A failed push exits 5 and leaves the bundle pending.'}),
    }),
  }

  static override summary = 'Capture evidence from this machine (or a mounted image) into a hashed bundle.'

  async run(): Promise<CollectResult> {
    const {flags} = await this.parse(Collect)
    const now = new Date()
    const {artifacts, auditKeys, ctime, notes, phiDirs, root, selected, since} = await resolvePlanFlags(flags, now)
    const caseId = checkCaseId(flags.case ?? `IR-${now.toISOString().slice(0, 10).replace(/-/g, '')}`)
    requireBucketForPush(flags)
    for (const note of notes) this.note(note)
    // age and the AWS SDK are loaded only when their flags are used: a plain collect starts faster.
    const encryptTo = flags['encrypt-to'] ? (await import('../integrity/age.js')).validateRecipients(flags['encrypt-to']) : undefined
    const signer = flags.key ? await loadSigner(flags.key) : createOneTimeSigner(caseId)
    const result = await collectCase({
      artifacts,
      auditKeys,
      caseId,
      ctime,
      examiner: flags.examiner ?? defaultExaminer(),
      includeContents: flags['include-contents'],
      onInterrupted: (event) => this.interrupted(event),
      onProgress: (event) => this.progress(event),
      onStep: (step) => this.step(step),
      ...(this.showsProgress() ? {onWork: (work: WorkProgress) => this.work.update(work)} : {}),
      outDir: flags['out-dir'],
      phiDirs,
      root,
      signer,
      since,
      toolVersion: this.config.version,
      ...(selected ? {selected} : {}),
      ...(encryptTo ? {encryptTo} : {}),
    })
    // incomplete (a collector skipped for want of its source) is exit 0: the status line and `skipped` say so.
    if (result.status === 'partial') process.exitCode = ExitCode.PartialCollection
    if (flags.push && flags.bucket) {
      result.push = await this.push(result, signer, {...flags, bucket: flags.bucket})
      if (result.push.status !== 'pushed') process.exitCode = ExitCode.PushFailed
    }
    for (const warning of result.warnings) this.note(warning)
    if (!this.jsonEnabled()) this.display(result)
    return result
  }

  /** Push failures never throw away the collection: the bundle stays local, marked pending (exit 5). */
  private async push(result: CollectResult, signer: Signer, flags: PushFlagValues & {bucket: string}): Promise<NonNullable<CollectResult['push']>> {
    this.status(`pushing ${result.tarball} to s3://${flags.bucket} …`)
    try {
      const {pushBundles} = await import('../storage/push-run.js')
      const run = await pushBundles([result.tarball], {...pushOptionsFromFlags(flags), actor: `hipaa-ir collect --push (${result.case})`, signer})
      const pushed = run.pushed[0]
      if (pushed) return {bucket: run.bucket, key: pushed.key, status: 'pushed', version_id: pushed.versionId ?? null}
      const error = run.failed[0]?.error ?? 'not pushed'
      result.warnings.push(`push failed: ${error}; the bundle is kept and pending. Retry with: ${retryPushCommand(dirname(result.tarball), flags)}`)
      return {bucket: flags.bucket, error, status: 'pending'}
    } catch (error) {
      if (!(error instanceof PushError)) throw error
      result.warnings.push(`push failed: ${error.message}; the bundle is kept and pending. Retry with: ${retryPushCommand(dirname(result.tarball), flags)}`)
      return {bucket: flags.bucket, error: error.message, status: 'pending'}
    }
  }

  private display(result: CollectResult): void {
    this.log(`bundle   ${result.tarball}`)
    this.log(`sha256   ${result.tarball_sha256}`)
    this.log(`signed   ${result.signature}`)
    if (result.public_key) this.log(`pub key  ${result.public_key} (one-time)`)
    if (result.bundle_dir) this.log(`folder   ${result.bundle_dir} (${result.files} files)`)
    else this.log('encrypted with age to the --encrypt-to recipients; no plaintext copy kept')
    if (result.push) this.log(`push     ${result.push.status === 'pushed' ? `s3://${result.push.bucket}/${result.push.key} (version ${result.push.version_id}), retention read back` : `PENDING (exit 5): ${result.push.error}`}`)
    this.log(statusLine(result))
  }

  /** Ctrl-C, SIGTERM, SIGHUP or SIGQUIT before the bundle is sealed: say where the evidence is (one JSON document under --json); the workflow then exits. */
  private interrupted(event: Interrupted): void {
    this.work.stop()
    if (this.jsonEnabled()) {
      const error: JsonError = {code: 'E_INTERRUPTED', exit: event.exitCode, message: event.message, name: 'Interrupted'}
      if (event.keptAt !== null) error.suggestions = [`collect again; keep ${event.keptAt} as a record of what was gathered before the interruption`]
      process.stdout.write(`${JSON.stringify({error}, null, 2)}\n`)
      return
    }
    process.stderr.write(`\nhipaa-ir: ${event.message}. It is not a bundle: collect again to get a signed one.\n`)
  }

  /** Inside a collector, on a terminal: each command as it ends and each log file as it is read. */
  private step(step: AcquisitionStep): void {
    const line = stepLine(step)
    if (line !== undefined) this.status(`      ${line}`)
  }

  /** The live line inside the PHI walk and sealing: a terminal only, never under --json. */
  private readonly work = new WorkDisplay()

  private showsProgress(): boolean {
    return !this.jsonEnabled() && process.stderr.isTTY === true
  }

  /** Every other line clears the live one first, so they never mix. */
  protected override status(message: string): void {
    this.work.stop()
    super.status(message)
  }

  private progress(event: ProgressEvent): void {
    if (event.id === 'seal') {
      this.status(event.phase === 'start' ? 'sealing: hashing every file, writing the tarball, signing …' : `sealed (${event.durationMs} ms)`)
      return
    }
    if (event.phase === 'start') this.status(`[${event.index}/${event.total}] ${event.id} …`)
    else this.status(`[${event.index}/${event.total}] ${event.id} ${event.status} (${event.durationMs} ms)${walkSummary(event.counts)}`)
  }
}
