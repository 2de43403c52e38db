import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {basename} from 'node:path'

import {BaseCommand} from '../cli/base-command.js'
import {ExitCode} from '../cli/exit-codes.js'
import {UsageError, VerificationError} from '../core/errors.js'
import {terminalText, terminalValue} from '../core/terminal-text.js'
import {type VerifyProblem} from '../integrity/bundle-verify.js'
import {shellQuote} from '../integrity/key-files.js'
import {type VerifyResult, verifyTarget} from '../integrity/verify-target.js'
import {removePrivateTempDir} from '../io/private-temp.js'

export type {VerifyResult} from '../integrity/verify-target.js'

export default class Verify extends BaseCommand<VerifyResult> {
  static override summary = 'Check that a bundle is intact: signatures, every file hash, the manifest'
  static override description = `TARGET is a bundle tarball (NAME.tar.gz), an extracted bundle folder (NAME/), or an age-encrypted tarball (NAME.tar.gz.age: its signature is checked, and with --identity it is decrypted into a private temporary folder and everything inside is checked too; without --identity only the signature is checked, said as SIGNATURE ONLY, and JSON has contentsChecked: false).

Checks the detached NAME.tar.gz.sig first: a missing or bad signature means nothing is unpacked or decrypted. Then unpacks the tarball safely into a private temporary folder (no "..", absolute paths, links, devices, nothing after the end-of-archive marker; size limits within the free space), checks SHA256SUMS.sig, re-hashes every file against SHA256SUMS and manifest.json files[], checks the in-bundle custody chain, that the bundle carries the name it was collected under, and that a custody sidecar NAME.custody.jsonl next to it belongs to it.

Every problem is named: hash-mismatch, missing, extra, bad-signature, wrong-key, malformed. Exit 3 when there is any.

For s3://BUCKET/KEY the version that was pushed is streamed down with its .sig (and one-time .pub) and verified the same way: the versions recorded in the push receipt (--receipt, or ./NAME.push.json when present), or --version-id, else the oldest version of each (the one locked first). Any newer version of the tarball, .sig or .pub with other content is a problem (superseded, exit 3): someone with write access uploaded it, and a plain download would get it. Its Object Lock retention must also be the required mode (--mode, COMPLIANCE by default) and still in force, else exit 3 (retention). A .pub taken from the same bucket proves integrity, not origin: pass --pub.

The public key comes from --pub, else hipaa-ir.pub or (for a one-time key) NAME.pub next to the bundle, which proves integrity, not origin: its fingerprint is printed to compare with the one recorded at collection.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /evidence/IR-7_web1_20260301T101500Z.tar.gz --pub /root/keys/hipaa-ir.pub',
    '<%= config.bin %> <%= command.id %> ./IR-7_web1_20260301T101500Z/ --json',
    '<%= config.bin %> <%= command.id %> s3://evidence/IR-7/web1/IR-7_web1_20260301T101500Z.tar.gz --pub /root/keys/hipaa-ir.pub',
  ]

  static override args = {
    target: Args.string({description: 'bundle tarball, extracted bundle folder, or s3://BUCKET/KEY of a pushed tarball', required: true}),
  }

  static override flags = {
    endpoint: Flags.string({description: 's3:// targets: S3 endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS itself)'}),
    mode: Flags.string({default: 'compliance', description: 's3:// targets: the Object Lock mode the object must still be under', options: ['compliance', 'governance']}),
    identity: Flags.string({description: 'NAME.tar.gz.age targets: age identity file (age-keygen -o; mode 0600) to decrypt with, so the contents are verified too'}),
    pub: Flags.string({description: 'signify public key to check the signatures against (default: hipaa-ir.pub, else NAME.pub, next to the bundle)'}),
    receipt: Flags.string({description: 's3:// targets: the push receipt NAME.push.json (or the folder holding it): verify exactly the versions it records (default: ./NAME.push.json if present)', exclusive: ['version-id']}),
    'version-id': Flags.string({description: "s3:// targets: the tarball's S3 VersionId to verify (default: the receipt's, else the oldest)", exclusive: ['receipt']}),
  }

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(Verify)
    // Read before anything else, so a shared or malformed identity file is refused up front (exit 2).
    const identities = flags.identity === undefined ? undefined : await (await import('../integrity/age.js')).readAgeIdentities(flags.identity)
    if (!args.target.startsWith('s3://')) {
      if (flags.receipt !== undefined || flags['version-id'] !== undefined) throw new UsageError('--receipt and --version-id are for s3:// targets only')
      return this.verifyLocal(args.target, flags.pub, [], [], undefined, identities)
    }
    // s3://: stream the pushed versions (tarball, .sig, one-time .pub) down, check retention and newer versions, then verify like a local one.
    // The AWS SDK is loaded only for s3:// targets (about 0.2 s of start-up).
    const {remoteVerifyInputs} = await import('../storage/verify-remote-command.js')
    const remote = await remoteVerifyInputs(args.target, flags)
    try {
      return await this.verifyLocal(remote.check.localTarball, flags.pub, remote.check.problems, remote.notes, args.target, identities, remote.keyFromBucket)
    } finally {
      await removePrivateTempDir(remote.check.downloadDir)
    }
  }

  private async verifyLocal(
    path: string, pub: string | undefined, extraProblems: VerifyProblem[], notes: string[], shownAs?: string, identities?: string[],
    /** s3:// targets: how the bucket's .pub is named (never the temporary path it was downloaded to), and the warning for it. */
    keyFromBucket?: {shownAs: string; warning: string},
  ): Promise<VerifyResult> {
    const {result, target} = await verifyTarget(path, {extraProblems, identities, keyFromBucket, notes, pub, shownAs})
    const {fingerprint} = result.publicKey
    const {contentsChecked, warnings} = result
    if (this.jsonEnabled()) {
      if (!result.ok) process.exitCode = ExitCode.VerificationFailed
      return result
    }
    // Everything below may carry names from the bundle (tar members, its top folder): escaped for the terminal.
    const say = (line: string): void => this.log(terminalText(line))
    if (result.publicKey.source === 'next-to-bundle') say(`public key: ${result.publicKey.path} FOUND NEXT TO THE BUNDLE, key ${fingerprint}`)
    else say(`public key: ${result.publicKey.path} (key ${fingerprint}, ${result.publicKey.source === 'flag' ? 'from --pub' : 'from the same bucket'})`)
    if (result.publicKey.source !== 'flag') {
      say(`            this proves integrity, NOT origin: compare ${fingerprint} with the fingerprint recorded at collection, or pass --pub`)
    }
    for (const warning of warnings) this.note(warning)
    for (const signature of result.signatures) say(`signature ${signature.file}: ${signature.status}`)
    if (result.ok && !contentsChecked) {
      say(`SIGNATURE ONLY: ${basename(target.path)} is signed by key ${fingerprint}, but it is encrypted and its contents were NOT checked (no files, manifest or custody chain).`)
      say(`To check inside: hipaa-ir verify ${shellQuote(result.target)} --identity FILE (the age identity it was encrypted to)`)
      return result
    }
    if (result.ok) {
      const origin = result.publicKey.source === 'flag' ? '' : ` (integrity only: signed by key ${fingerprint}, ${result.publicKey.source === 'bucket' ? 'taken from the same bucket' : 'found next to the bundle'})`
      say(`OK: ${result.bundle} is intact: ${result.filesChecked} files match SHA256SUMS, ${result.manifestFiles} manifest entries match, ${result.custodyEvents} custody events check out${origin}`)
      return result
    }
    for (const problem of result.problems) say(terminalValue(`${problem.kind.padEnd(13)} ${problem.path}: ${problem.detail}`))
    throw new VerificationError(`${result.bundle} failed verification: ${result.problems.length} problem(s) listed above`)
  }
}
