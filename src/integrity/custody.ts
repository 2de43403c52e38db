import {hostname} from 'node:os'

import {UsageError, VerificationError} from '../core/errors.js'
import {appendEvidenceFile, refuseUnsafeOutput} from '../io/evidence-fs.js'
import {type CustodyAction, type CustodyAnchor, type CustodyEvent, buildCustodyEvent, CUSTODY_ACTIONS, nextLink, serializeCustodyEvent} from './custody-chain.js'
import {readSideFileText} from './read-optional.js'
import {type Signer, signRaw} from './signer.js'

export {
  BUNDLE_ACTIONS,
  checkCustodyChain,
  CUSTODY_ACTIONS,
  type CustodyAction,
  type CustodyAnchor,
  type CustodyCheck,
  type CustodyEvent,
  type CustodyHead,
  type CustodyProblem,
  type CustodyProblemKind,
  SIDECAR_ACTIONS,
  ZERO_SHA256,
} from './custody-chain.js'

export interface NewCustodyEvent {
  action: CustodyAction
  actor: string
  note?: string
  to?: string
  /** SHA-256 (hex) of what the event is about; see docs/integrity.md for which bytes. */
  bundleSha256: string
  host?: string
  time?: Date
}

/**
 * Appends one signed event to a custody file (created 0600; a link, another user's file or one with
 * other hard links is refused before it is read), linked to its last line. An empty or
 * missing file starts at `options.anchor` (default: seq 1, prev = 64 zeros); the sidecar passes the
 * in-bundle chain's last line as its anchor. Refuses when the last line cannot be read.
 */
export async function appendCustodyEvent(
  file: string,
  event: NewCustodyEvent,
  signer: Signer,
  options: {anchor?: CustodyAnchor} = {},
): Promise<CustodyEvent> {
  if (!(CUSTODY_ACTIONS as readonly string[]).includes(event.action)) {
    throw new UsageError(`unknown custody action ${JSON.stringify(event.action)}; one of: ${CUSTODY_ACTIONS.join(', ')}`)
  }
  if (!/^[0-9a-f]{64}$/.test(event.bundleSha256)) throw new UsageError('bundleSha256 must be a lowercase hex SHA-256')
  if (event.actor.trim() === '') throw new UsageError('the actor (--by) must not be empty')
  refuseUnsafeOutput(file, 'append')
  const text = (await readSideFileText(file)) ?? ''
  if (text !== '' && !text.endsWith('\n')) {
    throw new VerificationError(`${file} ends in a cut-off line; not adding to it`, {suggestions: ['run `hipaa-ir custody show` on the bundle and investigate']})
  }
  let link: CustodyAnchor
  try {
    link = nextLink(text, options.anchor)
  } catch (error) {
    throw new VerificationError(`${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const built = buildCustodyEvent(
    {
      action: event.action,
      actor: event.actor,
      bundle_sha256: event.bundleSha256,
      host: event.host ?? hostname(),
      note: event.note ?? '',
      time: (event.time ?? new Date()).toISOString(),
      to: event.to,
    },
    link,
    signer.fingerprint,
    (message) => signRaw(signer, message),
  )
  await appendEvidenceFile(file, `${serializeCustodyEvent(built)}\n`)
  return built
}
