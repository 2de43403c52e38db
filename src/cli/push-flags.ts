import * as Flags from '@oclif/core/flags'
import {resolve} from 'node:path'

import {UsageError} from '../core/errors.js'
import {shellQuote} from '../integrity/key-files.js'

import type {PushRunOptions} from '../storage/push-run.js'

const MiB = 1024 * 1024

/** The WORM flags shared by `push` and `collect --push`. Credentials never come from a flag. */
export const pushFlags = {
  'allow-unlocked': Flags.boolean({default: false, description: 'push even to a bucket without Object Lock (drills only: the evidence stays deletable)'}),
  bucket: Flags.string({description: 'the bucket (created beforehand with Object Lock enabled)'}),
  endpoint: Flags.string({description: 'S3 endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS itself)'}),
  'legal-hold': Flags.boolean({default: false, description: 'also place a legal hold on every object'}),
  mode: Flags.string({default: 'compliance', description: 'Object Lock mode (governance for drills: deletable with special permission)', options: ['compliance', 'governance']}),
  'part-size': Flags.integer({default: 32, description: 'multipart part size in MiB (bundles larger than this go up in parts)', min: 5}),
  prefix: Flags.string({description: 'key prefix in the bucket (keys are PREFIX/CASE/HOST/NAME.tar.gz ...)'}),
  'read-back': Flags.boolean({default: false, description: "also prove every object by downloading it and comparing its SHA-256 (slower: every byte moves twice); default: the server's ETag against the MD5s of the bytes sent"}),
  'retain-days': Flags.integer({description: 'retain for N days instead of the default 6 years (164.530(j))', exclusive: ['retain-until'], min: 1}),
  'retain-until': Flags.string({description: 'retain until this ISO 8601 date or date-time', exclusive: ['retain-days']}),
}

export interface PushFlagValues {
  'allow-unlocked': boolean
  bucket?: string
  endpoint?: string
  'legal-hold': boolean
  mode: string
  'part-size': number
  prefix?: string
  'read-back'?: boolean
  'retain-days'?: number
  'retain-until'?: string
}

/** `--push` without `--bucket` (collect, drill run): exit 2 with an example. */
export function requireBucketForPush(flags: {bucket?: string; push: boolean}): void {
  if (flags.push && (flags.bucket === undefined || flags.bucket === '')) {
    throw new UsageError('--push needs --bucket B', {suggestions: ['e.g. --push --bucket phi-evidence (a bucket created with Object Lock enabled)']})
  }
}

/** Maps the shared flags to the push workflow's options. */
export function pushOptionsFromFlags(flags: PushFlagValues & {bucket: string}): PushRunOptions {
  return {
    allowUnlocked: flags['allow-unlocked'],
    bucket: flags.bucket,
    legalHold: flags['legal-hold'],
    mode: flags.mode,
    partSize: flags['part-size'] * MiB,
    ...(flags.endpoint === undefined ? {} : {endpoint: flags.endpoint}),
    ...(flags.prefix === undefined ? {} : {prefix: flags.prefix}),
    ...(flags['read-back'] === true ? {readBack: true} : {}),
    ...(flags['retain-days'] === undefined ? {} : {retainDays: flags['retain-days']}),
    ...(flags['retain-until'] === undefined ? {} : {retainUntil: flags['retain-until']}),
  }
}

/**
 * The command that retries a pending push with the same settings: the same bucket, endpoint, prefix
 * (a different prefix would upload to other keys), lock mode, retention and hold, and --key so the
 * custody event is recorded. Paths are quoted for a shell.
 */
export function retryPushCommand(outDir: string, flags: PushFlagValues & {bucket: string; key?: string}): string {
  const argv = ['hipaa-ir', 'push', '--pending', '--out-dir', resolve(outDir), ...pushFlagArgv(flags)]
  if (flags.key !== undefined) argv.push('--key', resolve(flags.key))
  return argv.map(shellQuote).join(' ')
}

/** The shared push flags as argv, defaults left out: what a retry, or a fleet host, is given to push the same way. */
export function pushFlagArgv(flags: PushFlagValues & {bucket: string}): string[] {
  const argv = ['--bucket', flags.bucket]
  if (flags.endpoint !== undefined) argv.push('--endpoint', flags.endpoint)
  if (flags.prefix !== undefined) argv.push('--prefix', flags.prefix)
  if (flags.mode !== 'compliance') argv.push('--mode', flags.mode)
  if (flags['retain-days'] !== undefined) argv.push('--retain-days', String(flags['retain-days']))
  if (flags['retain-until'] !== undefined) argv.push('--retain-until', flags['retain-until'])
  if (flags['legal-hold']) argv.push('--legal-hold')
  if (flags['allow-unlocked']) argv.push('--allow-unlocked')
  if (flags['read-back'] === true) argv.push('--read-back')
  if (flags['part-size'] !== pushFlags['part-size'].default) argv.push('--part-size', String(flags['part-size']))
  return argv
}
