import {rename} from 'node:fs/promises'
import {join} from 'node:path'

import {AcquisitionLog, type AcquisitionStep} from '../bundle/acquisition-log.js'
import {bundleName} from '../bundle/naming.js'
import {collectionStatus, type CollectionStatus} from '../bundle/manifest.js'
import {isLive, type PlannedCollector} from '../collectors/plan.js'
import type {CollectorSpec} from '../collectors/spec.js'
import {applicableCount, planCollection, skippedForStatus, type SkippedCollector} from '../collectors/plan-sources.js'
import {isIncomplete, type CollectorRecord} from '../collectors/record.js'
import {runCollector} from '../collectors/run-collector.js'
import {errnoCode, errorMessage, OutputError} from '../core/errors.js'
import {exec as realExec, type ExecFn} from '../io/exec.js'
import {readSystemHostname, systemAddresses} from '../io/system-facts.js'
import {guardCollection, type Interrupted} from './interrupt-guard.js'
import {prepareOutDir} from './prepare-out-dir.js'
import {sealBundle, type BundleSigner, type SealResult} from './seal-bundle.js'

export interface CollectOptions {
  caseId: string
  outDir: string
  root: string
  phiDirs: string[]
  /** --audit-key: audit rule keys searched besides the hardening guide's. */
  /** The user's collectors (`--artifacts`), validated. */
  artifacts?: readonly CollectorSpec[]
  auditKeys?: string[]
  since: Date
  examiner: string
  selected?: string[]
  ctime: boolean
  includeContents: boolean
  toolVersion: string
  signer: BundleSigner
  /** age X25519 recipients: the tarball is encrypted and no plaintext copy is kept. */
  encryptTo?: string[]
  exec?: ExecFn
  now?: () => Date
  isRoot?: boolean
  onProgress?: (event: ProgressEvent) => void
  /** Progress inside the long steps (the PHI walk, sealing), at most every 200 ms. */
  onWork?: (work: WorkProgress) => void
  /** Every acquisition-log step as it is recorded (each command run, each log file read). */
  onStep?: (step: AcquisitionStep) => void
  /** Called once if the collection is interrupted (SIGINT/SIGTERM) before it is sealed; the process then exits 130 or 143. */
  onInterrupted?: (event: Interrupted) => void
}

export interface ProgressEvent {
  index: number
  total: number
  /** A collector id, or `seal` for hashing, archiving and signing at the end. */
  id: string
  phase: 'start' | 'done'
  status?: CollectorRecord['status']
  durationMs?: number
  /** At `done`: the collector's counts (the PHI walk's entries and files hashed). */
  counts?: Record<string, number>
}

/** Where a long step stands: the PHI walk (no total known) or sealing (totals from the listing). */
export interface WorkProgress {
  step: 'phi-walk' | 'seal-archive' | 'seal-hash'
  /** Entries the PHI walk has seen (recent or not). */
  entries?: number
  /** Files hashed (walk, seal-hash) or archived (seal-archive) so far, and their bytes. */
  files: number
  bytes: number
  totalFiles?: number
  totalBytes?: number
}

export interface CollectResult extends SealResult {
  case: string
  host: string
  status: CollectionStatus
  /** Collectors skipped because that system lacks their evidence source (status `incomplete`). */
  skipped: SkippedCollector[]
  /** How many collectors were to run on that system (selected and applicable): "2 of 6 skipped". */
  applicable: number
  collectors: {id: string; status: CollectorRecord['status']; reason?: string; degraded?: boolean; counts?: Record<string, number>; outside_window?: CollectorRecord['outside_window']}[]
  warnings: string[]
  /** Set by `collect --push`. */
  push?: {status: 'pushed' | 'pending'; bucket: string; key?: string; version_id?: string | null; error?: string}
}

/** Plans, runs every collector in order of volatility (failures recorded, never thrown), then seals. */
export async function collectCase(options: CollectOptions): Promise<CollectResult> {
  const now = options.now ?? (() => new Date())
  const exec = options.exec ?? realExec
  const isRoot = options.isRoot ?? process.getuid?.() === 0
  const startedAt = now()
  const hostname = readSystemHostname(options.root)
  const host = hostname.name
  const name = bundleName(options.caseId, host, startedAt)
  const bundleDir = join(options.outDir, name)
  await prepareOutDir(options.outDir, bundleDir, options)

  const log = new AcquisitionLog(join(bundleDir, 'acquisition.jsonl'), now, options.onStep)
  const tarball = join(options.outDir, `${name}.tar.gz`)
  const guard = guardCollection({bundleDir, tarballs: [tarball, `${tarball}.age`]}, log, options.onInterrupted ?? (() => undefined))
  try {
    return await collectAndSeal(options, {bundleDir, host, hostNote: hostname.note, log, name, now, startedAt, exec, isRoot})
  } finally {
    guard.release()
  }
}

interface CollectionContext {
  bundleDir: string
  exec: ExecFn
  host: string
  /** Why the host name is unknown, or the links followed inside the image to read it. */
  hostNote: string | undefined
  isRoot: boolean
  log: AcquisitionLog
  name: string
  now: () => Date
  startedAt: Date
}

async function collectAndSeal(options: CollectOptions, context: CollectionContext): Promise<CollectResult> {
  const {bundleDir, exec, host, isRoot, log, name, now, startedAt} = context
  log.record({note: `hipaa-ir ${options.toolVersion}: case ${options.caseId}, root ${options.root}, since ${options.since.toISOString()}`, step: 'start'})
  if (context.hostNote) log.record({note: context.hostNote, path: '/etc/hostname', step: 'host-name'})
  const plan = await planCollection({artifacts: options.artifacts ?? [], ctime: options.ctime, isRoot, phiDirs: options.phiDirs, root: options.root, since: options.since, ...(options.selected ? {selected: options.selected} : {})})
  const records: CollectorRecord[] = []
  const runnable = plan.filter((p) => !p.skip)
  let index = 0
  for (const planned of plan) {
    if (!planned.skip) options.onProgress?.({id: planned.id, index: ++index, phase: 'start', total: runnable.length})
    const record = await runCollector(planned, {
      auditKeys: options.auditKeys ?? [],
      bundleDir,
      ctime: options.ctime,
      exec,
      includeContents: options.includeContents,
      isRoot,
      live: isLive(options.root),
      log,
      now: startedAt,
      ...(options.onWork ? {onProgress: (p: {bytes: number; entries: number; files: number}) => options.onWork?.({step: 'phi-walk', ...p})} : {}),
      phiDirs: options.phiDirs,
      root: options.root,
      since: options.since,
    })
    records.push(record)
    if (!planned.skip) options.onProgress?.({durationMs: record.duration_ms ?? 0, id: planned.id, index, phase: 'done', status: record.status, total: runnable.length, ...(record.counts ? {counts: record.counts} : {})})
  }
  const warnings = collectWarnings(records)
  const skipped = skippedCollectors(plan, records)
  let sealed: SealResult
  const sealStarted = performance.now()
  options.onProgress?.({id: 'seal', index: runnable.length, phase: 'start', total: runnable.length})
  try {
    sealed = await sealBundle({bundleDir, collectedAt: now(), collectors: records, examiner: options.examiner, host, hostAddresses: systemAddresses(options.root, host), log, name, now, options, skipped, startedAt, ...(options.onWork ? {onProgress: (p) => options.onWork?.({...p, step: p.phase === 'hash' ? 'seal-hash' : 'seal-archive'})} : {})})
  } catch (error) {
    throw await markIncomplete(bundleDir, error)
  }
  options.onProgress?.({durationMs: Math.round(performance.now() - sealStarted), id: 'seal', index: runnable.length, phase: 'done', status: 'ok', total: runnable.length})
  return {
    ...sealed,
    applicable: applicableCount(plan),
    case: options.caseId,
    collectors: records.map((r) => ({
      id: r.id,
      status: r.status,
      ...(r.reason ? {reason: r.reason} : {}),
      ...(r.degraded ? {degraded: true} : {}),
      ...(r.counts ? {counts: r.counts} : {}),
      ...(r.outside_window ? {outside_window: r.outside_window} : {}),
    })),
    host,
    skipped,
    // A tarball that does not verify against its own SHA256SUMS is never reported complete (exit 4).
    status: sealed.self_verify === 'ok' ? collectionStatus(records, skipped) : 'partial',
    warnings: [...warnings, ...sealed.warnings],
  }
}

/** The plan's skips for want of a source, and any collector that found its source gone when it ran. */
function skippedCollectors(plan: PlannedCollector[], records: CollectorRecord[]): SkippedCollector[] {
  const atRun = records.filter((r) => r.status === 'skipped' && !plan.find((p) => p.id === r.id)?.skip)
  return [...skippedForStatus(plan), ...atRun.map((r) => ({id: r.id, reason: r.reason ?? 'skipped'}))]
}

/**
 * Warnings from the collectors that ran. A skipped collector gives none: its reason is in `skipped`
 * and the one-line summary names it, so the same skip is never reported twice.
 */
function collectWarnings(records: CollectorRecord[]): string[] {
  const out: string[] = []
  for (const record of records) {
    if (record.status === 'skipped') continue
    for (const warning of record.warnings) out.push(`${record.id}: ${warning}`)
    if (isIncomplete(record.status)) out.push(`${record.id}: ${record.status}${record.reason ? ` (${record.reason})` : ''}`)
  }
  return out
}

/**
 * Sealing failed (most often a full disk): rename the folder to NAME.incomplete so nothing that
 * remains looks like a finished bundle, and explain what to do.
 */
async function markIncomplete(bundleDir: string, error: unknown): Promise<Error> {
  const renamed = await rename(bundleDir, `${bundleDir}.incomplete`).then(() => true, () => false)
  const where = renamed ? ` The unsealed evidence is kept in ${bundleDir}.incomplete.` : ''
  if (error instanceof OutputError) {
    return new OutputError(`${error.message}.${where}`, {code: error.code, suggestions: error.suggestions})
  }
  if (errnoCode(error) === 'ENOSPC') {
    return new OutputError(`the output disk is full: the bundle could not be sealed.${where}`, {
      code: 'E_DISK_FULL',
      suggestions: ['Free space or point --out-dir at a larger disk, then collect again.'],
    })
  }
  return new OutputError(`the bundle could not be sealed: ${errorMessage(error)}.${where}`, {cause: error})
}
