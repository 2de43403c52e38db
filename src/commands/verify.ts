import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {ExitCode} from '../cli/exit-codes.js'
import {UsageError, VerificationError} from '../core/errors.js'
import {type BundleTargetKind, KEY_NEXT_TO_BUNDLE_WARNING, resolveBundleTarget, resolvePublicKey} from '../integrity/bundle-target.js'
import {type BundleDirReport, type SignatureStatus, type VerifyProblem, verifyBundleDir, verifyBundleTarball} from '../integrity/bundle-verify.js'
import {verifyEncryptedBundle} from '../integrity/encrypted-verify.js'
import {hex} from '../integrity/signify-format.js'
import {removePrivateTempDir} from '../io/private-temp.js'

export interface VerifyResult {
  ok: boolean
  target: string
  type: BundleTargetKind
  bundle: string
  publicKey: {fingerprint: string; path: string; source: 'bucket' | 'flag' | 'next-to-bundle'}
  signatures: SignatureStatus[]
  filesChecked: number
  manifestFiles: number
  custodyEvents: number
  problems: VerifyProblem[]
  warnings: string[]
}

export default class Verify extends BaseCommand<VerifyResult> {
  static override summary = 'Check that a bundle is intact: signatures, every file hash, the manifest'
  static override description = `TARGET is a bundle tarball (NAME.tar.gz), an extracted bundle folder (NAME/), or an age-encrypted tarball (NAME.tar.gz.age: its signature is checked, and with --identity it is decrypted into a private temporary folder and everything inside is checked too).

Checks the detached NAME.tar.gz.sig, unpacks the tarball safely into a private temporary folder (no "..", absolute paths, links, devices; size limits), checks SHA256SUMS.sig, re-hashes every file against SHA256SUMS and manifest.json files[], and checks the in-bundle custody chain.

Every problem is named: hash-mismatch, missing, extra, bad-signature, wrong-key, malformed. Exit 3 when there is any.

For s3://BUCKET/KEY the version that was pushed is streamed down with its .sig (and one-time .pub) and verified the same way: the versions recorded in the push receipt (--receipt, or ./NAME.push.json when present), or --version-id, else the oldest version of each (the one locked first). Any newer version of the tarball, .sig or .pub with other content is a problem (superseded, exit 3): someone with write access uploaded it, and a plain download would get it. Its Object Lock retention must also be the required mode (--mode, COMPLIANCE by default) and still in force, else exit 3 (retention). A .pub taken from the same bucket proves integrity, not origin: pass --pub.

The public key comes from --pub, else NAME.pub or hipaa-ir.pub next to the bundle (which proves integrity, not origin).`

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
    pub: Flags.string({description: 'signify public key to check the signatures against (default: NAME.pub or hipaa-ir.pub next to the bundle)'}),
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
    const target = await resolveBundleTarget(path)
    const publicKey = await resolvePublicKey(target, pub)
    const warnings: string[] = [...notes]
    const fromBucket = publicKey.source === 'next-to-bundle' ? keyFromBucket : undefined
    if (publicKey.source === 'next-to-bundle') warnings.push(fromBucket?.warning ?? KEY_NEXT_TO_BUNDLE_WARNING)

    let report: BundleDirReport & {top?: string}
    if (target.kind === 'directory') report = await verifyBundleDir(target.path, {publicKey: publicKey.key})
    else if (target.kind === 'encrypted') {
      report = await verifyEncryptedBundle(target, publicKey.key, identities)
      if (identities === undefined) {
        warnings.push('the bundle is age-encrypted: only the signature over the ciphertext was checked; add --identity FILE (the age identity it was encrypted to) to check its contents')
      }
    } else report = await verifyBundleTarball(target.path, {publicKey: publicKey.key})
    if (identities !== undefined && target.kind !== 'encrypted') warnings.push('--identity is only used for an age-encrypted bundle (NAME.tar.gz.age); this one is not encrypted')
    if (report.top !== undefined && report.top !== target.name) {
      warnings.push(`the tarball's top folder is ${report.top}/, not ${target.name}/ (renamed tarball?)`)
    }

    const result: VerifyResult = {
      bundle: report.top ?? target.name,
      custodyEvents: report.custodyEvents,
      filesChecked: report.filesChecked,
      manifestFiles: report.manifestFiles,
      ok: report.problems.length === 0 && extraProblems.length === 0,
      problems: [...extraProblems, ...report.problems],
      publicKey: {fingerprint: hex(publicKey.key.keynum), path: fromBucket?.shownAs ?? publicKey.path, source: fromBucket === undefined ? publicKey.source : 'bucket'},
      signatures: report.signatures,
      target: shownAs ?? target.path,
      type: target.kind,
      warnings,
    }
    if (this.jsonEnabled()) {
      if (!result.ok) process.exitCode = ExitCode.VerificationFailed
      return result
    }
    this.log(`public key: ${result.publicKey.path} (key ${result.publicKey.fingerprint}, ${{bucket: 'from the same bucket', flag: 'from --pub', 'next-to-bundle': 'found next to the bundle'}[result.publicKey.source]})`)
    for (const warning of warnings) this.note(warning)
    for (const signature of result.signatures) this.log(`signature ${signature.file}: ${signature.status}`)
    if (result.ok) {
      this.log(`OK: ${result.bundle} is intact: ${result.filesChecked} files match SHA256SUMS, ${result.manifestFiles} manifest entries match, ${result.custodyEvents} custody events check out`)
      return result
    }
    for (const problem of result.problems) this.log(`${problem.kind.padEnd(13)} ${problem.path}: ${problem.detail}`)
    throw new VerificationError(`${result.bundle} failed verification: ${result.problems.length} problem(s) listed above`)
  }
}
