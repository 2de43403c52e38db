import {Command, Errors} from '@oclif/core'

import {HipaaIrError} from '../core/errors.js'
import {ExitCode} from './exit-codes.js'

/**
 * Every hipaa-ir command extends this: `--json` on, typed errors mapped to the contract's exit
 * codes, and a `status` helper that writes progress to stderr only on a TTY and never under --json.
 */
export abstract class BaseCommand<T> extends Command {
  static override enableJsonFlag = true

  /** Progress and notes for a person at a terminal: stderr, TTY only, silent under --json. */
  protected status(message: string): void {
    if (this.jsonEnabled() || !process.stderr.isTTY) return
    process.stderr.write(`${message}\n`)
  }

  /** A warning that always reaches stderr (even without a TTY), except under --json where it is part of the result. */
  protected note(message: string): void {
    if (this.jsonEnabled()) return
    process.stderr.write(`warning: ${message}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    if (error instanceof HipaaIrError) {
      const cli = new Errors.CLIError(error.message, {exit: error.exitCode, code: error.code, suggestions: error.suggestions})
      return super.catch(cli)
    }
    // oclif's own flag-parsing errors already carry exit 2; anything else is unexpected (1).
    if (error instanceof Errors.CLIError || (error as {oclif?: unknown}).oclif !== undefined) return super.catch(error)
    const wrapped = new Errors.CLIError(error.message || String(error), {exit: ExitCode.Unexpected})
    return super.catch(wrapped)
  }

  abstract override run(): Promise<T>
}
