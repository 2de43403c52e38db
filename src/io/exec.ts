import {execa} from 'execa'
import {stat} from 'node:fs/promises'

/** One command to run: argv only (argv[0] is the program), never a shell string. */
export interface ExecRequest {
  argv: readonly string[]
  /** Killed (SIGTERM, then SIGKILL 2 s later) when it runs longer than this. */
  timeoutMs: number
  /** Output beyond this many bytes is cut off and the command is stopped; the record says `truncated`. */
  maxOutputBytes: number
  /** Extra environment; the base environment is PATH plus LC_ALL=C, LANG=C and TZ=UTC. */
  env?: Record<string, string>
  /**
   * Append stdout to this existing file instead of holding it in memory (`stdout` is then empty and
   * `bytes` counts what was appended); the output cap does not apply, the disk is the limit.
   */
  appendStdoutTo?: string
}

/** What happened, exactly enough for the acquisition log and the manifest. */
export interface ExecResult {
  argv: string[]
  bytes: number
  durationMs: number
  /** Present when the program could not be started (e.g. ENOENT: not installed). */
  error?: string
  exitCode: number | null
  notFound: boolean
  signal: string | null
  startedAt: string
  stderr: string
  stdout: Buffer
  timedOut: boolean
  truncated: boolean
}

export type ExecFn = (request: ExecRequest) => Promise<ExecResult>

const STDERR_KEEP = 8192

/** The base environment every collector command gets: stable parsing (C locale) and UTC times. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {LANG: 'C', LC_ALL: 'C', PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', TZ: 'UTC', ...extra}
}

/** The one place hipaa-ir starts a process. */
export const exec: ExecFn = async (request) => {
  const [file, ...args] = request.argv
  if (file === undefined) throw new TypeError('exec: empty argv')
  const startedAt = new Date()
  const started = performance.now()
  const sizeBefore = request.appendStdoutTo === undefined ? 0 : await fileSize(request.appendStdoutTo)
  const result = await execa(file, args, {
    encoding: 'buffer',
    env: baseEnv(request.env),
    extendEnv: false,
    forceKillAfterDelay: 2000,
    maxBuffer: request.maxOutputBytes,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    timeout: request.timeoutMs,
    ...(request.appendStdoutTo === undefined ? {} : {stdout: {append: true, file: request.appendStdoutTo}}),
  })
  const durationMs = Math.round(performance.now() - started)
  const stdout = request.appendStdoutTo === undefined ? Buffer.from(result.stdout ?? new Uint8Array()) : Buffer.alloc(0)
  const appended = request.appendStdoutTo === undefined ? 0 : (await fileSize(request.appendStdoutTo)) - sizeBefore
  const stderrFull = Buffer.from(result.stderr ?? new Uint8Array()).toString('utf8')
  const code = (result as {code?: string}).code
  const notFound = code === 'ENOENT'
  return {
    argv: [...request.argv],
    bytes: request.appendStdoutTo === undefined ? stdout.length : appended,
    durationMs,
    ...(result.failed && !result.timedOut && result.exitCode === undefined && !result.isMaxBuffer
      ? {error: notFound ? `${file}: not found on PATH` : (result.shortMessage ?? 'could not start')}
      : {}),
    exitCode: result.exitCode ?? null,
    notFound,
    signal: result.signal ?? null,
    startedAt: startedAt.toISOString(),
    stderr: stderrFull.length > STDERR_KEEP ? `${stderrFull.slice(0, STDERR_KEEP)}…[stderr cut at ${STDERR_KEEP} chars]` : stderrFull,
    stdout,
    timedOut: result.timedOut,
    truncated: result.isMaxBuffer === true,
  }
}

/** A command whose stdout is consumed as it arrives (a large listing), never buffered whole. */
export interface StreamExecRequest extends Omit<ExecRequest, 'maxOutputBytes'> {
  /** Called with each stdout chunk in order; the next chunk waits until it resolves (back-pressure). */
  onStdout: (chunk: Buffer) => Promise<void> | void
  /** Called with each stderr line as it arrives (the record still keeps stderr's first 8 KiB). */
  onStderrLine?: (line: string) => void
}

export type StreamExecResult = Omit<ExecResult, 'stdout' | 'truncated'>

/**
 * The streaming twin of `exec`: same argv-only execa call, timeout, environment and record, but
 * stdout is handed over chunk by chunk. Resolves with `notFound` when the program is missing.
 */
export async function execStream(request: StreamExecRequest): Promise<StreamExecResult> {
  const [file, ...args] = request.argv
  if (file === undefined) throw new TypeError('execStream: empty argv')
  const startedAt = new Date()
  const started = performance.now()
  const subprocess = execa(file, args, {
    buffer: {stderr: true, stdout: false},
    encoding: 'buffer',
    env: baseEnv(request.env),
    extendEnv: false,
    forceKillAfterDelay: 2000,
    reject: false,
    stdin: 'ignore',
    timeout: request.timeoutMs,
  })
  let bytes = 0
  let consumerError: unknown
  let stderrTail = ''
  if (request.onStderrLine) {
    subprocess.stderr.setEncoding('utf8')
    subprocess.stderr.on('data', (text: string) => {
      stderrTail += text
      let nl = stderrTail.indexOf('\n')
      while (nl !== -1) {
        request.onStderrLine?.(stderrTail.slice(0, nl))
        stderrTail = stderrTail.slice(nl + 1)
        nl = stderrTail.indexOf('\n')
      }
    })
  }
  try {
    for await (const chunk of subprocess.stdout) {
      const buffer = chunk as Buffer
      bytes += buffer.length
      await request.onStdout(buffer)
    }
  } catch (error) {
    consumerError = error
    subprocess.kill()
  }
  const result = await subprocess
  if (consumerError !== undefined) throw consumerError
  if (stderrTail !== '') request.onStderrLine?.(stderrTail)
  const code = (result as {code?: string}).code
  const notFound = code === 'ENOENT'
  const stderrFull = Buffer.from(result.stderr ?? new Uint8Array()).toString('utf8')
  return {
    argv: [...request.argv],
    bytes,
    durationMs: Math.round(performance.now() - started),
    ...(notFound ? {error: `${file}: not found on PATH`} : {}),
    exitCode: result.exitCode ?? null,
    notFound,
    signal: result.signal ?? null,
    startedAt: startedAt.toISOString(),
    stderr: stderrFull.length > STDERR_KEEP ? `${stderrFull.slice(0, STDERR_KEEP)}…[stderr cut at ${STDERR_KEEP} chars]` : stderrFull,
    timedOut: result.timedOut,
  }
}

async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size
}
