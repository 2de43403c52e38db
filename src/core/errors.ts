import {ExitCode, type ExitCodeValue} from '../cli/exit-codes.js'

export interface HipaaIrErrorOptions {
  cause?: unknown
  /** Stable machine-readable code, e.g. `E_SINCE`. */
  code?: string
  /** What the user can do about it; shown under the message. */
  suggestions?: string[]
}

/** Base of every error the tool raises on purpose. Carries the contract's exit code. */
export class HipaaIrError extends Error {
  readonly code: string
  readonly exitCode: ExitCodeValue
  readonly suggestions: string[]

  constructor(message: string, exitCode: ExitCodeValue, options: HipaaIrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.exitCode = exitCode
    this.code = options.code ?? 'E_HIPAA_IR'
    this.suggestions = options.suggestions ?? []
  }
}

/** Bad flag, bad argument or invalid input file: exit 2. */
export class UsageError extends HipaaIrError {
  constructor(message: string, options: HipaaIrErrorOptions = {}) {
    super(message, ExitCode.Usage, {code: 'E_USAGE', ...options})
  }
}

/** A bundle, signature, key or retention check failed: exit 3. */
export class VerificationError extends HipaaIrError {
  constructor(message: string, options: HipaaIrErrorOptions = {}) {
    super(message, ExitCode.VerificationFailed, {code: 'E_VERIFY', ...options})
  }
}

/** WORM push failed; the local bundle is kept and marked pending: exit 5. */
export class PushError extends HipaaIrError {
  constructor(message: string, options: HipaaIrErrorOptions = {}) {
    super(message, ExitCode.PushFailed, {code: 'E_PUSH', ...options})
  }
}

/** Writing the bundle itself failed (disk full, permissions): exit 1, nothing complete-looking left behind. */
export class OutputError extends HipaaIrError {
  constructor(message: string, options: HipaaIrErrorOptions = {}) {
    super(message, ExitCode.Unexpected, {code: 'E_OUTPUT', ...options})
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined
}
