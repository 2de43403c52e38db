/** What `fleet collect` and `fleet retry` share: flags to options, the run, its table and exit code. */
import {join, resolve} from 'node:path'

import {controllerPushOptions, fleetRetryCommand, hostCollectArgs, hostPushArgs, parseMaxFail, timeoutSeconds, type FleetFlagValues} from '../cli/fleet-flags.js'
import {isSafeSegment} from '../storage/object-key.js'
import {UsageError, errorMessage} from '../core/errors.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {createS3Client, resolveEndpoint} from '../storage/s3-client.js'
import type {ExitCodeValue} from '../cli/exit-codes.js'
import type {FleetHost} from './host-state.js'
import {readRelease} from './release.js'
import {fleetExitCode, fleetTable, stateCounts} from './report.js'
import {runFleet, type FleetRun} from './run-fleet.js'
import {buildFleetManifest, writeFleetManifest, type FleetManifestHost, type HostState} from './manifest.js'
import {createOneTimeSigner, loadSigner, type Signer} from '../integrity/signer.js'
import {resolveLockSettings} from '../storage/retention.js'
import type {PushRunOptions} from '../storage/push-run.js'
import type {S3Client} from '@aws-sdk/client-s3'

export interface FleetResult {
  case: string
  /** The signed run manifest's S3 URL, or null when it could not be written (a note says why). */
  manifest: null | string
  paused: boolean
  retry: string
  run: string
  hosts: FleetHost[]
}

export interface FleetOutput {
  exitCode: ExitCodeValue
  notes: string[]
  result: FleetResult
  text: string
}

export interface FleetRunFlags extends FleetFlagValues {
  examiner?: string
  key?: string
  recollect?: boolean
}

export async function fleetRun(flags: FleetRunFlags, mode: {onProgress?: (line: string) => void; retry: boolean; version: string}): Promise<FleetOutput> {
  if (!isSafeSegment(flags.case)) throw new UsageError(`--case ${flags.case}: letters, digits, dot, dash and underscore only (it becomes an S3 key segment)`)
  const maxFail = parseMaxFail(flags['max-fail'])
  const timeout = timeoutSeconds(flags.timeout)
  const release = await readRelease(flags.release)
  const endpoint = resolveEndpoint(flags.endpoint)
  const pushFlagsWithEndpoint = {...flags, ...(endpoint === undefined ? {} : {endpoint})}
  // Loaded first: a bad key is exit 2 before any host is touched.
  const signer = flags.key === undefined ? createOneTimeSigner(flags.case) : await loadSigner(flags.key)
  const client = createS3Client(endpoint === undefined ? {} : {endpoint})
  const started = new Date()
  const runDir = await makePrivateTempDir('hipaa-ir-fleet-')
  try {
    const run = await runFleet({
      become: flags.become,
      bucket: flags.bucket,
      canary: flags.canary,
      case: flags.case,
      client,
      collectArgs: hostCollectArgs(flags),
      ...(flags.credentials === undefined ? {} : {credentialsFile: resolve(flags.credentials)}),
      ...(endpoint === undefined ? {} : {endpoint}),
      evidenceRoot: flags['evidence-dir'],
      installRoot: flags['install-dir'],
      inventory: resolve(flags.inventory),
      ...(maxFail === undefined ? {} : {maxFail}),
      ...(mode.onProgress === undefined ? {} : {onProgress: mode.onProgress}),
      parallel: flags.parallel,
      ...(flags.prefix === undefined ? {} : {prefix: flags.prefix}),
      pushArgs: hostPushArgs(pushFlagsWithEndpoint),
      pushOptions: controllerPushOptions(pushFlagsWithEndpoint),
      recollect: flags.recollect ?? false,
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      relayDir: resolve(flags['relay-dir'] ?? join('hipaa-ir-relay', flags.case)),
      release,
      retry: mode.retry,
      runDir,
      timeoutSeconds: timeout,
      transport: flags.transport as 'push' | 'relay',
    })
    const retry = fleetRetryCommand(pushFlagsWithEndpoint)
    const notes: string[] = []
    if (run.controllerCredentials) notes.push('the hosts were given the controller\'s own S3 credentials for their push; prefer --credentials with a short-lived, delete-less credential scoped to the case (README, "Fleet collection")')
    if (release.pinnedBy === 'computed') notes.push(`no ${release.name}.tar.gz.sha256 beside the release: hosts check the SHA-256 computed now (${release.sha256})`)
    let manifest: null | string = null
    if (!run.nothingToDo) {
      try {
        manifest = await writeRunManifest(run, {client, examiner: flags.examiner, pushOptions: controllerPushOptions(pushFlagsWithEndpoint), signer, started, version: mode.version})
      } catch (error) {
        notes.push(`the run manifest was not written: ${errorMessage(error)}; the bundles are stored regardless, and fleet retry writes a new one`)
      }
    }
    if (signer.oneTime && manifest !== null) notes.push('the run manifest is signed with a one-time key (its .pub is beside it): it proves integrity, not origin; give --key to sign with the organisation\'s key')
    const result: FleetResult = {case: flags.case, hosts: run.hosts, manifest, paused: run.paused, retry, run: run.run}
    const exitCode = fleetExitCode(run.hosts)
    const where = `s3://${flags.bucket}/${flags.prefix === undefined || flags.prefix === '' ? '' : `${flags.prefix.replace(/\/+$/, '')}/`}${flags.case}/`
    const lines = [
      `case ${flags.case} → ${where}   run ${run.run}   release ${release.name} sha256 ${release.sha256.slice(0, 12)}…   ${run.hosts.length} hosts, ${flags.parallel} parallel, transport ${flags.transport}`,
      fleetTable(run.hosts),
      stateCounts(run.hosts) + (run.paused ? '   (paused: --max-fail reached or a canary failed)' : ''),
    ]
    if (manifest !== null) lines.push(`run manifest ${manifest}`)
    if (run.nothingToDo) lines.push(`nothing to retry: every host of the inventory has its bundle stored`)
    lines.push(exitCode === 0 && !run.paused ? 'all hosts done' : `retry: ${retry}`)
    return {exitCode, notes, result, text: lines.join('\n')}
  } finally {
    await removePrivateTempDir(runDir)
  }
}

/** The body of `fleet collect` and `fleet retry`: progress on a terminal, notes, the table, the exit code. */
export async function fleetCommand(
  command: {jsonEnabled: () => boolean; log: (text: string) => void; note: (text: string) => void; version: string},
  flags: FleetRunFlags,
  retry: boolean,
): Promise<FleetResult> {
  const progress = command.jsonEnabled() || !process.stderr.isTTY ? {} : {onProgress: (line: string) => process.stderr.write(`${line}\n`)}
  const out = await fleetRun(flags, {retry, version: command.version, ...progress})
  for (const note of out.notes) command.note(note)
  if (!command.jsonEnabled()) command.log(out.text)
  process.exitCode = out.exitCode
  return out.result
}

/** The signed run manifest under CASE/_fleet/RUN/, same Object Lock as the bundles; hosts no run reached are left out (fleet status names them). */
async function writeRunManifest(
  run: FleetRun,
  options: {client: S3Client; examiner: string | undefined; pushOptions: PushRunOptions; signer: Signer; started: Date; version: string},
): Promise<string> {
  const hosts: FleetManifestHost[] = run.hosts.filter((h): h is FleetHost & {state: HostState} => h.state !== 'not-started').map((h) => ({
    address: h.address, bundle: h.bundle, host: h.host, inventory_name: h.inventory_name, key: h.key, note: h.note, sha256: h.sha256, state: h.state, version_id: h.version_id,
  }))
  const manifest = buildFleetManifest({
    bucket: options.pushOptions.bucket, case: run.case, ended: new Date(), hosts, run: run.run, started: options.started, tool_version: options.version,
    ...(options.examiner === undefined ? {} : {examiner: options.examiner}),
    ...(options.pushOptions.prefix === undefined ? {} : {prefix: options.pushOptions.prefix}),
  })
  const written = await writeFleetManifest(manifest, options.signer, {
    bucket: options.pushOptions.bucket, client: options.client, lock: resolveLockSettings(options.pushOptions, new Date()),
  })
  return `s3://${options.pushOptions.bucket}/${written.keys.manifest}`
}
