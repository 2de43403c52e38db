import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../cli/exit-codes.js'
import {fleetCaseFlags, openFleetCase} from '../../cli/fleet-flags.js'
import {VerificationError} from '../../core/errors.js'
import {terminalText} from '../../core/terminal-text.js'
import type {FleetVerifyResult} from '../../fleet/fleet-verify.js'

export default class FleetVerify extends BaseCommand<FleetVerifyResult> {
  static override summary = 'Verify every bundle of a fleet case against its signed run manifest'
  static override description = `Verifies every bundle under s3://B/[P/]CASE/ exactly as verify s3:// does (both signatures, every hash, the manifest, the custody chain, Object Lock retention in the required mode, and any newer version of the tarball, .sig or .pub with other content), taking the version the run manifest records. Then checks the run manifest (CASE/_fleet/RUN/fleet-manifest.json, the latest run unless --run): its signify signature (against --pub, else the fleet-manifest.pub stored beside it, which proves integrity, not origin), no rewritten version, and each tarball's SHA-256 against the one the host reported. With --inventory, every inventory host without a bundle is named.

Exit 3 on any problem, naming the host and what is wrong.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --bucket ir-evidence --inventory hosts.ini --pub /root/keys/examiner.pub',
  ]

  static override flags = {
    ...fleetCaseFlags,
    'bundle-pub': Flags.string({description: "signify public key the bundles were signed with (default: each bundle's one-time NAME.pub from the bucket)"}),
    mode: Flags.string({default: 'compliance', description: 'the Object Lock mode every object must still be under', options: ['compliance', 'governance']}),
    pub: Flags.string({description: "the examiner's signify public key that signed the run manifest (default: fleet-manifest.pub from the bucket)"}),
  }

  async run(): Promise<FleetVerifyResult> {
    const {flags} = await this.parse(FleetVerify)
    const {client, endpoint, inventory} = await openFleetCase(flags)
    const {verifyFleet} = await import('../../fleet/fleet-verify.js')
    let result: FleetVerifyResult
    try {
      result = await verifyFleet({
        bucket: flags.bucket, caseId: flags.case, client, mode: flags.mode,
        ...(flags['bundle-pub'] === undefined ? {} : {bundlePub: flags['bundle-pub']}),
        ...(endpoint === undefined ? {} : {endpoint}),
        ...(inventory === undefined ? {} : {inventory}),
        ...(flags.prefix === undefined ? {} : {prefix: flags.prefix}),
        ...(flags.pub === undefined ? {} : {pub: flags.pub}),
        ...(flags.run === undefined ? {} : {run: flags.run}),
      })
    } finally {
      client.destroy()
    }
    if (this.jsonEnabled()) {
      if (!result.ok) process.exitCode = ExitCode.VerificationFailed
      return result
    }
    const say = (line: string): void => this.log(terminalText(line))
    for (const note of result.notes) this.note(note)
    if (result.manifest !== null) {
      const m = result.manifest
      say(`manifest ${m.key === '' ? '(none)' : `s3://${result.bucket}/${m.key}`}: signature ${m.signature}${m.signer === null ? '' : ` (key ${m.signer.fingerprint}, ${m.signer.source === 'flag' ? 'from --pub' : 'from the same bucket'})`}`)
      for (const problem of m.problems) say(`  problem: ${problem}`)
    }
    for (const b of result.bundles) {
      say(`${b.ok ? 'OK  ' : 'FAIL'} ${b.inventory_name ?? b.host}  s3://${result.bucket}/${b.key} version ${b.version_id}${b.sha256 === null ? '' : ` sha256 ${b.sha256}`}`)
      for (const problem of b.problems) say(`     ${problem}`)
    }
    for (const m of result.missing) say(`MISSING ${m.inventory_name}${m.address === null ? '' : ` (${m.address})`}: ${m.reason}`)
    if (!result.ok) {
      const failed = result.bundles.filter((b) => !b.ok).length
      throw new VerificationError(`fleet case ${result.case} failed verification: ${failed} bundle(s) with problems, ${result.missing.length} host(s) without a bundle, ${result.manifest?.problems.length ?? 0} manifest problem(s)`)
    }
    say(`OK: ${result.bundles.length} bundle(s) of case ${result.case} verified${result.run === null ? '' : ` against run ${result.run}`}`)
    return result
  }
}
