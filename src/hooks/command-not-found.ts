import type {Hook} from '@oclif/core/hooks'

import {ExitCode} from '../cli/exit-codes.js'
import {closestMatch} from '../core/closest-match.js'

/**
 * An unknown command is a usage error (exit 2) that names the nearest command, in the topic separator
 * users type (`keys generate`, not `keys:generate`), and under --json is the one error document.
 * oclif's plugin-not-found was not used: without a terminal it gives no suggestion and exits 127, and on
 * a terminal it offers to run its guess, which during an incident could start a collection nobody meant.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const spaced = (id: string): string => id.replaceAll(':', ' ')
  const typed = spaced(options.id)
  const ids = options.config.commands.filter((c) => !c.hidden).map((c) => spaced(c.id))
  const guess = guessCommand(typed.split(' '), ids)
  const bin = options.config.bin
  const message = `${typed} is not a ${bin} command.${guess === undefined ? '' : ` Did you mean \`${bin} ${guess}\`?`}`
  const suggestions = [`${bin} help` + (guess === undefined ? '' : ` ${guess}`), `${bin} commands`]
  if ((options.argv ?? []).includes('--json')) {
    const error = {code: 'E_COMMAND', exit: ExitCode.Usage, message, name: 'UsageError', suggestions}
    process.stdout.write(`${JSON.stringify({error}, null, 2)}\n`)
    process.exit(ExitCode.Usage)
  }
  process.stderr.write(`Error: ${message}\nTry this: ${suggestions.join(' or ')}\n`)
  process.exit(ExitCode.Usage)
}

/** The longest run of leading words that is a command's start (`keys gen`) or near one (`verfy` of `verfy x`). */
function guessCommand(words: string[], ids: string[]): string | undefined {
  for (let n = words.length; n > 0; n--) {
    const typed = words.slice(0, n).join(' ')
    const guess = ids.find((id) => id.startsWith(typed)) ?? closestMatch(typed, ids)
    if (guess !== undefined) return guess
  }
  return undefined
}

export default hook
