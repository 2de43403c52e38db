import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {fleetFlags} from '../../cli/fleet-flags.js'
import {fleetCommand, type FleetResult} from '../../fleet/fleet-command.js'

export default class FleetCollect extends BaseCommand<FleetResult> {
  static override summary = 'Collect evidence on every host of an Ansible inventory, each host pushing its own bundle to S3 Object Lock'
  static override description = `Runs the playbook shipped with hipaa-ir (ansible-core on this machine; only sshd on the hosts). Each host installs the pinned release (checked by SHA-256), collects, and pushes its bundle to s3://B/[P/]CASE/HOST/; the controller gets back only the small collect --json document. Each host's state comes from the host (its NAME.push.json) and from S3, so running again is safe: a host already done is skipped, a pending one runs push --pending.

States: done (pushed and read back), partial (pushed; a collector failed), pending (bundle kept on the host), failed (no bundle), no-answer (unreachable), not-started (paused by --max-fail). Exit 0 all done; 4 all stored, some partial; 5 some pending; 6 a host has no stored bundle. The table ends with the exact retry command.

S3 credentials reach each host only as a 0600 file that is removed when that host's run ends, never in an environment variable, a command line or a log.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --inventory hosts.ini --case IR-2026-014 --bucket ir-evidence --release hipaa-ir-0.1.0-linux-x64.tar.gz --credentials case-creds --canary 1 --max-fail 10%',
    '<%= config.bin %> <%= command.id %> --inventory hosts.yml --case IR-2026-014 --bucket ir-evidence --release hipaa-ir-0.1.0-linux-x64.tar.gz --transport relay',
  ]

  static override flags = {
    ...fleetFlags,
    recollect: Flags.boolean({default: false, description: 'collect again on hosts that already have a bundle for the case (both bundles are kept)'}),
  }

  async run(): Promise<FleetResult> {
    const {flags} = await this.parse(FleetCollect)
    return fleetCommand({jsonEnabled: () => this.jsonEnabled(), log: (t) => this.log(t), note: (t) => this.note(t), version: this.config.version}, flags, false)
  }
}
