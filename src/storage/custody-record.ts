/**
 * Wires push's proof to the chain of custody: a signed `retention-verified` event in the
 * sidecar `NAME.custody.jsonl`, naming the bucket, key, VersionId, mode and retain-until date.
 * A new sidecar continues the chain inside the bundle (`NAME/custody.jsonl`).
 */
import {resolveBundleTarget} from '../integrity/bundle-target.js'
import {appendSidecarEvent} from '../integrity/custody-files.js'
import type {Signer} from '../integrity/signer.js'
import {PROOF_DESCRIPTIONS} from './proof.js'
import type {RecordVerified, RetentionVerifiedEvent} from './push-bundle.js'

export function retentionNote(event: RetentionVerifiedEvent): string {
  return [
    `s3://${event.bucket}/${event.key}`,
    `version ${event.versionId ?? 'none'}`,
    // The sidecar holds this event, so it goes up after it: its VersionId is in NAME.push.json.
    ...(['sig', 'pub'] as const).filter((role) => event.versions?.[role] !== undefined).map((role) => `.${role} version ${event.versions?.[role]}`),
    `mode ${event.mode ?? 'none'}`,
    `retain-until ${event.retainUntil ?? 'none'}`,
    `legal-hold ${event.legalHold ? 'on' : 'off'}`,
    event.proof === undefined ? 'size and SHA-256 read back' : `proof ${event.proof}: ${PROOF_DESCRIPTIONS[event.proof]}`,
  ].join('; ')
}

/**
 * The recorder push calls once the tarball is proven stored: a signed `retention-verified` event appended to the
 * bundle's sidecar by appendSidecarEvent (which links a new sidecar to the in-bundle chain).
 */
export function createCustodyRecorder(tarball: string, signer: Signer, actor: string): RecordVerified {
  return async (_custodyFile, event) => {
    await appendSidecarEvent(await resolveBundleTarget(tarball), {
      action: 'retention-verified', actor, bundleSha256: event.bundleSha256, note: retentionNote(event),
    }, signer)
  }
}
