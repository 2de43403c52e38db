/**
 * Wires push's read-back to the chain of custody: a signed `retention-verified` event in the
 * sidecar `NAME.custody.jsonl`, naming the bucket, key, VersionId, mode and retain-until date.
 * A new sidecar continues the chain inside the bundle (`NAME/custody.jsonl`).
 */
import {readFile} from 'node:fs/promises'

import {errnoCode} from '../core/errors.js'
import {appendCustodyEvent, type CustodyAnchor} from '../integrity/custody.js'
import {nextLink} from '../integrity/custody-chain.js'
import type {Signer} from '../integrity/signer.js'
import type {RecordVerified, RetentionVerifiedEvent} from './push-bundle.js'
import {readBundleMember} from '../integrity/safe-extract.js'

export function retentionNote(event: RetentionVerifiedEvent): string {
  return [
    `s3://${event.bucket}/${event.key}`,
    `version ${event.versionId ?? 'none'}`,
    `mode ${event.mode ?? 'none'}`,
    `retain-until ${event.retainUntil ?? 'none'}`,
    `legal-hold ${event.legalHold ? 'on' : 'off'}`,
    'size and SHA-256 read back',
  ].join('; ')
}

async function sidecarIsEmpty(file: string): Promise<boolean> {
  try {
    return (await readFile(file, 'utf8')).trim() === ''
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return true
    throw error
  }
}

/** Where a new sidecar starts: right after the bundle's own custody chain (or at the start when it has none). */
async function bundleAnchor(tarball: string): Promise<CustodyAnchor | undefined> {
  const inBundle = await readBundleMember(tarball, 'custody.jsonl').catch(() => undefined)
  return inBundle === undefined ? undefined : nextLink(inBundle.toString('utf8'))
}

export function createCustodyRecorder(tarball: string, signer: Signer, actor: string): RecordVerified {
  return async (custodyFile, event) => {
    const anchor = (await sidecarIsEmpty(custodyFile)) ? await bundleAnchor(tarball) : undefined
    await appendCustodyEvent(custodyFile, {
      action: 'retention-verified', actor, bundleSha256: event.bundleSha256, note: retentionNote(event),
    }, signer, anchor === undefined ? {} : {anchor})
  }
}
