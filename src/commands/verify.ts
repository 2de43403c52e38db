import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {ExitCode} from '../cli/exit-codes.js'
import {VerificationError} from '../core/errors.js'
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
  publicKey: {fingerprint: string; path: string; source: 'flag' | 'next-to-bundle'}
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

For s3://BUCKET/KEY the object is streamed down with its .sig and verified the same way; its Object Lock retention must also be the required mode (--mode, COMPLIANCE by default) and still in force, else exit 3 (retention).

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
  }

  async run(): Promise<VerifyResult> {
    const {args, flags} = await this.parse(Verify)
    // Read before anything else, so a shared or malformed identity file is refused up front (exit 2).
    const identities = flags.identity === undefined ? undefined : await (await import('../integrity/age.js')).readAgeIdentities(flags.identity)
    if (!args.target.startsWith('s3://')) return this.verifyLocal(args.target, flags.pub, [], [], undefined, identities)
    // s3://: stream the object (and its .sig and one-time .pub) down, check its retention, then verify it like a local one.
    // The AWS SDK is loaded only for s3:// targets (about 0.2 s of start-up).
    const {downloadAndCheckRetention} = await import('../storage/verify-remote.js')
    const remote = await downloadAndCheckRetention(args.target, {requiredMode: flags.mode, ...(flags.endpoint === undefined ? {} : {endpoint: flags.endpoint})})
    try {
      const notes = [`s3://${remote.bucket}/${remote.key} version ${remote.versionId ?? '(unversioned)'}: ${remote.retention.mode ?? 'no'} retention until ${remote.retention.retainUntil ?? '-'}${remote.retention.legalHold ? ', legal hold' : ''}`]
      return await this.verifyLocal(remote.localTarball, flags.pub, remote.problems, notes, args.target, identities)
    } finally {
      await removePrivateTempDir(remote.downloadDir)
    }
  }

  private async verifyLocal(
    path: string, pub: string | undefined, extraProblems: VerifyProblem[], notes: string[], shownAs?: string, identities?: string[],
  ): Promise<VerifyResult> {
    const target = await resolveBundleTarget(path)
    const publicKey = await resolvePublicKey(target, pub)
    const warnings: string[] = [...notes]
    if (publicKey.source === 'next-to-bundle') warnings.push(KEY_NEXT_TO_BUNDLE_WARNING)

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
      publicKey: {fingerprint: hex(publicKey.key.keynum), path: publicKey.path, source: publicKey.source},
      signatures: report.signatures,
      target: shownAs ?? target.path,
      type: target.kind,
      warnings,
    }
    if (this.jsonEnabled()) {
      if (!result.ok) process.exitCode = ExitCode.VerificationFailed
      return result
    }
    this.log(`public key: ${result.publicKey.path} (key ${result.publicKey.fingerprint}, ${result.publicKey.source === 'flag' ? 'from --pub' : 'found next to the bundle'})`)
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
