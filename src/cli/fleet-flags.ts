/** The flags the `fleet` commands share: reading a case from S3 (status, verify), and running a collection (collect, retry). */
import type {S3Client} from '@aws-sdk/client-s3'
import * as Flags from '@oclif/core/flags'
import {resolve} from 'node:path'

import {parseDuration} from '../collectors/artifacts/schema.js'
import {UsageError, errorMessage} from '../core/errors.js'
import {shellQuote} from '../core/shell-quote.js'
import type {Inventory} from '../fleet/inventory.js'
import type {FleetOptions} from '../fleet/run-fleet.js'
import {pushFlagArgv, pushFlags, pushOptionsFromFlags, type PushFlagValues} from './push-flags.js'

/** The flags every `fleet` command that reads a case from S3 shares. Credentials never come from a flag. */
export const fleetCaseFlags = {
  bucket: Flags.string({description: 'the bucket holding the case (s3://B/[P/]CASE/)', required: true}),
  case: Flags.string({description: 'case id (the CASE folder in the bucket)', required: true}),
  endpoint: Flags.string({description: 'S3 endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS itself)'}),
  inventory: Flags.string({description: 'Ansible inventory (INI or YAML): hosts in it without a bundle are named'}),
  prefix: Flags.string({description: 'key prefix in the bucket (the case is PREFIX/CASE/)'}),
  run: Flags.string({description: 'the fleet run (YYYYMMDDTHHMMSSZ) whose manifest is read (default: the latest)'}),
}

export interface FleetCaseContext {
  client: S3Client
  endpoint: string | undefined
  inventory: Inventory | undefined
}

/** The inventory (read and checked first: a bad one is exit 2 before any request) and an S3 client for the endpoint. */
export async function openFleetCase(flags: {endpoint?: string; inventory?: string}): Promise<FleetCaseContext> {
  const {readInventory} = await import('../fleet/inventory.js')
  const inventory = flags.inventory === undefined ? undefined : await readInventory(flags.inventory)
  const {createS3Client, resolveEndpoint} = await import('../storage/s3-client.js')
  let endpoint: string | undefined
  try {
    endpoint = resolveEndpoint(flags.endpoint)
  } catch (error) {
    throw new UsageError(errorMessage(error))
  }
  return {client: createS3Client(endpoint === undefined ? {} : {endpoint}), endpoint, inventory}
}

export const fleetFlags = {
  ...pushFlags,
  become: Flags.boolean({allowNo: true, default: true, description: 'run as root on the hosts through become (sudo); --no-become when Ansible already logs in as root'}),
  bucket: Flags.string({description: 'the bucket (created beforehand with Object Lock enabled)', required: true}),
  canary: Flags.integer({default: 0, description: 'run these first N hosts first; if one of them is not stored (or more than --max-fail), the run pauses', min: 0}),
  case: Flags.string({description: 'case id (bundles go to s3://B/[P/]CASE/HOST/)', required: true}),
  credentials: Flags.string({description: 'AWS shared-credentials file (0600) the hosts get for their push: a short-lived, delete-less credential scoped to the case (README); default: the controller\'s own credentials'}),
  examiner: Flags.string({description: 'who runs the collection (recorded in the run manifest)'}),
  'evidence-dir': Flags.string({default: '/var/lib/hipaa-ir', description: 'folder on each host that keeps its bundles (CASE/ below it, 0700)'}),
  'install-dir': Flags.string({default: '/opt/hipaa-ir', description: 'folder on each host where the release is installed'}),
  inventory: Flags.string({description: 'Ansible inventory (INI or YAML)', required: true}),
  key: Flags.string({description: 'signify secret key that signs the run manifest (default: a one-time key, whose .pub goes beside it)'}),
  'max-fail': Flags.string({description: 'pause the run once more than N hosts (or N% of them) are not stored; hosts then run in batches of --parallel'}),
  parallel: Flags.integer({default: 10, description: 'hosts at a time (Ansible forks)', min: 1}),
  'phi-dir': Flags.string({description: 'PHI folder on the hosts (repeatable); default: collect\'s', multiple: true}),
  'relay-dir': Flags.string({description: 'with --transport relay: the controller\'s folder for relayed bundles (default ./hipaa-ir-relay/CASE)'}),
  release: Flags.string({description: 'the release tarball hosts install (scripts/make-release.sh; checked against its .sha256)', required: true}),
  since: Flags.string({default: '24h', description: 'collect\'s window start on every host'}),
  timeout: Flags.string({default: '30m', description: 'per-host limit for the collection (an async job on the host: it goes on if the controller dies)'}),
  transport: Flags.string({default: 'push', description: 'push: each host pushes its own bundle; relay: for hosts with no S3 egress, the controller reads the bundle over SSH and pushes it', options: ['push', 'relay']}),
}

export interface FleetFlagValues extends PushFlagValues {
  examiner?: string
  key?: string
  become: boolean
  bucket: string
  canary: number
  case: string
  credentials?: string
  'evidence-dir': string
  'install-dir': string
  inventory: string
  'max-fail'?: string
  parallel: number
  'phi-dir'?: string[]
  'relay-dir'?: string
  release: string
  since: string
  timeout: string
  transport: string
}

export function parseMaxFail(value: string | undefined): FleetOptions['maxFail'] {
  if (value === undefined) return undefined
  const match = /^(\d{1,6})(%)?$/.exec(value.trim())
  if (match === null) throw new UsageError(`--max-fail ${value}: expected a number of hosts (3) or a percentage (10%)`)
  return match[2] === '%' ? {percent: Number(match[1])} : {count: Number(match[1])}
}

export function timeoutSeconds(value: string): number {
  const ms = parseDuration(value)
  if (ms === null) throw new UsageError(`--timeout ${value}: expected a duration such as 90s, 30m or 2h`)
  return Math.max(1, Math.ceil(ms / 1000))
}

/** Collect flags for the hosts. */
export function hostCollectArgs(flags: FleetFlagValues): string[] {
  return ['--since', flags.since, ...(flags['phi-dir'] ?? []).flatMap((d) => ['--phi-dir', d])]
}

export function hostPushArgs(flags: FleetFlagValues): string[] {
  return pushFlagArgv(flags)
}

export function controllerPushOptions(flags: FleetFlagValues) {
  return pushOptionsFromFlags(flags)
}

/** The exact command that retries this run: the same case, bucket, inventory and settings. */
export function fleetRetryCommand(flags: FleetFlagValues): string {
  const argv = ['hipaa-ir', 'fleet', 'retry', '--case', flags.case, '--inventory', resolve(flags.inventory), '--release', resolve(flags.release), ...pushFlagArgv(flags)]
  if (flags.since !== '24h') argv.push('--since', flags.since)
  for (const dir of flags['phi-dir'] ?? []) argv.push('--phi-dir', dir)
  if (flags.transport !== 'push') argv.push('--transport', flags.transport)
  if (flags['relay-dir'] !== undefined) argv.push('--relay-dir', resolve(flags['relay-dir']))
  if (flags.credentials !== undefined) argv.push('--credentials', resolve(flags.credentials))
  if (flags.key !== undefined) argv.push('--key', resolve(flags.key))
  if (flags.examiner !== undefined) argv.push('--examiner', flags.examiner)
  if (!flags.become) argv.push('--no-become')
  if (flags['install-dir'] !== '/opt/hipaa-ir') argv.push('--install-dir', flags['install-dir'])
  if (flags['evidence-dir'] !== '/var/lib/hipaa-ir') argv.push('--evidence-dir', flags['evidence-dir'])
  if (flags.parallel !== 10) argv.push('--parallel', String(flags.parallel))
  if (flags.timeout !== '30m') argv.push('--timeout', flags.timeout)
  return argv.map(shellQuote).join(' ')
}
