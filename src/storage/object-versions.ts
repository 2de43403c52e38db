/**
 * The versions of a pushed bundle's objects as the bucket lists them. Object Lock keeps every locked
 * version, but anyone with s3:PutObject can add a newer one on the same key; `verify s3://` therefore
 * picks the version that was pushed (from the receipt, else the oldest: the one locked first) and
 * reports what came after it.
 */
import {ListObjectVersionsCommand, type S3Client} from '@aws-sdk/client-s3'

import {withRetry, type RetryOptions} from './retry.js'

export interface ObjectVersion {
  deleteMarker: boolean
  etag?: string
  key: string
  lastModified?: Date
  size?: number
  versionId: string
}

export interface KeyVersions {
  /** Delete markers (they hide a version from plain reads; the locked version stays). */
  markers: ObjectVersion[]
  /** Newest first, as S3 lists them (dates can tie within a second; the order cannot). */
  versions: ObjectVersion[]
}

/** Every version and delete marker below `prefix`, page by page, as S3 lists them (newest first per key). */
async function* versionPages(client: S3Client, bucket: string, prefix: string, retry?: RetryOptions): AsyncGenerator<ObjectVersion[]> {
  let keyMarker: string | undefined
  let versionMarker: string | undefined
  do {
    const page = await withRetry(() => client.send(new ListObjectVersionsCommand({
      Bucket: bucket, KeyMarker: keyMarker, Prefix: prefix, VersionIdMarker: versionMarker,
    })), retry)
    yield [
      ...(page.Versions ?? []).map((v) => ({
        deleteMarker: false, key: v.Key ?? '', versionId: v.VersionId ?? 'null',
        ...(v.ETag === undefined ? {} : {etag: v.ETag}),
        ...(v.LastModified === undefined ? {} : {lastModified: v.LastModified}),
        ...(v.Size === undefined ? {} : {size: v.Size}),
      })),
      ...(page.DeleteMarkers ?? []).map((m) => ({
        deleteMarker: true, key: m.Key ?? '', versionId: m.VersionId ?? 'null',
        ...(m.LastModified === undefined ? {} : {lastModified: m.LastModified}),
      })),
    ]
    keyMarker = page.IsTruncated === true ? page.NextKeyMarker : undefined
    versionMarker = page.IsTruncated === true ? page.NextVersionIdMarker : undefined
  } while (keyMarker !== undefined)
}

/** Every version and delete marker of `keys` (all below `prefix`). */
export async function listKeyVersions(
  client: S3Client, bucket: string, prefix: string, keys: readonly string[], retry?: RetryOptions,
): Promise<Map<string, KeyVersions>> {
  const byKey = new Map<string, KeyVersions>(keys.map((k) => [k, {markers: [], versions: []}]))
  for await (const entries of versionPages(client, bucket, prefix, retry)) {
    for (const entry of entries) byKey.get(entry.key)?.[entry.deleteMarker ? 'markers' : 'versions'].push(entry)
  }
  return byKey
}

/**
 * Every key below `prefix` that has at least one stored version, sorted: a key hidden by a delete
 * marker is still listed (its locked versions are still there), unlike a plain listing.
 */
export async function listVersionedKeys(client: S3Client, bucket: string, prefix: string, retry?: RetryOptions): Promise<string[]> {
  return [...(await listAllVersions(client, bucket, prefix, retry))].filter(([, list]) => list.versions.length > 0).map(([key]) => key)
}

/** The VersionId to send: S3 lists an unversioned object as "null". */
export function requestVersion(versionId: string): string | undefined {
  return versionId === 'null' ? undefined : versionId
}

export function describeVersion(version: ObjectVersion): string {
  return `${version.versionId} (${version.lastModified?.toISOString() ?? 'date unknown'})`
}

/** Every key below `prefix` with its versions and delete markers (newest first), sorted by key. */
export async function listAllVersions(client: S3Client, bucket: string, prefix: string, retry?: RetryOptions): Promise<Map<string, KeyVersions>> {
  const byKey = new Map<string, KeyVersions>()
  for await (const entries of versionPages(client, bucket, prefix, retry)) {
    for (const entry of entries) {
      let list = byKey.get(entry.key)
      if (list === undefined) {
        list = {markers: [], versions: []}
        byKey.set(entry.key, list)
      }
      list[entry.deleteMarker ? 'markers' : 'versions'].push(entry)
    }
  }
  return new Map([...byKey].sort(([a], [b]) => a.localeCompare(b)))
}
