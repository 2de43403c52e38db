import {isIncomplete, type CollectorRecord} from '../collectors/record.js'
import type {HostAddress} from '../io/system-facts.js'

/** A file of the bundle as the manifest lists it. */
export interface FileDigest {
  path: string
  sha256: string
  size: number
}

export const MANIFEST_SCHEMA = 'hipaa-ir/manifest@1'

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA
  name: string
  case: string
  examiner: string
  host: string
  /** The system's own addresses (live: its interfaces; below --root: its /etc/hosts), for analyze's cross-host reasoning. */
  host_addresses: HostAddress[]
  tool: {name: 'hipaa-ir'; version: string}
  started_at: string
  ended_at: string
  since: string
  root: string
  live: boolean
  run_as_root: boolean
  phi_dirs: string[]
  status: CollectionStatus
  /** Collectors that did not run because that system lacks their evidence source (status `incomplete`). */
  skipped: {id: string; reason: string; brief?: string}[]
  collectors: CollectorRecord[]
  files: FileDigest[]
  signing: {key_fingerprint: string | null; one_time_key: boolean} | null
  encryption: {recipients: number} | null
  notes: string[]
}

/**
 * `complete`: every selected collector ran and none failed, timed out or was skipped; `partial`
 * (exit 4): one failed or timed out; `incomplete` (exit 0): nothing failed but at least one was
 * skipped for want of its evidence source.
 */
export type CollectionStatus = 'complete' | 'incomplete' | 'partial'

/** The one rule for a collection's status (manifest.json and `collect --json` both use it). */
export function collectionStatus(collectors: readonly Pick<CollectorRecord, 'status'>[], skipped: readonly unknown[]): CollectionStatus {
  if (collectors.some((c) => isIncomplete(c.status))) return 'partial'
  return skipped.length > 0 ? 'incomplete' : 'complete'
}

export interface ManifestInput extends Omit<Manifest, 'files' | 'schema' | 'status'> {
  files: readonly FileDigest[]
}

/** Builds the manifest; files are sorted so the same inputs give the same bytes. Pure. */
export function buildManifest(input: ManifestInput): Manifest {
  return {
    ...input,
    files: sortByPath(input.files),
    schema: MANIFEST_SCHEMA,
    status: collectionStatus(input.collectors, input.skipped),
  }
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

/** Byte order of paths, so the same files always give the same manifest and SHA256SUMS bytes. */
export function sortByPath<T extends {path: string}>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
