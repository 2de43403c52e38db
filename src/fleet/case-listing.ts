/**
 * A case as the bucket holds it: every bundle below `[P/]CASE/HOST/` (with the versions of its
 * tarball) and every fleet run under `[P/]CASE/_fleet/RUN/`. Read from ListObjectVersions, so a
 * bundle hidden by a delete marker is still found and a newer version of a key is seen.
 */
import type {S3Client} from '@aws-sdk/client-s3'

import {listAllVersions, type KeyVersions, type ObjectVersion} from '../storage/object-versions.js'
import {BUNDLE_SUFFIX, parseBundleName} from '../storage/object-key.js'
import type {RetryOptions} from '../storage/retry.js'
import {FLEET_FOLDER, FLEET_MANIFEST_FILE, caseFolder, isRunId} from './manifest.js'

export interface CaseBundle {
  /** HOST folder the bundle is in. */
  folder: string
  host: string
  key: string
  name: string
  /** The oldest version (the one locked first); the one verify takes without a receipt. */
  oldest: ObjectVersion
  stamp: string
  versions: KeyVersions
}

export interface CaseListing {
  /** Bundles sorted by host, then name (oldest first). */
  bundles: CaseBundle[]
  folder: string
  /** Versions of every key under `_fleet/` (manifests, signatures, keys). */
  fleetKeys: Map<string, KeyVersions>
  /** Keys below the case that are neither bundle files nor fleet files (named, not judged). */
  other: string[]
  /** Run ids with a manifest, oldest first. */
  runs: string[]
}

const SIBLING = /\.(?:tar\.gz(?:\.age)?\.sig|pub|custody\.jsonl)$/

export async function listCase(client: S3Client, bucket: string, prefix: string | undefined, caseId: string, retry?: RetryOptions): Promise<CaseListing> {
  const folder = caseFolder(prefix, caseId)
  const all = await listAllVersions(client, bucket, folder, retry)
  const bundles: CaseBundle[] = []
  const runs = new Set<string>()
  const other: string[] = []
  const fleetKeys = new Map<string, KeyVersions>()
  for (const [key, versions] of all) {
    const rest = key.slice(folder.length).split('/')
    if (rest[0] === FLEET_FOLDER) {
      fleetKeys.set(key, versions)
      if (rest.length === 3 && isRunId(rest[1] as string) && rest[2] === FLEET_MANIFEST_FILE && versions.versions.length > 0) runs.add(rest[1] as string)
      continue
    }
    const base = rest[1] ?? ''
    if (rest.length !== 2 || versions.versions.length === 0) {
      other.push(key)
      continue
    }
    if (BUNDLE_SUFFIX.test(base)) {
      const name = base.replace(BUNDLE_SUFFIX, '')
      const parsed = parseBundleName(name)
      bundles.push({
        folder: rest[0] as string, host: parsed?.host ?? (rest[0] as string), key, name, oldest: versions.versions.at(-1) as ObjectVersion,
        stamp: parsed?.stamp ?? '', versions,
      })
    } else if (!SIBLING.test(base)) {
      other.push(key)
    }
  }
  bundles.sort((a, b) => a.folder.localeCompare(b.folder) || a.name.localeCompare(b.name))
  return {bundles, fleetKeys, folder, other, runs: [...runs].sort()}
}

/**
 * Whether an inventory host and a bundle's host folder are the same machine: equal names, or the
 * inventory name's first DNS label (web1.example.org → web1), case-insensitively.
 */
export function sameHost(inventoryName: string, host: string): boolean {
  const a = inventoryName.toLowerCase()
  const b = host.toLowerCase()
  return a === b || a.split('.')[0] === b || b.split('.')[0] === a
}
