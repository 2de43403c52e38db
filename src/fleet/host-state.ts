/**
 * Each host's fleet state, derived from what the host itself holds (its bundles, their NAME.push.json
 * and the collect document it kept) and from S3 (the pushed version is there and locked), never from
 * the controller's memory of an earlier run. Pure except for the S3 look-up passed in.
 */
import {bundleKeys, parseBundleName} from '../storage/object-key.js'
import type {HostReport} from './ansible-run.js'
import type {FleetHostRecord, HostState} from './manifest.js'
import {parseJson, type HostStepReport, type StepRun} from './host-step.js'

/** done: pushed and read back; partial: pushed, a collector failed; pending: kept on the host; failed: no bundle; no-answer: unreachable; not-started: paused by --max-fail. */
export type FleetState = HostState | 'not-started'

export interface FleetHost extends FleetHostRecord {
  state: FleetState
  /** Seconds this host took in this run. */
  time_s: number
}

/** What S3 says about one pushed object. */
export type StoredCheck = {mode?: string; ok: true; retainUntil?: string} | {error: string; ok: false}
export type StoredLookup = (key: string, versionId: string | undefined) => Promise<StoredCheck>

export interface HostOutcome {
  address: string
  elapsedMs: number
  /** A task failed outside the playbook's rescue (rare), or the host was unreachable. */
  failed?: string
  name: string
  report?: HostReport
  unreachable?: string
}

/** The host step's report from the playbook's result, or undefined when it did not print one. */
export function parseHostStep(report: HostReport): HostStepReport | undefined {
  // Ansible's templating turns a string that looks like JSON into the object itself.
  const raw: unknown = report.stdout
  const parsed = (typeof raw === 'object' && raw !== null ? raw : parseJson(typeof raw === 'string' ? raw : '')) as HostStepReport | undefined
  return parsed !== undefined && Array.isArray(parsed.bundles) ? parsed : undefined
}

export async function hostState(outcome: HostOutcome, options: {lookup: StoredLookup; prefix?: string}): Promise<FleetHost> {
  const base: FleetHost = {
    address: outcome.address, bundle: null, host: null, inventory_name: outcome.name, key: null, note: '', sha256: null,
    state: 'failed', time_s: Math.round(outcome.elapsedMs / 100) / 10, version_id: null,
  }
  if (outcome.unreachable !== undefined) return {...base, note: `unreachable: ${oneLine(outcome.unreachable)}`, state: 'no-answer'}
  const report = outcome.report
  if (report === undefined) return {...base, note: oneLine(outcome.failed ?? 'no result from the host')}
  const step = parseHostStep(report)
  const newestBundle = step?.bundles.at(-1)
  if (step === undefined || newestBundle === undefined) return {...base, host: step?.hostname ?? null, note: failureNote(report, step)}

  const newest = newestBundle.name
  const parsed = parseBundleName(newest)
  const doc = newestBundle.collect ?? undefined
  const state = newestBundle.push ?? undefined
  const keys = parsed === undefined ? undefined : bundleKeys(options.prefix, parsed, false)
  const found: FleetHost = {
    ...base,
    bundle: newest,
    host: parsed?.host ?? step.hostname,
    key: state?.key ?? keys?.tarball ?? null,
    sha256: state?.objects?.tarball?.sha256 ?? state?.sha256 ?? doc?.tarball_sha256 ?? null,
    version_id: state?.versionId ?? state?.objects?.tarball?.versionId ?? null,
  }
  const pendingOthers = step.bundles.filter((b) => b.push?.status !== 'pushed')
  if (state?.status !== 'pushed') {
    const why = state?.lastError ?? doc?.push?.error ?? stepFailure(step.push) ?? stepFailure(step.collect) ?? 'not pushed yet'
    return {...found, note: `bundle kept on the host: ${oneLine(why)}`, state: 'pending'}
  }
  const stored = await options.lookup(found.key as string, found.version_id ?? undefined)
  if (!stored.ok) return {...found, note: `the host says pushed, but S3 does not have it: ${oneLine(stored.error)}`, state: 'pending'}
  const lock = stored.mode === undefined ? 'no lock' : `${stored.mode} until ${stored.retainUntil?.slice(0, 10) ?? '?'}`
  const extra = pendingOthers.length > 0 ? `; ${pendingOthers.length} older bundle(s) still pending` : ''
  if (doc?.status === 'partial') {
    const bad = (doc.collectors ?? []).filter((c) => c.status === 'failed' || c.status === 'timed-out').map((c) => `${c.id}: ${c.status}`)
    return {...found, note: `stored (${lock}); ${bad.join(', ') || 'a collector failed'}${extra}`, state: 'partial'}
  }
  return {...found, note: `stored and read back (${lock})${step.action === 'skip' ? ', collected earlier' : ''}${extra}`, state: 'done'}
}

function stepFailure(run: StepRun | undefined): string | undefined {
  if (run === undefined || run.rc === 0) return undefined
  return lastLine(run.stderr) ?? `exit ${run.rc}`
}

function failureNote(report: HostReport, step: HostStepReport | undefined): string {
  if (report.error !== undefined) return oneLine(report.error)
  if (step === undefined) {
    const why = report.msg || lastLine(String(report.stderr ?? '')) || `host step exit ${report.rc}`
    return oneLine(why)
  }
  if (step.action === 'probe') return 'no bundle on the host yet'
  const c = step.collect
  if (c === undefined) return `no bundle on the host (action ${step.action})`
  return `collect exit ${c.rc}: ${oneLine(lastLine(c.stderr) ?? 'no bundle written')}`
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '').at(-1)
}

/** Notes go into a table cell: one line, no control characters, bounded. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replaceAll(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').replaceAll(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat
}
