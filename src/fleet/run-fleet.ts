/**
 * A fleet run: the hosts of an Ansible inventory each install the pinned release, collect and push
 * their own bundle (or, with the relay transport, hand it to the controller over SSH), and each
 * host's state is then derived from the host and from S3 (host-state.ts). `--canary N` hosts go
 * first; `--max-fail` pauses the run between batches; `retry` first asks every host for its state
 * (a probe that changes nothing) and acts only on those not stored.
 */
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'

import type {S3Client} from '@aws-sdk/client-s3'

import {writeFile} from 'node:fs/promises'
import {UsageError} from '../core/errors.js'
import {newRunId} from './manifest.js'
import {runPlaybook, type AnsibleEvent, type HostReport} from './ansible-run.js'
import {listInventory, type AnsibleHost} from './ansible-inventory.js'
import {hostCredentials} from './credentials.js'
import {hostState, type FleetHost, type HostOutcome} from './host-state.js'
import {relayHost} from './relay.js'
import {storedLookup} from './stored.js'
import type {PushRunOptions} from '../storage/push-run.js'

export interface ReleaseInfo {
  name: string
  sha256: string
  tarball: string
}

export interface FleetOptions {
  become: boolean
  bucket: string
  canary: number
  case: string
  client: S3Client
  /** Collect flags for the hosts (since, PHI folders). */
  collectArgs: string[]
  credentialsFile?: string
  endpoint?: string
  evidenceRoot: string
  installRoot: string
  inventory: string
  /** Pause when more hosts than this are not stored (after the canary, and between batches of --parallel). */
  maxFail?: {count?: number; percent?: number}
  onProgress?: (line: string) => void
  parallel: number
  prefix?: string
  /** Push flags for the hosts (bucket, endpoint, prefix, lock). */
  pushArgs: string[]
  /** The controller's push settings for relayed bundles. */
  pushOptions: PushRunOptions
  recollect: boolean
  region: string
  relayDir: string
  release: ReleaseInfo
  retry: boolean
  runDir: string
  timeoutSeconds: number
  transport: 'push' | 'relay'
}

export interface FleetRun {
  case: string
  /** True when the controller's own S3 credentials were handed to hosts (no --credentials). */
  controllerCredentials: boolean
  hosts: FleetHost[]
  /** Retry found every host stored: nothing was run. */
  nothingToDo: boolean
  paused: boolean
  run: string
}

const STORED = new Set(['done', 'partial'])

/** How many hosts may fail before the run pauses. */
export function failBudget(maxFail: FleetOptions['maxFail'], total: number): number {
  if (maxFail === undefined) return Number.POSITIVE_INFINITY
  if (maxFail.count !== undefined) return maxFail.count
  return Math.floor(((maxFail.percent ?? 100) * total) / 100)
}

export async function runFleet(options: FleetOptions): Promise<FleetRun> {
  const run = newRunId(new Date(), randomBytes(3).toString('hex'))
  const inventory = await listInventory(options.inventory, options.runDir)
  if (inventory.length === 0) throw new UsageError(`--inventory ${options.inventory}: Ansible finds no host in it`, {suggestions: [`check it with: ansible-inventory -i ${options.inventory} --graph`]})
  const creds = options.transport === 'push' ? await hostCredentials(options.runDir, {
    ...(options.credentialsFile === undefined ? {} : {file: options.credentialsFile}),
    ...(options.endpoint === undefined ? {} : {endpoint: options.endpoint}),
  }) : undefined
  const varsFile = join(options.runDir, `vars-${run}.json`)
  const vars = {
    hir_become: options.become,
    hir_case: options.case,
    hir_credentials_file: creds?.file ?? '',
    hir_evidence_root: options.evidenceRoot,
    hir_install_root: options.installRoot,
    hir_poll: 2,
    hir_probe: false,
    hir_recollect: options.recollect,
    hir_region: options.region,
    hir_release_name: options.release.name,
    hir_release_sha256: options.release.sha256,
    hir_release_tarball: options.release.tarball,
    hir_run: run,
    hir_spec: {collect: options.collectArgs, push: options.pushArgs},
    hir_timeout: options.timeoutSeconds,
    hir_transport: options.transport,
  }
  await writeFile(varsFile, JSON.stringify(vars), {mode: 0o600})
  const probeFile = join(options.runDir, `vars-${run}-probe.json`)
  await writeFile(probeFile, JSON.stringify({...vars, hir_probe: true, hir_timeout: 120}), {mode: 0o600})

  const lookup = storedLookup(options.client, options.bucket)
  const results = new Map<string, FleetHost>()
  const progress = new Progress(inventory.length, options.onProgress)

  const runBatch = async (batch: AnsibleHost[], file: string): Promise<FleetHost[]> => {
    const outcomes = await playBatch(options, batch, file, progress)
    const states: FleetHost[] = []
    for (const outcome of outcomes) {
      if (options.transport === 'relay' && outcome.report !== undefined) {
        progress.phase(outcome.name, 'relaying')
        outcome.report = await relayHost(outcome, inventory.find((h) => h.name === outcome.name) as AnsibleHost, options)
      }
      const state = await hostState(outcome, {lookup, ...(options.prefix === undefined ? {} : {prefix: options.prefix})})
      progress.phase(outcome.name, state.state)
      results.set(state.inventory_name, state)
      states.push(state)
    }
    return states
  }

  let targets = inventory
  if (options.retry) {
    const probed = await runBatch(inventory, probeFile)
    targets = inventory.filter((h) => !STORED.has(probed.find((p) => p.inventory_name === h.name)?.state ?? ''))
    if (targets.length === 0) {
      return {case: options.case, controllerCredentials: creds?.fromController ?? false, hosts: inventory.map((h) => results.get(h.name) as FleetHost), nothingToDo: true, paused: false, run}
    }
    progress.restart(targets.length)
  }

  const batches: AnsibleHost[][] = []
  const canary = Math.min(options.canary, targets.length)
  if (canary > 0) batches.push(targets.slice(0, canary))
  const rest = targets.slice(canary)
  const step = options.maxFail === undefined ? rest.length : options.parallel
  for (let i = 0; i < rest.length; i += Math.max(1, step)) batches.push(rest.slice(i, i + Math.max(1, step)))
  const budget = failBudget(options.maxFail ?? (canary > 0 ? {count: 0} : undefined), targets.length)

  let paused = false
  for (const batch of batches) {
    if (paused) {
      for (const h of batch) results.set(h.name, notStarted(h, 'the run paused (--max-fail, or a canary not stored): fix the cause, then fleet retry'))
      continue
    }
    await runBatch(batch, varsFile)
    const failures = [...results.values()].filter((r) => targets.some((t) => t.name === r.inventory_name) && !STORED.has(r.state)).length
    if (failures > budget) paused = true
  }
  return {
    case: options.case,
    controllerCredentials: creds?.fromController ?? false,
    hosts: inventory.map((h) => results.get(h.name) ?? notStarted(h, 'not run')),
    nothingToDo: false,
    paused,
    run,
  }
}

function notStarted(host: AnsibleHost, note: string): FleetHost {
  return {address: host.address, bundle: null, host: null, inventory_name: host.name, key: null, note, sha256: null, state: 'not-started', time_s: 0, version_id: null}
}

async function playBatch(options: FleetOptions, batch: AnsibleHost[], varsFile: string, progress: Progress): Promise<HostOutcome[]> {
  const started = new Map<string, number>()
  const ended = new Map<string, number>()
  const reports = new Map<string, HostReport>()
  const unreachable = new Map<string, string>()
  const failed = new Map<string, string>()
  const t0 = Date.now() / 1000
  const onEvent = (event: AnsibleEvent): void => {
    if (!('host' in event) || event.host === undefined) return
    if (!started.has(event.host)) started.set(event.host, event.time)
    if (event.event === 'start') progress.phase(event.host, phaseOf(event.task))
    else if (event.event === 'result') {
      ended.set(event.host, event.time)
      if (event.result !== null) reports.set(event.host, event.result)
    } else if (event.event === 'unreachable') {
      ended.set(event.host, event.time)
      unreachable.set(event.host, event.msg)
    } else if (event.event === 'failed') failed.set(event.host, `${event.task}: ${event.msg}`)
  }
  const played = await runPlaybook({forks: options.parallel, inventory: options.inventory, limit: batch.map((h) => h.name), onEvent, runDir: options.runDir, varsFile})
  return batch.map((h) => {
    const start = started.get(h.name) ?? t0
    const end = ended.get(h.name) ?? Date.now() / 1000
    const report = reports.get(h.name)
    const outcome: HostOutcome = {address: h.address, elapsedMs: Math.max(0, end - start) * 1000, name: h.name}
    if (report !== undefined) outcome.report = report
    else if (unreachable.has(h.name)) outcome.unreachable = unreachable.get(h.name) as string
    else outcome.failed = failed.get(h.name) ?? (played.stderr.trim().split('\n').at(-1) || 'no result from Ansible')
    return outcome
  })
}

function phaseOf(task: string): string {
  if (task === 'collect') return 'running'
  if (/release|unpack/.test(task)) return 'installing'
  return ''
}

/** Progress lines for a person (stderr, TTY): one per state change, with a counter. */
class Progress {
  private readonly last = new Map<string, string>()
  private readonly done = new Set<string>()
  private readonly t0 = Date.now()

  constructor(private total: number, private readonly emit?: (line: string) => void) {}

  phase(host: string, phase: string): void {
    if (this.emit === undefined || phase === '' || this.last.get(host) === phase) return
    this.last.set(host, phase)
    if (['done', 'failed', 'no-answer', 'partial', 'pending'].includes(phase)) this.done.add(host)
    this.emit(`[${this.done.size}/${this.total}] ${host} ${phase} ${Math.round((Date.now() - this.t0) / 1000)}s`)
  }

  restart(total: number): void {
    this.total = total
    this.done.clear()
    this.last.clear()
  }
}
