/**
 * What `verify s3://` hands to the local verifier: the downloaded pushed versions, the server-side
 * problems, notes naming every version taken, and how to name a .pub that came from the bucket
 * (its S3 key and VersionId, never the temporary path it was downloaded to).
 */
import {BUNDLE_SUFFIX, parseS3Url} from './object-key.js'
import {findPushReceipt, readPushReceipt, type PushReceipt} from './push-receipt.js'
import {downloadAndCheckRetention, type RemoteCheck, type RemoteObject} from './verify-remote.js'

export interface RemoteVerifyFlags {
  endpoint?: string
  mode: string
  receipt?: string
  'version-id'?: string
}

export interface RemoteVerifyInputs {
  check: RemoteCheck
  keyFromBucket?: {shownAs: string; warning: string}
  notes: string[]
}

export const BUCKET_KEY_WARNING = 'the public key came from the same bucket as the bundle: anyone who can write the bundle there can write a key too, '
  + 'so it proves the bundle is intact (unchanged since signing), not who signed it; pass --pub with the key you obtained separately to prove origin'

const describe = (o: RemoteObject) => `s3://${o.key} version ${o.versionId}${o.lastModified === null ? '' : ` of ${o.lastModified}`}`

export async function remoteVerifyInputs(url: string, flags: RemoteVerifyFlags, cwd = process.cwd()): Promise<RemoteVerifyInputs> {
  const name = (parseS3Url(url)?.key.split('/').pop() ?? '').replace(BUNDLE_SUFFIX, '')
  let receipt: PushReceipt | undefined
  if (flags.receipt !== undefined) receipt = await readPushReceipt(flags.receipt, name)
  else if (flags['version-id'] === undefined && name !== '') {
    // A receipt in the current folder for exactly this object is used; one for another object is ignored.
    const found = await findPushReceipt(cwd, name)
    const parsed = parseS3Url(url)
    if (found !== undefined && found.state.bucket === parsed?.bucket && found.state.key === parsed?.key) receipt = found
  }
  const check = await downloadAndCheckRetention(url, {
    requiredMode: flags.mode,
    ...(flags.endpoint === undefined ? {} : {endpoint: flags.endpoint}),
    ...(receipt === undefined ? {} : {receipt}),
    ...(flags['version-id'] === undefined ? {} : {versionId: flags['version-id']}),
  })
  const bucketPrefix = (o: RemoteObject) => describe({...o, key: `${check.bucket}/${o.key}`})
  const notes = [
    `${bucketPrefix(check.tarball)}: ${check.retention.mode ?? 'no'} retention until ${check.retention.retainUntil ?? '-'}${check.retention.legalHold ? ', legal hold' : ''}`
      + `${check.sig === null ? '' : `; signature ${bucketPrefix(check.sig)}`}${check.pub === null ? '' : `; public key ${bucketPrefix(check.pub)}`}`,
    ...check.notes,
  ]
  return {
    check, notes,
    ...(check.pub === null ? {} : {keyFromBucket: {shownAs: bucketPrefix(check.pub), warning: BUCKET_KEY_WARNING}}),
  }
}
