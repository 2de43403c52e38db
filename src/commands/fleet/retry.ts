import {BaseCommand} from '../../cli/base-command.js'
import {fleetFlags} from '../../cli/fleet-flags.js'
import {fleetCommand, type FleetResult} from '../../fleet/fleet-command.js'

export default class FleetRetry extends BaseCommand<FleetResult> {
  static override summary = 'Run a fleet collection again on the hosts that are not done, their state read afresh from the hosts and S3'
  static override description = `Asks every host of the inventory for its state (a probe that changes nothing), checks S3, and runs the collection only on hosts whose bundle is not stored: an unreachable host is collected now, a pending one pushes its kept bundle (push --pending). When every host is stored it does nothing and says so. Same flags and exit codes as fleet collect; the table that fleet collect prints ends with this command, ready to run.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --bucket ir-evidence --inventory hosts.ini --release hipaa-ir-0.1.0-linux-x64.tar.gz',
  ]

  static override flags = fleetFlags

  async run(): Promise<FleetResult> {
    const {flags} = await this.parse(FleetRetry)
    return fleetCommand({jsonEnabled: () => this.jsonEnabled(), log: (t) => this.log(t), note: (t) => this.note(t), version: this.config.version}, flags, true)
  }
}
