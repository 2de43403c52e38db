/**
 * The one place an S3 client is built. Credentials come only from the SDK's standard chain
 * (environment, profile, instance role); the endpoint from `--endpoint` or the standard
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL variables, with path-style addressing for custom endpoints.
 */
import {S3Client} from '@aws-sdk/client-s3'
import {NodeHttpHandler, type NodeHttpHandlerOptions} from '@smithy/node-http-handler'

import {s3TimeoutsFromEnv, TIMEOUT_VARIABLES, type S3Timeouts} from './s3-timeouts.js'

export interface S3ClientOptions {
  /** `--endpoint`; wins over the environment. */
  endpoint?: string
  env?: NodeJS.ProcessEnv
  region?: string
  /** Aborts every request in flight (and every later one) when it fires: push's overall deadline. */
  signal?: AbortSignal
  /** Default: s3TimeoutsFromEnv(env). */
  timeouts?: S3Timeouts
}

type HandleArgs = Parameters<NodeHttpHandler['handle']>

/** The SDK's Node handler with our time limits, and a signal given to every request that brings none. */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(options: NodeHttpHandlerOptions, private readonly signal: AbortSignal | undefined) {
    super(options)
  }

  override handle(request: HandleArgs[0], options: HandleArgs[1] = {}): ReturnType<NodeHttpHandler['handle']> {
    return super.handle(request, this.signal === undefined || options.abortSignal !== undefined ? options : {...options, abortSignal: this.signal})
  }
}

export function resolveEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = flag ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL)
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new RangeError(`endpoint ${JSON.stringify(value)} is not a URL (expected e.g. http://127.0.0.1:7480)`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`endpoint must be http(s), got ${url.protocol}`)
  if (url.username !== '' || url.password !== '') throw new RangeError('endpoint must not carry credentials; use the AWS credential chain')
  return url.toString().replace(/\/$/, '')
}

const ignore = (): void => undefined
const silentLogger = {debug: ignore, error: ignore, info: ignore, trace: ignore, warn: ignore}

export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const env = options.env ?? process.env
  const endpoint = resolveEndpoint(options.endpoint, env)
  const timeouts = options.timeouts ?? s3TimeoutsFromEnv(env)
  const region = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? (endpoint === undefined ? undefined : 'us-east-1')
  return new S3Client({
    ...(endpoint === undefined ? {} : {endpoint, forcePathStyle: true}),
    ...(region === undefined ? {} : {region}),
    // Retries are ours (retry.ts): stream bodies cannot be replayed by the SDK.
    maxAttempts: 1,
    // The SDK would print "non-retryable streaming request" warnings to the console; retry.ts reports instead.
    logger: silentLogger,
    // RGW rejects the SDK's default aws-chunked trailers; we send Content-MD5 and SHA-256 ourselves.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without these a server that accepts the connection and never answers hangs the push forever.
    requestHandler: new DeadlineHttpHandler({
      connectionTimeout: timeouts.connectMs,
      requestTimeout: timeouts.requestMs,
      socketTimeout: timeouts.idleMs,
      throwOnRequestTimeout: true,
    }, options.signal),
  })
}

/** A short description of an S3 or network error for messages: name, HTTP status, message. Never headers or credentials. */
export function describeS3Error(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error)
  const e = error as {$metadata?: {httpStatusCode?: number}; code?: string; message?: string; name?: string}
  const status = e.$metadata?.httpStatusCode
  const label = e.name !== undefined && e.name !== 'Error' ? e.name : e.code ?? 'Error'
  const message = e.message !== undefined && e.message !== label && e.message !== 'UnknownError' ? `: ${e.message}` : ''
  const hint = configurationHint(`${e.message ?? ''} ${e.name ?? ''}`)
  return `${label}${status === undefined ? '' : ` (HTTP ${status})`}${message}${hint}`
}

/** What to set when the SDK fails before any request: no region, or no credentials in the standard chain. */
function configurationHint(text: string): string {
  if (/Region is missing/i.test(text)) {
    return ' (set AWS_REGION; for a server other than AWS also set AWS_ENDPOINT_URL_S3 or pass --endpoint, e.g. `. .s3/env` after scripts/local-s3.sh start)'
  }
  if (/TimeoutError|timed out|did not establish a connection|exceeded the configured/i.test(text)) {
    return ` (the server did not answer in time; check the endpoint and the network, or on a very slow link raise ${TIMEOUT_VARIABLES.idleMs} / ${TIMEOUT_VARIABLES.requestMs} (seconds))`
  }
  if (/Could not load credentials|CredentialsProviderError/i.test(text)) {
    return ' (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where an instance role applies)'
  }
  return ''
}

/** The error's S3 name or HTTP status, for decisions such as "not found". */
export function s3ErrorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : undefined
}

export function httpStatus(error: unknown): number | undefined {
  return (error as {$metadata?: {httpStatusCode?: number}} | undefined)?.$metadata?.httpStatusCode
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
