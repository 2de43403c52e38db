import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import cliProgress from 'cli-progress'
import {basename, dirname, resolve} from 'node:path'

import {pushFlags, pushOptionsFromFlags, retryPushCommand} from '../cli/push-flags.js'
import {BaseCommand} from '../cli/base-command.js'
import {transferStats} from '../cli/transfer-rate.js'
import {PushError, UsageError} from '../core/errors.js'
import {PROOF_DESCRIPTIONS} from '../storage/proof.js'
import type {PushProgress} from '../storage/push-bundle.js'
import {findPendingBundles, pushBundles, type PushRunResult} from '../storage/push-run.js'
import {DEFAULT_RETENTION_YEARS} from '../storage/retention.js'

const MiB = 1024 * 1024

export default class Push extends BaseCommand<PushRunResult> {
  static override summary = 'Upload a bundle to a WORM (S3 Object Lock) bucket and prove the server stored it'
  static override description = `Uploads NAME.tar.gz, its .sig, a one-time NAME.pub if present, and the custody sidecar NAME.custody.jsonl to PREFIX/CASE/HOST/ in the bucket, under Object Lock: COMPLIANCE mode by default, retained for ${DEFAULT_RETENTION_YEARS} years (HIPAA documentation retention, 45 CFR 164.530(j)).

Before writing anything, the bucket's Object Lock configuration is read; a bucket without Object Lock is refused (exit 5) and nothing is written. No test object is ever written.

Every object is proven on its exact VersionId without moving its bytes again: the server's ETag must equal the MD5 computed from the bytes as they were sent (for multipart, the MD5 of the part MD5s; each part's ETag is checked as it is sent), its size and VersionId must match, and its retention mode, retain-until date and legal hold must be the ones asked for. A SHA-256 checksum kept by the server (AWS) is compared too. --read-back also streams every object back and compares its SHA-256 (every byte then moves twice). NAME.push.json and --json name the proof used (proof: etag-md5, checksum-sha256 or read-back); anything that cannot be proven fails the push. Only then is the bundle marked pushed in NAME.push.json and, with --key, a signed retention-verified event appended to the custody sidecar. Until then the bundle stays pending (exit 5) and is never deleted; push --pending --out-dir DIR retries every pending bundle.

Credentials come only from the standard AWS chain (environment, profile, instance role); the endpoint from --endpoint or AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /var/lib/hipaa-ir/IR-2026-014_db1_20260303T101500Z.tar.gz --bucket ir-evidence --key /root/.hipaa-ir/hipaa-ir.sec',
    '<%= config.bin %> <%= command.id %> --pending --out-dir /var/lib/hipaa-ir --bucket ir-evidence --key /root/.hipaa-ir/hipaa-ir.sec',
    '<%= config.bin %> <%= command.id %> BUNDLE.tar.gz --bucket drill-bucket --mode governance --retain-days 1 --endpoint http://127.0.0.1:7480',
  ]

  static override args = {
    bundle: Args.string({description: 'the bundle tarball (NAME.tar.gz); omit with --pending'}),
  }

  static override flags = {
    ...pushFlags,
    bucket: Flags.string({description: 'the bucket (created beforehand with Object Lock enabled)', required: true}),
    by: Flags.string({description: 'who the custody event names (default: hipaa-ir push by USER@HOST)'}),
    key: Flags.string({description: 'signify secret key that signs the retention-verified custody event'}),
    'out-dir': Flags.string({description: 'with --pending: the folder holding the bundles'}),
    pending: Flags.boolean({default: false, description: 'push every bundle in --out-dir that is not yet proven uploaded'}),
  }

  async run(): Promise<PushRunResult> {
    const {args, flags} = await this.parse(Push)
    let bundles: string[]
    if (flags.pending) {
      if (flags['out-dir'] === undefined) throw new UsageError('--pending needs --out-dir DIR')
      if (args.bundle !== undefined) throw new UsageError('give either a BUNDLE or --pending --out-dir DIR, not both')
      bundles = await findPendingBundles(resolve(flags['out-dir']))
    } else {
      if (args.bundle === undefined) throw new UsageError('missing BUNDLE (or use --pending --out-dir DIR)')
      bundles = [args.bundle]
    }
    if (bundles.length === 0) {
      const empty: PushRunResult = {bucket: flags.bucket, endpoint: null, failed: [], locked: true, pushed: []}
      if (!this.jsonEnabled()) this.log('nothing pending')
      return empty
    }

    const bar = this.progressBar()
    const retry = `fix the cause, then: ${retryPushCommand(flags['out-dir'] ?? dirname(resolve(bundles[0] as string)), flags)}`
    const result = await pushBundles(bundles, {
      ...pushOptionsFromFlags(flags),
      ...(flags.by === undefined ? {} : {actor: flags.by}),
      ...(flags.key === undefined ? {} : {keyFile: flags.key}),
      ...(bar === undefined ? {} : {onProgress: bar.update}),
    }).catch((error: unknown) => {
      // A failure before any bundle (unreachable or silent server, deadline): the bundles are pending; say how to retry.
      if (!(error instanceof PushError)) throw error
      throw new PushError(error.message, {cause: error, code: error.code, suggestions: [...error.suggestions, retry]})
    }).finally(() => bar?.stop())

    if (!result.locked) this.note(`bucket ${result.bucket} has no Object Lock: this drill upload can be deleted by anyone with access`)
    if (flags.key === undefined && result.pushed.some((p) => !p.alreadyPushed)) {
      this.note('no --key: the retention-verified custody event was not recorded (push again with --key to add it)')
    }
    if (!this.jsonEnabled()) {
      for (const p of result.pushed) {
        const state = p.alreadyPushed ? 'already pushed' : `pushed and proven (${p.proof === null ? 'read back' : PROOF_DESCRIPTIONS[p.proof]})`
        this.log(`${basename(p.bundle)}: ${state}: s3://${p.bucket}/${p.key} version ${p.versionId ?? 'none'}, ${p.mode ?? 'no lock'} until ${p.retainUntil ?? '-'}${p.legalHold ? ', legal hold' : ''}`)
      }
    }
    if (result.failed.length > 0) {
      throw new PushError(
        `${result.failed.length} of ${bundles.length} bundle(s) not pushed, kept locally and marked pending: ${result.failed.map((f) => f.error).join(' | ')}`,
        {code: 'E_PUSH_FAILED', suggestions: [retry]},
      )
    }
    return result
  }

  /** A byte progress bar with rate and time left, on a TTY only; never under --json. */
  private progressBar(): undefined | {stop: () => void; update: (bundle: string, p: PushProgress) => void} {
    if (this.jsonEnabled() || !process.stderr.isTTY) return undefined
    const bar = new cliProgress.SingleBar({
      clearOnComplete: true, format: '{name} [{bar}] {percentage}% {value}/{total} MiB {rate} ETA {left}', stream: process.stderr,
    }, cliProgress.Presets.shades_classic)
    let current: string | undefined
    let sent = 0
    let started = 0
    return {
      stop: () => bar.stop(),
      update(bundle, p) {
        if (bundle !== current) {
          if (current !== undefined) bar.stop()
          current = bundle
          sent = 0
          started = Date.now()
          bar.start(Math.ceil(p.totalBytes / MiB), 0, {name: basename(bundle), ...barStats(0, p.totalBytes, 0)})
        }
        sent += p.deltaBytes
        bar.update(Math.floor(sent / MiB), barStats(sent, p.totalBytes, Date.now() - started))
      },
    }
  }
}

/** The bar's payload: `left`, because cli-progress fills its own `eta` token (whole seconds, from MiB steps). */
function barStats(sent: number, total: number, elapsedMs: number): {left: string; rate: string} {
  const stats = transferStats(sent, total, elapsedMs)
  return {left: stats.eta, rate: stats.rate}
}
