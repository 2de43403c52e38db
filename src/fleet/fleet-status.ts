/**
 * `fleet status`: one row per host, derived from what the bucket holds (the bundles under each host
 * folder), the latest run manifest, and the inventory when given. S3 wins over the manifest: a host
 * the manifest calls pending whose bundle is in the bucket now (a later push) is `done`; a host the
 * manifest calls done whose object is gone from the listing is `failed`. Pure, given the listing.
 */
import {ExitCode, type ExitCodeValue} from '../cli/exit-codes.js'
import type {CaseBundle, CaseListing} from './case-listing.js'
import {sameHost} from './case-listing.js'
import type {Inventory} from './inventory.js'
import type {FleetManifest, HostState} from './manifest.js'

/** The contract's states, plus `not-started` for an inventory host that no run reached and that has no bundle. */
export type StatusState = 'not-started' | HostState

export interface StatusRow {
  address: null | string
  bundle: null | string
  host: null | string
  inventory_name: null | string
  key: null | string
  note: string
  sha256: null | string
  state: StatusState
  /** When the bundle was stored (the tarball's oldest version), else the run's end. */
  time: null | string
  version_id: null | string
}

export interface StatusSummary {
  counts: Record<StatusState, number>
  exitCode: ExitCodeValue
  rows: StatusRow[]
}

const stored = (state: StatusState) => state === 'done' || state === 'partial'

/** 6 when a host has no stored bundle, else 5 when one is pending, else 4 when one is partial, else 0 (as fleet collect). */
export function statusExitCode(states: readonly StatusState[]): ExitCodeValue {
  if (states.some((s) => s === 'failed' || s === 'no-answer' || s === 'not-started')) return ExitCode.NoBundle
  if (states.includes('pending')) return ExitCode.PushFailed
  if (states.includes('partial')) return ExitCode.PartialCollection
  return ExitCode.Ok
}

function bundleRow(bundle: CaseBundle, inventoryName: null | string, address: null | string, state: StatusState, note: string): StatusRow {
  return {
    address, bundle: bundle.name, host: bundle.host, inventory_name: inventoryName, key: bundle.key, note, sha256: null, state,
    time: bundle.oldest.lastModified?.toISOString() ?? null, version_id: bundle.oldest.versionId,
  }
}

export function fleetStatus(listing: CaseListing, manifest: FleetManifest | undefined, inventory?: Inventory): StatusSummary {
  const rows: StatusRow[] = []
  const used = new Set<string>()
  const byKey = new Map(listing.bundles.map((b) => [b.key, b]))
  const latestFor = (host: string) => listing.bundles.filter((b) => sameHost(host, b.host) && !used.has(b.key)).at(-1)
  const address = (name: string) => inventory?.hosts.find((h) => h.name === name)?.address ?? null

  for (const entry of manifest?.hosts ?? []) {
    const base: StatusRow = {
      address: entry.address, bundle: entry.bundle, host: entry.host, inventory_name: entry.inventory_name, key: entry.key,
      note: entry.note, sha256: entry.sha256, state: entry.state, time: manifest?.ended ?? null, version_id: entry.version_id,
    }
    const own = entry.key === null ? undefined : byKey.get(entry.key)
    if (stored(entry.state)) {
      if (own === undefined) rows.push({...base, note: `the run manifest says ${entry.state}, but the bucket has no ${entry.key ?? 'key'}`, state: 'failed'})
      else {
        used.add(own.key)
        rows.push({...base, time: own.oldest.lastModified?.toISOString() ?? base.time})
      }
      continue
    }
    // Not stored in that run: a bundle pushed since (push --pending, fleet retry) counts.
    const later = latestFor(entry.host ?? entry.inventory_name)
    if (later === undefined) rows.push(base)
    else {
      used.add(later.key)
      rows.push(bundleRow(later, entry.inventory_name, entry.address, 'done', `stored after run ${manifest?.run ?? ''} (it said ${entry.state}: ${entry.note})`.trim()))
    }
  }
  // Newest first, so a host's latest bundle is its row.
  for (const bundle of [...listing.bundles].reverse()) {
    if (used.has(bundle.key)) continue
    // Older bundles of a host already shown are not rows of their own.
    if (rows.some((r) => r.host !== null && r.host === bundle.host && stored(r.state))) continue
    used.add(bundle.key)
    const named = inventory?.hosts.find((h) => sameHost(h.name, bundle.host))
    rows.push(bundleRow(bundle, named?.name ?? null, named?.address ?? null, 'done', manifest === undefined ? 'no fleet run manifest' : 'in the bucket, not in the run manifest'))
  }
  for (const host of inventory?.hosts ?? []) {
    if (rows.some((r) => r.inventory_name === host.name)) continue
    rows.push({
      address: address(host.name), bundle: null, host: null, inventory_name: host.name, key: null,
      note: 'no bundle in the bucket, and no run reached it', sha256: null, state: 'not-started', time: null, version_id: null,
    })
  }
  rows.sort((a, b) => (a.inventory_name ?? a.host ?? '').localeCompare(b.inventory_name ?? b.host ?? ''))
  const counts = {done: 0, failed: 0, 'no-answer': 0, 'not-started': 0, partial: 0, pending: 0} as Record<StatusState, number>
  for (const row of rows) counts[row.state]++
  return {counts, exitCode: statusExitCode(rows.map((r) => r.state)), rows}
}
