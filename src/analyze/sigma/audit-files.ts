/**
 * The raw audit records of an extracted bundle (`audit/*.raw`) as Sigma evidence, streamed file by
 * file. An event written under several keys appears once per file; findings count it once.
 */
import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode} from '../../core/errors.js'
import {readLineBatches} from '../../io/line-reader.js'
import {AuditEvidenceGrouper} from './audit-records.js'
import type {SigmaEvidence} from './evidence.js'

export interface BundleAuditSource {
  /** The extracted bundle's folder. */
  readonly dir: string
  readonly host: string
  readonly bundle: string
  readonly verified: boolean
}

/** Every audit event of `audit/*.raw` below the bundle folder (none when the bundle has no audit folder). */
export async function* bundleAuditEvidence(source: BundleAuditSource): AsyncGenerator<SigmaEvidence> {
  let names: string[]
  try {
    names = (await readdir(join(source.dir, 'audit'))).filter((n) => n.endsWith('.raw')).sort()
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return
    throw error
  }
  for (const name of names) {
    const grouper = new AuditEvidenceGrouper({bundle: source.bundle, file: `audit/${name}`, host: source.host, verified: source.verified})
    for await (const batch of readLineBatches(join(source.dir, 'audit', name))) {
      for (const line of batch) yield* grouper.push(line)
    }
    yield* grouper.flush()
  }
}
