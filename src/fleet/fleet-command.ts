/** What `fleet collect` and `fleet retry` share: flags to options, the run, its table and exit code. */
import {join, resolve} from 'node:path'

import {controllerPushOptions, fleetRetryCommand, hostCollectArgs, hostPushArgs, parseMaxFail, timeoutSeconds, type FleetFlagValues} from '../cli/fleet-flags.js'
import {isSafeSegment} from '../storage/object-key.js'
import {UsageError} from '../core/errors.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {createS3Client, resolveEndpoint} from '../storage/s3-client.js'
import type {ExitCodeValue} from '../cli/exit-codes.js'
import type {FleetHost} from './host-state.js'
import {readRelease} from './release.js'
import {fleetExitCode, fleetTable, stateCounts} from './report.js'
import {runFleet} from './run-fleet.js'

export interface FleetResult {
  case: string
  /** The signed run manifest's S3 URL (null until the manifest module writes it). */
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

export async function fleetRun(flags: FleetFlagValues & {recollect?: boolean}, mode: {onProgress?: (line: string) => void; retry: boolean}): Promise<FleetOutput> {
  if (!isSafeSegment(flags.case)) throw new UsageError(`--case ${flags.case}: letters, digits, dot, dash and underscore only (it becomes an S3 key segment)`)
  const maxFail = parseMaxFail(flags['max-fail'])
  const timeout = timeoutSeconds(flags.timeout)
  const release = await readRelease(flags.release)
  const endpoint = resolveEndpoint(flags.endpoint)
  const pushFlagsWithEndpoint = {...flags, ...(endpoint === undefined ? {} : {endpoint})}
  const runDir = await makePrivateTempDir('hipaa-ir-fleet-')
  try {
    const run = await runFleet({
      become: flags.become,
      bucket: flags.bucket,
      canary: flags.canary,
      case: flags.case,
      client: createS3Client(endpoint === undefined ? {} : {endpoint}),
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
    const result: FleetResult = {case: flags.case, hosts: run.hosts, manifest: null, paused: run.paused, retry, run: run.run}
    const exitCode = fleetExitCode(run.hosts)
    const where = `s3://${flags.bucket}/${flags.prefix === undefined || flags.prefix === '' ? '' : `${flags.prefix.replace(/\/+$/, '')}/`}${flags.case}/`
    const lines = [
      `case ${flags.case} → ${where}   run ${run.run}   release ${release.name} sha256 ${release.sha256.slice(0, 12)}…   ${run.hosts.length} hosts, ${flags.parallel} parallel, transport ${flags.transport}`,
      fleetTable(run.hosts),
      stateCounts(run.hosts) + (run.paused ? '   (paused: --max-fail reached or a canary failed)' : ''),
    ]
    if (run.nothingToDo) lines.push(`nothing to retry: every host of the inventory has its bundle stored`)
    lines.push(exitCode === 0 && !run.paused ? 'all hosts done' : `retry: ${retry}`)
    return {exitCode, notes, result, text: lines.join('\n')}
  } finally {
    await removePrivateTempDir(runDir)
  }
}

/** The body of `fleet collect` and `fleet retry`: progress on a terminal, notes, the table, the exit code. */
export async function fleetCommand(
  command: {jsonEnabled: () => boolean; log: (text: string) => void; note: (text: string) => void},
  flags: FleetFlagValues & {recollect?: boolean},
  retry: boolean,
): Promise<FleetResult> {
  const progress = command.jsonEnabled() || !process.stderr.isTTY ? {} : {onProgress: (line: string) => process.stderr.write(`${line}\n`)}
  const out = await fleetRun(flags, {retry, ...progress})
  for (const note of out.notes) command.note(note)
  if (!command.jsonEnabled()) command.log(out.text)
  process.exitCode = out.exitCode
  return out.result
}
