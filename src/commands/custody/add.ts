import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import {terminalValue} from '../../core/terminal-text.js'
import {resolveBundleTarget} from '../../integrity/bundle-target.js'
import {type CustodyEvent, serializeCustodyEvent, sha256Hex} from '../../integrity/custody-chain.js'
import {appendSidecarEvent} from '../../integrity/custody-files.js'
import {SIDECAR_ACTIONS} from '../../integrity/custody.js'
import {loadSigner} from '../../integrity/signer.js'

export interface CustodyAddResult {
  event: CustodyEvent
  sidecar: string
  head: string
}

export default class CustodyAdd extends BaseCommand<CustodyAddResult> {
  static override summary = "Append a signed event to a bundle's chain of custody"
  static override description = `Appends one line to NAME.custody.jsonl next to the tarball, signed with --key and linked by SHA-256 to the line before it (the first sidecar line links to the last line of the in-bundle custody.jsonl).

Actions: ${SIDECAR_ACTIONS.join(', ')}. (collected, sealed and signed are written by collect inside the bundle.) "transferred" needs --to.

Prints the new head (SEQ:SHA256): keep it with the receipt, so that removing this line later can be detected (custody show --expect-head).`

  static override examples = [
    '<%= config.bin %> <%= command.id %> IR-7_web1_20260301T101500Z.tar.gz --action transferred --by "J. Doe" --to "A. Smith (counsel)" --key ~/.hipaa-ir/jdoe.sec',
    '<%= config.bin %> <%= command.id %> IR-7_web1_20260301T101500Z.tar.gz --action copied --by jdoe --note "to evidence NAS" --key ~/.hipaa-ir/jdoe.sec',
  ]

  static override args = {
    bundle: Args.string({description: 'bundle tarball (NAME.tar.gz) or extracted bundle folder', required: true}),
  }

  static override flags = {
    action: Flags.string({description: 'what happened', options: [...SIDECAR_ACTIONS], required: true}),
    by: Flags.string({description: 'who did it (the actor)', required: true}),
    to: Flags.string({description: 'who received it (for transferred)'}),
    note: Flags.string({description: 'free text: where, why, ticket number'}),
    key: Flags.string({description: 'signify secret key to sign the event with', required: true}),
  }

  async run(): Promise<CustodyAddResult> {
    const {args, flags} = await this.parse(CustodyAdd)
    if (flags.action === 'transferred' && (flags.to === undefined || flags.to.trim() === '')) {
      throw new UsageError('--action transferred needs --to NAME (who received the evidence)')
    }
    if (flags.by.trim() === '') throw new UsageError('--by must name who did it')
    const target = await resolveBundleTarget(args.bundle)
    const signer = await loadSigner(flags.key)
    const action = flags.action as (typeof SIDECAR_ACTIONS)[number]
    const event = await appendSidecarEvent(target, {action, actor: flags.by, note: flags.note, to: flags.to}, signer)
    const head = `${event.seq}:${sha256Hex(serializeCustodyEvent(event))}`
    if (!this.jsonEnabled()) {
      this.log(terminalValue(`added seq ${event.seq}: ${event.action} by ${event.actor} (on host ${event.host})${event.to ? ` to ${event.to}` : ''} (key ${event.key}) to ${target.sidecarPath}`))
      this.log(`head: ${head}  (keep it with the receipt)`)
    }
    return {event, head, sidecar: target.sidecarPath}
  }
}
