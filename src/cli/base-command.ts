import {Command} from '@oclif/core/command'
import * as Errors from '@oclif/core/errors'

import {closestMatch} from '../core/closest-match.js'
import {HipaaIrError} from '../core/errors.js'
import {terminalText} from '../core/terminal-text.js'
import {ExitCode} from './exit-codes.js'

/** `{"error": {...}}` under --json. */
export interface JsonError {
  code?: string
  exit: number
  message: string
  name: string
  suggestions?: string[]
}

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
    process.stderr.write(`warning: ${terminalText(message)}\n`)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    let cli: Error & {exitCode?: number; oclif?: {exit?: number}}
    if (error instanceof HipaaIrError) {
      // A message can carry names from evidence (a tar member, a bundle's top folder): escaped for the terminal, as is under --json.
      const message = this.jsonEnabled() ? error.message : terminalText(error.message)
      cli = new Errors.CLIError(message, {code: error.code, exit: error.exitCode, suggestions: error.suggestions})
    } else if (Array.isArray((error as {flags?: unknown}).flags) && /^Nonexistent flag/.test(error.message)) {
      cli = this.unknownFlagError((error as unknown as {flags: string[]}).flags)
    } else if (error instanceof Errors.CLIError || error.oclif !== undefined) {
      // oclif's own flag-parsing errors already carry exit 2.
      cli = error
    } else {
      cli = new Errors.CLIError(error.message || String(error), {exit: ExitCode.Unexpected})
    }
    // Under --json oclif takes the exit code from `exitCode`, otherwise from `oclif.exit`: set both.
    cli.exitCode = cli.oclif?.exit ?? ExitCode.Unexpected
    return super.catch(cli)
  }

  /**
   * A mistyped flag: named with the nearest real one, without the whole usage text oclif would print
   * after it (close to 3 KB for collect).
   */
  private unknownFlagError(typed: string[]): Errors.CLIError {
    const known = Object.keys(this.ctor.flags ?? {}).map((name) => `--${name}`)
    const parts = typed.map((flag) => {
      const guess = closestMatch(flag.split('=')[0] ?? flag, known)
      return guess === undefined ? flag : `${flag} (did you mean ${guess}?)`
    })
    const command = `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trim()
    const error = new Errors.CLIError(`Nonexistent flag${typed.length === 1 ? '' : 's'}: ${parts.join(', ')}`, {
      code: 'E_FLAG', exit: ExitCode.Usage, suggestions: [`${command} --help`],
    })
    error.name = 'UsageError'
    return error
  }

  /**
   * The one JSON document a failed `--json` run prints: what went wrong, its code, the exit code and
   * how to fix it. oclif's default serialises the whole error, and a flag-parsing error carries the
   * parsed argv and oclif's entire config (over 100 KB).
   */
  protected override toErrorJson(error: unknown): {error: JsonError} {
    const cli = error as Error & {code?: string; exitCode?: number; oclif?: {exit?: number}; suggestions?: string[]}
    const json: JsonError = {
      exit: cli.exitCode ?? cli.oclif?.exit ?? ExitCode.Unexpected,
      message: cli instanceof Error ? cli.message : String(error),
      name: cli instanceof Error ? cli.name : 'Error',
    }
    if (typeof cli.code === 'string') json.code = cli.code
    if (Array.isArray(cli.suggestions) && cli.suggestions.length > 0) json.suggestions = cli.suggestions
    return {error: json}
  }

  abstract override run(): Promise<T>
}
