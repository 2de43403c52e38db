/**
 * `verify s3://bucket/key`: picks the versions that were pushed (the receipt's, else the oldest:
 * the one locked first), streams them down into a private folder, checks their Object Lock
 * retention, and reports every newer version of the tarball, .sig or .pub (`superseded`), so the
 * caller can verify the local copy like any bundle. A newer version is what someone holding the push
 * credentials can add under Object Lock; it never replaces the locked one.
 */
import {GetObjectCommand, type S3Client} from '@aws-sdk/client-s3'
import {createWriteStream} from 'node:fs'
import {join} from 'node:path'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import type {VerifyProblem} from '../integrity/bundle-verify.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {ExitCode} from '../cli/exit-codes.js'
import {HipaaIrError, UsageError, VerificationError} from '../core/errors.js'
import {hashFile} from '../io/evidence-fs.js'
import {describeVersion, listKeyVersions, requestVersion, type KeyVersions, type ObjectVersion} from './object-versions.js'
import {BUNDLE_SUFFIX, isSafeSegment, parseS3Url} from './object-key.js'
import type {PushReceipt} from './push-receipt.js'
import type {ObjectRole} from './push-state.js'
import {hashRemoteObject, readRetention} from './read-back.js'
import {parseMode, retentionProblems, type LockMode} from './retention.js'
import {withRetry, type RetryOptions} from './retry.js'
import {createS3Client, describeS3Error, httpStatus, s3ErrorName} from './s3-client.js'

export interface RemoteCheckOptions {
  /** A client to use; otherwise one is built from `endpoint` and the standard AWS chain. */
  client?: S3Client
  /** Where to put the download (created 0700 if missing); default a new folder under the OS temp dir. */
  downloadDir?: string
  endpoint?: string
  now?: Date
  /** The push receipt: its VersionIds are the ones verified, its SHA-256s are compared. */
  receipt?: PushReceipt
  /** The retention mode the object must have: COMPLIANCE unless told otherwise (e.g. 'governance' for drills). */
  requiredMode?: LockMode | string
  retry?: RetryOptions
  /** The tarball's version to verify (--version-id); default the receipt's, else the oldest. */
  versionId?: string
}

export interface RemoteRetention {
  legalHold: boolean
  mode: null | string
  retainUntil: null | string
}

/** One object as verified: its key, the version taken and when it was written. */
export interface RemoteObject {
  key: string
  lastModified: null | string
  versionId: string
}

export interface RemoteCheck {
  bucket: string
  /** The folder holding the downloads; the caller removes it when done. */
  downloadDir: string
  key: string
  localTarball: string
  /** Observations that are not problems: identical later copies, older versions, delete markers, which receipt was used. */
  notes: string[]
  /** What is wrong on the server side (weak or missing retention, missing .sig, superseded versions); empty when all is well. */
  problems: VerifyProblem[]
  /** The one-time `NAME.pub` from the bucket, when it holds one. */
  pub: null | RemoteObject
  pubPath: null | string
  retention: RemoteRetention
  sig: null | RemoteObject
  sigPath: null | string
  /** The tarball version verified. */
  tarball: RemoteObject
  versionId: null | string
}

type CheckedRole = Extract<ObjectRole, 'pub' | 'sig' | 'tarball'>

interface Picked {
  chosen: ObjectVersion
  index: number
  list: KeyVersions
}

/** The pushed version of one key: the receipt's (or --version-id), else the oldest. */
function pick(list: KeyVersions | undefined, pinned: string | undefined): Picked | undefined | 'pinned-missing' {
  if (list === undefined || list.versions.length === 0) return pinned === undefined ? undefined : 'pinned-missing'
  const index = pinned === undefined ? list.versions.length - 1 : list.versions.findIndex((v) => v.versionId === pinned)
  if (index < 0) return 'pinned-missing'
  return {chosen: list.versions[index] as ObjectVersion, index, list}
}

async function download(
  client: S3Client, bucket: string, key: string, versionId: string, to: string, retry?: RetryOptions,
): Promise<boolean> {
  try {
    await withRetry(async () => {
      const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key, VersionId: requestVersion(versionId)}))
      await pipeline(out.Body as Readable, createWriteStream(to, {mode: 0o600}))
    }, retry)
    return true
  } catch (error) {
    if (NOT_FOUND.has(s3ErrorName(error) ?? '') || httpStatus(error) === 404) return false
    throw error
  }
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion'])

export async function downloadAndCheckRetention(url: string, opts: RemoteCheckOptions = {}): Promise<RemoteCheck> {
  const parsed = parseS3Url(url)
  const base = parsed?.key.split('/').pop() ?? ''
  if (parsed === undefined || !BUNDLE_SUFFIX.test(base) || !isSafeSegment(base)) {
    throw new UsageError(`${url} is not an s3://BUCKET/KEY URL of a bundle tarball (…/NAME.tar.gz or …/NAME.tar.gz.age)`, {code: 'E_S3_URL'})
  }
  const requiredMode = parseMode(opts.requiredMode ?? 'COMPLIANCE')
  const {bucket, key} = parsed
  const receipt = opts.receipt
  if (receipt !== undefined && (receipt.state.bucket !== bucket || receipt.state.key !== key)) {
    throw new UsageError(`the push receipt ${receipt.path} is for s3://${receipt.state.bucket}/${receipt.state.key}, not ${url}`, {code: 'E_RECEIPT'})
  }
  const client = opts.client ?? createS3Client(opts.endpoint === undefined ? {} : {endpoint: opts.endpoint})
  const dir = opts.downloadDir ?? (await makePrivateTempDir('hipaa-ir-verify-'))
  const stem = key.replace(BUNDLE_SUFFIX, '')
  const name = base.replace(BUNDLE_SUFFIX, '')
  const keys: Record<CheckedRole, string> = {pub: `${stem}.pub`, sig: `${key}.sig`, tarball: key}
  const paths: Record<CheckedRole, string> = {pub: join(dir, `${name}.pub`), sig: join(dir, `${base}.sig`), tarball: join(dir, base)}
  try {
    const listed = await listKeyVersions(client, bucket, stem, Object.values(keys), opts.retry)
    const problems: VerifyProblem[] = []
    const notes: string[] = []
    if (receipt !== undefined) notes.push(`versions as recorded in the push receipt ${receipt.path}${receipt.state.status === 'pushed' ? '' : ` (which says ${receipt.state.status}: that push was never proven)`}`)
    const picked: Partial<Record<CheckedRole, Picked>> = {}
    for (const role of ['tarball', 'sig', 'pub'] as const) {
      const pinned = receipt?.state.objects?.[role]?.versionId ?? (role === 'tarball' ? opts.versionId : undefined)
      const found = pick(listed.get(keys[role]), pinned)
      if (found === 'pinned-missing') {
        if (role === 'tarball') {
          throw new VerificationError(`${url} has no version ${pinned}${receipt === undefined ? '' : ` (recorded in ${receipt.path})`}`, {
            code: 'E_S3_NOT_FOUND', suggestions: [`list its versions: aws s3api list-object-versions --bucket ${bucket} --prefix ${key}`],
          })
        }
        problems.push({detail: `version ${pinned}, recorded in the push receipt, is not in the bucket`, kind: 'missing', path: keys[role]})
        continue
      }
      if (found === undefined) {
        if (role === 'tarball') {
          throw new VerificationError(`${url} does not exist (no version of it is in the bucket)`, {
            code: 'E_S3_NOT_FOUND', suggestions: ['check the bucket and key: push prints them, and NAME.push.json records them'],
          })
        }
        if (role === 'sig') problems.push({detail: "missing from the bucket: the tarball's signature must be stored next to it", kind: 'missing', path: keys.sig})
        continue
      }
      if (!(await download(client, bucket, keys[role], found.chosen.versionId, paths[role], opts.retry))) {
        if (role === 'tarball') throw new VerificationError(`${url}: version ${describeVersion(found.chosen)} is listed but could not be read`, {code: 'E_S3_NOT_FOUND'})
        problems.push({detail: `version ${found.chosen.versionId} is listed but could not be read`, kind: 'missing', path: keys[role]})
        continue
      }
      picked[role] = found
    }
    const tarball = picked.tarball as Picked

    const now = opts.now ?? new Date()
    const retentionOf = (path: string, found: string[]): VerifyProblem[] => found.map((detail) => ({detail, kind: 'retention', path}))
    const retention = await readRetention(client, bucket, key, requestVersion(tarball.chosen.versionId), opts.retry)
    problems.push(...retentionOf(key, retentionProblems(retention, {mode: requiredMode}, now)))
    for (const role of ['sig', 'pub'] as const) {
      const found = picked[role]
      if (found === undefined) continue
      const own = await readRetention(client, bucket, keys[role], requestVersion(found.chosen.versionId), opts.retry)
      problems.push(...retentionOf(keys[role], retentionProblems(own, {mode: requiredMode}, now)))
    }

    for (const role of ['tarball', 'sig', 'pub'] as const) {
      const found = picked[role]
      if (found === undefined) continue
      const local = (await hashFile(paths[role])).sha256
      const recorded = receipt?.state.objects?.[role]?.sha256
      if (recorded !== undefined && recorded !== local) {
        problems.push({detail: `version ${found.chosen.versionId} has SHA-256 ${local}; the push receipt recorded ${recorded}`, kind: 'hash-mismatch', path: keys[role]})
      }
      const later = await laterVersions(client, bucket, found, local, opts.retry)
      problems.push(...later.problems.map((detail) => ({detail, kind: 'superseded' as const, path: keys[role]})))
      notes.push(...later.notes.map((note) => `${keys[role]}: ${note}`))
    }

    const remoteObject = (role: CheckedRole): null | RemoteObject => {
      const found = picked[role]
      return found === undefined ? null : {key: keys[role], lastModified: found.chosen.lastModified?.toISOString() ?? null, versionId: found.chosen.versionId}
    }
    return {
      bucket, downloadDir: dir, key, localTarball: paths.tarball, notes,
      // Superseded first: it is the finding that matters most.
      problems: [...problems.filter((p) => p.kind === 'superseded'), ...problems.filter((p) => p.kind !== 'superseded')],
      pub: remoteObject('pub'),
      pubPath: picked.pub === undefined ? null : paths.pub,
      retention: {
        legalHold: retention.legalHold, mode: retention.mode ?? null, retainUntil: retention.retainUntil?.toISOString() ?? null,
      },
      sig: remoteObject('sig'),
      sigPath: picked.sig === undefined ? null : paths.sig,
      tarball: remoteObject('tarball') as RemoteObject,
      versionId: tarball.chosen.versionId,
    }
  } catch (error) {
    if (opts.downloadDir === undefined) await removePrivateTempDir(dir)
    if (error instanceof HipaaIrError) throw error
    throw new HipaaIrError(`cannot read ${url}: ${describeS3Error(error)}`, ExitCode.Unexpected, {
      cause: error, code: 'E_S3_READ', suggestions: ['check the endpoint (--endpoint or AWS_ENDPOINT_URL_S3), the credentials (standard AWS chain) and s3:ListBucketVersions, s3:GetObjectVersion permission'],
    })
  }
}

/**
 * Versions written after the verified one: a different content is `superseded` (a problem); a
 * byte-identical copy (a retried upload) and anything older or a delete marker are only noted.
 */
async function laterVersions(
  client: S3Client, bucket: string, found: Picked, sha256: string, retry?: RetryOptions,
): Promise<{notes: string[]; problems: string[]}> {
  const {chosen, index, list} = found
  const problems: string[] = []
  const notes: string[] = []
  for (const newer of list.versions.slice(0, index).reverse()) {
    const same = newer.size === chosen.size && (await hashRemoteObject(client, bucket, newer.key, requestVersion(newer.versionId), retry)).sha256 === sha256
    if (same) notes.push(`version ${describeVersion(newer)} is a byte-identical later copy of the verified version ${describeVersion(chosen)}`)
    else {
      problems.push(`version ${describeVersion(newer)} was written after the verified version ${describeVersion(chosen)} with different content: `
        + 'someone with write access to the bucket replaced the current object; a plain download gets the newer one, this check verified the one that was pushed')
    }
  }
  for (const older of list.versions.slice(index + 1)) notes.push(`version ${describeVersion(older)} is older than the verified version ${describeVersion(chosen)}`)
  const chosenTime = chosen.lastModified?.getTime() ?? 0
  for (const marker of list.markers) {
    if ((marker.lastModified?.getTime() ?? 0) >= chosenTime) notes.push(`a delete marker ${describeVersion(marker)} hides it from plain reads; the locked version is still there`)
  }
  return {notes, problems}
}
