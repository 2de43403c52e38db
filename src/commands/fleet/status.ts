import {BaseCommand} from '../../cli/base-command.js'
import {fleetCaseFlags, openFleetCase} from '../../cli/fleet-flags.js'
import {terminalText} from '../../core/terminal-text.js'
import type {StatusRow, StatusState} from '../../fleet/fleet-status.js'

export interface FleetStatusResult {
  bucket: string
  case: string
  counts: Record<StatusState, number>
  hosts: StatusRow[]
  manifest: null | string
  run: null | string
}

export default class FleetStatus extends BaseCommand<FleetStatusResult> {
  static override summary = 'Per-host state of a fleet case, read back from S3'
  static override description = `Reads the case from the bucket: every bundle under s3://B/[P/]CASE/HOST/, and the latest run manifest under CASE/_fleet/RUN/ (its signature is checked by fleet verify, not here). With --inventory, hosts of the inventory that have no bundle and that no run reached are listed as not-started.

The state per host is the manifest's (done, partial, pending, failed, no-answer), corrected by what the bucket holds now: a host the manifest calls pending whose bundle has since been pushed is done; a host it calls done whose object is missing is failed.

Read-only. Exit: 0 all done; 4 all stored, some partial; 5 some pending; 6 at least one host has no stored bundle (failed, no-answer, not-started); as fleet collect.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --bucket ir-evidence --inventory hosts.ini',
    '<%= config.bin %> <%= command.id %> --case IR-2026-014 --bucket ir-evidence --json',
  ]

  static override flags = {...fleetCaseFlags}

  async run(): Promise<FleetStatusResult> {
    const {flags} = await this.parse(FleetStatus)
    const {client, inventory} = await openFleetCase(flags)
    const {listCase} = await import('../../fleet/case-listing.js')
    const {fleetManifestKeys, readFleetManifest} = await import('../../fleet/manifest.js')
    const {fleetStatus} = await import('../../fleet/fleet-status.js')
    try {
      const listing = await listCase(client, flags.bucket, flags.prefix, flags.case)
      const run = flags.run ?? listing.runs.at(-1)
      const manifest = run === undefined ? undefined : await readFleetManifest(client, flags.bucket, fleetManifestKeys(flags.prefix, flags.case, run))
      const summary = fleetStatus(listing, manifest?.manifest, inventory)
      const result: FleetStatusResult = {
        bucket: flags.bucket, case: flags.case, counts: summary.counts, hosts: summary.rows, manifest: manifest?.keys.manifest ?? null, run: run ?? null,
      }
      if (summary.exitCode !== 0) process.exitCode = summary.exitCode
      if (!this.jsonEnabled()) this.printTable(result, listing.folder)
      return result
    } finally {
      client.destroy()
    }
  }

  private printTable(result: FleetStatusResult, folder: string): void {
    const say = (line: string): void => this.log(terminalText(line))
    say(`case ${result.case} → s3://${result.bucket}/${folder}   run ${result.run ?? '(no run manifest)'}   ${result.hosts.length} hosts`)
    const cells = result.hosts.map((r) => [r.inventory_name ?? r.host ?? '-', r.address ?? '-', r.state, r.time ?? '-', r.bundle ?? '-', r.note])
    const header = ['HOST', 'ADDRESS', 'STATE', 'TIME', 'BUNDLE', 'NOTE']
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)))
    for (const row of [header, ...cells]) say(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd())
    say(Object.entries(result.counts).filter(([, n]) => n > 0).map(([state, n]) => `${n} ${state}`).join(' · '))
  }
}
