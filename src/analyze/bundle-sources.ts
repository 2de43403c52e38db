import {lstat} from 'node:fs/promises'
import {join} from 'node:path'

import {isUnsafe, safeRelativeComponents} from '../integrity/archive-paths.js'
import {NotRegularFileError, OversizeFileError, readOptionalFile} from '../integrity/read-optional.js'
import {builtinMappers, genericMapper, type SourceMapper} from './mappers.js'

/** Who and what a bundle is, from its manifest.json, and the JSON-lines files to load from it. */
export interface BundleContents {
  /** `CASE_HOST_YYYYMMDDTHHMMSSZ`: the bundle file or folder name (verify checks it against the manifest). */
  name: string
  case: string | null
  host: string
  /** The PHI folders collect walked (the manifest's `phi_dirs`). */
  phiDirs: string[]
  /** The host's own addresses as its manifest records them (for the lateral-movement rule). */
  addresses: string[]
  /** One per file to load: its mapper and bundle-relative path. */
  files: Array<{mapper: SourceMapper; file: string}>
  /** What could not be read (a missing or unreadable manifest, a listed file that is not a regular file). */
  notes: string[]
}

/** Collectors whose JSON lines are not events (the posture snapshot is a judgement, not a happening). */
const NOT_EVENTS = new Set(['posture'])
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024

interface ManifestCollector {
  files: string[]
  id: string
}

interface ManifestView {
  case: string | null
  collectors: ManifestCollector[]
  host: string | null
  phiDirs: string[]
  addresses: string[]
}

function readManifest(text: string): ManifestView | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return `manifest.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`
  }
  if (typeof parsed !== 'object' || parsed === null) return 'manifest.json is not a JSON object'
  const m = parsed as Record<string, unknown>
  const string = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)
  const collectors = (Array.isArray(m.collectors) ? m.collectors : []).flatMap((item): ManifestCollector[] => {
    const c = item as {files?: unknown; id?: unknown} | null
    if (typeof c?.id !== 'string') return []
    return [{files: Array.isArray(c.files) ? c.files.filter((x): x is string => typeof x === 'string') : [], id: c.id}]
  })
  const phiDirs = Array.isArray(m.phi_dirs) ? m.phi_dirs.filter((d): d is string => typeof d === 'string') : []
  const addresses = (Array.isArray(m.host_addresses) ? m.host_addresses : []).flatMap((a: unknown) => {
    const address = (a as {address?: unknown} | null)?.address
    return typeof address === 'string' && address !== '' ? [address] : []
  })
  return {addresses, case: string(m.case), collectors, host: string(m.host), phiDirs}
}

/** A bundle-relative path that stays inside the bundle and names a regular file (never a link). */
async function isBundleFile(dir: string, file: string): Promise<boolean> {
  const components = safeRelativeComponents(file)
  if (isUnsafe(components)) return false
  const info = await lstat(join(dir, ...components)).catch(() => undefined)
  return info?.isFile() === true
}

/**
 * The JSON-lines files of an unpacked bundle folder, each with its mapper: for each collector the
 * manifest lists, the built-in mapper's files it wrote, or (for a user artifact) every `.jsonl` it
 * wrote, as generic rows. Without a readable manifest (an unverified bundle), the built-in files
 * present are loaded and the host is `unknown`.
 */
export async function bundleContents(dir: string, folderName: string): Promise<BundleContents> {
  const notes: string[] = []
  let manifest: ManifestView | undefined
  try {
    const bytes = await readOptionalFile(join(dir, 'manifest.json'), MAX_MANIFEST_BYTES)
    const read = bytes === undefined ? 'the bundle has no manifest.json' : readManifest(bytes.toString('utf8'))
    if (typeof read === 'string') notes.push(read)
    else manifest = read
  } catch (error) {
    if (!(error instanceof OversizeFileError) && !(error instanceof NotRegularFileError)) throw error
    notes.push(`manifest.json: ${error.message}`)
  }

  const wanted: Array<{mapper: SourceMapper; file: string}> = []
  if (manifest === undefined) {
    for (const mapper of builtinMappers.values()) for (const file of mapper.files) wanted.push({file, mapper})
  } else {
    for (const collector of manifest.collectors) {
      if (NOT_EVENTS.has(collector.id)) continue
      const builtin = builtinMappers.get(collector.id)
      if (builtin !== undefined) {
        for (const file of builtin.files) if (collector.files.includes(file)) wanted.push({file, mapper: builtin})
        continue
      }
      const jsonl = collector.files.filter((file) => file.endsWith('.jsonl'))
      const mapper = genericMapper(collector.id, jsonl)
      for (const file of jsonl) wanted.push({file, mapper})
    }
  }
  const files: Array<{mapper: SourceMapper; file: string}> = []
  for (const entry of wanted) {
    if (await isBundleFile(dir, entry.file)) files.push(entry)
    else if (manifest !== undefined) notes.push(`${entry.file}: listed in manifest.json but not a regular file in the bundle; not loaded`)
  }
  return {case: manifest?.case ?? null, files, host: manifest?.host ?? 'unknown', name: folderName, notes, phiDirs: manifest?.phiDirs ?? [], addresses: manifest?.addresses ?? []}
}
