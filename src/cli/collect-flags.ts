import * as Flags from '@oclif/core/flags'
import {lstat, readlink, stat} from 'node:fs/promises'
import {relative, resolve} from 'node:path'
import {userInfo} from 'node:os'

import {loadArtifactDir} from '../collectors/artifacts/load.js'
import {artifactToSpec} from '../collectors/artifacts/to-spec.js'
import {unknownCollectors, ALL_COLLECTOR_IDS} from '../collectors/plan.js'
import type {CollectorSpec} from '../collectors/spec.js'
import {errnoCode, UsageError} from '../core/errors.js'
import {parseSince} from '../core/since.js'
import {DEFAULT_PHI_DIR, onDisk} from '../core/system-path.js'
import {resolveInRoot} from '../io/root-fs.js'

/**
 * The flags that shape the collection plan, shared by `collect` and `collectors list` so the dry run
 * always takes (and reads) exactly what the real run does.
 */
export const planFlags = {
  artifacts: Flags.string({description: 'Folder of artifact files (*.yaml) to collect besides the built-in collectors (repeatable); see docs/artifacts.md.', multiple: true}),
  'audit-key': Flags.string({description: 'Also search audit events with this rule key (repeatable), besides phi_access and the hardening guide\'s keys found in the audit logs.', multiple: true}),
  collectors: Flags.string({description: 'Comma-separated collectors to run (default: all). See `collectors list`.'}),
  ctime: Flags.boolean({default: false, description: 'Also list PHI files whose ctime is inside the window (catches an mtime that was set back).'}),
  'phi-dir': Flags.string({description: `PHI folder as seen on that system (repeatable). Default: ${DEFAULT_PHI_DIR}. On this machine a relative path is read from the current folder.`, multiple: true}),
  root: Flags.string({default: '/', description: 'Root of the system under investigation (a mounted image or copy); default: this machine.'}),
  since: Flags.string({default: '24h', description: 'Window start: 90m, 24h, 7d, or an ISO 8601 date-time.'}),
}

export interface PlanFlagValues {
  artifacts?: string[]
  'audit-key'?: string[]
  collectors?: string
  ctime: boolean
  'phi-dir'?: string[]
  root: string
  since: string
}

export interface ResolvedPlanFlags {
  /** The user's collectors from --artifacts, validated. */
  artifacts: CollectorSpec[]
  /** --audit-key values, checked, without duplicates. */
  auditKeys: string[]
  ctime: boolean
  phiDirs: string[]
  root: string
  selected?: string[]
  since: Date
  /** Said on stderr: how a flag was read (e.g. a relative --phi-dir resolved against the current folder). */
  notes: string[]
}

/** Checks and resolves the plan flags, the same way for `collect` and `collectors list`. */
export async function resolvePlanFlags(flags: PlanFlagValues, now: Date): Promise<ResolvedPlanFlags> {
  const since = parseSince(flags.since, now)
  const root = await checkRoot(flags.root)
  const notes: string[] = []
  const phiDirs = flags['phi-dir'] ? await checkPhiDirs(root, flags['phi-dir'], notes) : [DEFAULT_PHI_DIR]
  const artifacts = await loadArtifacts(flags.artifacts)
  const selected = checkCollectors(flags.collectors, artifacts.map((a) => a.id))
  const auditKeys = checkAuditKeys(flags['audit-key'])
  return {artifacts, auditKeys, ctime: flags.ctime, notes, phiDirs, root, since, ...(selected ? {selected} : {})}
}

/** Loads every --artifacts folder (validated before anything runs); ids must be unique across all collectors. */
export async function loadArtifacts(dirs: readonly string[] | undefined): Promise<CollectorSpec[]> {
  const taken = new Set<string>(ALL_COLLECTOR_IDS)
  const specs: CollectorSpec[] = []
  for (const dir of dirs ?? []) {
    for (const {artifact, source} of await loadArtifactDir(dir, taken)) {
      taken.add(artifact.id)
      specs.push(artifactToSpec(artifact, source))
    }
  }
  return specs
}

/** Checks --root: it must be an existing folder. Returns it absolute. */
export async function checkRoot(root: string): Promise<string> {
  const absolute = resolve(root)
  const info = await stat(absolute).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new UsageError(`--root: ${root} does not exist or is not a folder`, {
      code: 'E_ROOT',
      suggestions: ['Give the folder where the system under investigation is mounted, e.g. --root /mnt/image, or leave --root out for this machine.'],
    })
  }
  return absolute
}

/**
 * Checks --phi-dir values given by the user (system paths). Each must be a folder below the root,
 * named directly: the PHI walk never follows links, so a link is refused here with its target
 * (rather than accepted and then reported as "not found" by the collector). A `..` part is refused
 * (it could name a folder outside the image); links among the parent folders are resolved inside
 * the image (resolveInRoot), as that system would, never onto this machine.
 */
export async function checkPhiDirs(root: string, given: readonly string[], notes: string[] = []): Promise<string[]> {
  const below = root === '/' ? '' : ` below --root ${root}`
  const dirs: string[] = []
  for (const original of given) {
    const dir = absolutePhiDir(root, original, notes)
    if (dir.split('/').includes('..')) {
      throw new UsageError(`--phi-dir: ${original} has a ".." part; name the folder by its plain absolute path on that system`, {
        code: 'E_PHI_DIR',
        suggestions: ['e.g. --phi-dir /var/data/phi (no "." or ".." parts).'],
      })
    }
    dirs.push(dir)
    const resolved = resolveInRoot(root, dir, true)
    if (resolved.problem) throw new UsageError(`--phi-dir: ${dir}: ${resolved.problem}${below}`, {code: 'E_PHI_DIR'})
    const onHost = resolved.host
    const info = await lstat(onHost).catch((error: unknown) => errnoCode(error) ?? 'ERROR')
    if (typeof info === 'string') {
      const seen = seenBelowRoot(root, original)
      throw new UsageError(`--phi-dir: ${dir} ${info === 'EACCES' ? 'cannot be read (permission denied; run as root)' : 'does not exist'}${below}`, {
        code: 'E_PHI_DIR',
        suggestions: [
          ...(seen ? [`Did you mean --phi-dir ${seen} (as seen on that system)? Under --root, --phi-dir names the folder as that system sees it, not its path on this machine.`] : []),
          'Name the folder that holds PHI on that system; repeat --phi-dir for several.',
        ],
      })
    }
    if (info.isSymbolicLink()) {
      const target = await readlink(onHost).catch(() => '?')
      throw new UsageError(`--phi-dir: ${dir} is a symbolic link (to ${target}); the PHI walk never follows links`, {
        code: 'E_PHI_DIR',
        suggestions: [`Name the folder the link points to${target.startsWith('/') ? `: --phi-dir ${target}` : ''}.`],
      })
    }
    if (!info.isDirectory()) throw new UsageError(`--phi-dir: ${dir} is not a folder${below}`, {code: 'E_PHI_DIR', suggestions: ['Name the folder that holds the PHI files, not a file in it.']})
  }
  return dirs
}

/**
 * A --phi-dir as an absolute path on that system. On this machine a relative path is read from the
 * current folder (and a note says so); below --root it cannot be, since that system has no current folder.
 */
function absolutePhiDir(root: string, dir: string, notes: string[]): string {
  if (dir.startsWith('/')) return dir
  if (root === '/') {
    const absolute = resolve(dir)
    notes.push(`--phi-dir ${dir} read as ${absolute} (relative to the current folder)`)
    return absolute
  }
  const seen = seenBelowRoot(root, dir)
  throw new UsageError(`--phi-dir: ${dir} must be an absolute path as seen on that system, e.g. ${DEFAULT_PHI_DIR}`, {
    code: 'E_PHI_DIR',
    suggestions: [seen ? `Did you mean --phi-dir ${seen} (as seen on that system)?` : `Name the folder as that system sees it, e.g. --phi-dir ${DEFAULT_PHI_DIR} for ${onDisk(root, DEFAULT_PHI_DIR)}.`],
  })
}

/** A path on this machine that lies below --root, as that system sees it (R/var/data/phi → /var/data/phi); else undefined. */
function seenBelowRoot(root: string, dir: string): string | undefined {
  if (root === '/') return undefined
  const rel = relative(root, resolve(dir))
  if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) return undefined
  return `/${rel}`
}

/** An audit rule key as `auditctl -k` takes it and a file name can hold: letters, digits, `_` and `-`. */
const AUDIT_KEY = /^[A-Za-z0-9_-]{1,31}$/

/** Checks --audit-key values (repeatable); returns them without duplicates. */
export function checkAuditKeys(keys: readonly string[] | undefined): string[] {
  for (const key of keys ?? []) {
    if (!AUDIT_KEY.test(key)) {
      throw new UsageError(`--audit-key: "${key.slice(0, 64)}" is not an audit rule key (1 to 31 letters, digits, _ or -)`, {
        code: 'E_AUDIT_KEY',
        suggestions: ['Give the key exactly as the rule names it with -k, e.g. --audit-key ehr_export; repeat --audit-key for several.'],
      })
    }
  }
  return [...new Set(keys ?? [])]
}

export function checkCollectors(list: string | undefined, artifactIds: readonly string[] = []): string[] | undefined {
  if (list === undefined) return undefined
  const selected = list.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = unknownCollectors(selected, artifactIds)
  if (unknown.length > 0 || selected.length === 0) {
    const what = unknown.length > 0 ? `unknown collector ${unknown.map((u) => `"${u}"`).join(', ')}` : 'names no collector'
    throw new UsageError(`--collectors: ${what}`, {
      code: 'E_COLLECTORS',
      suggestions: [`Choose from: ${[...ALL_COLLECTOR_IDS, ...artifactIds].join(', ')} (comma-separated).`],
    })
  }
  return selected
}

/** Who is collecting: --examiner, else the sudo caller, else the login name. */
export function defaultExaminer(): string {
  return process.env.SUDO_USER ?? process.env.USER ?? userInfo().username
}
