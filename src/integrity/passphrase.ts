import {UsageError} from '../core/errors.js'

/** The one environment variable a passphrase may come from (never a flag: flags land in shell history and ps). */
export const PASSPHRASE_ENV = 'HIPAA_IR_PASSPHRASE'

export function passphraseFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[PASSPHRASE_ENV]
  return value === undefined || value === '' ? undefined : value
}

export function canPrompt(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}

/** The terminal a passphrase is read from (process.stdin and process.stderr; replaceable in tests). */
export interface PromptTerminal {
  input: Pick<NodeJS.ReadStream, 'isTTY' | 'off' | 'on' | 'pause' | 'resume' | 'setRawMode'>
  output: Pick<NodeJS.WriteStream, 'write'>
}

/** How long input already waiting when the prompt is about to appear is read and thrown away. */
const TYPE_AHEAD_MS = 25

/** Reads and drops whatever is already waiting on the terminal (type-ahead), so it is neither echoed nor taken as the passphrase. */
async function discardTypeAhead(input: PromptTerminal['input']): Promise<void> {
  const drop = (): void => undefined
  input.on('data', drop)
  await new Promise((resolve) => {
    setTimeout(resolve, TYPE_AHEAD_MS)
  })
  input.off('data', drop)
}

/**
 * Reads one line from the terminal with echo off. Echo goes off (raw mode) and pending type-ahead is
 * discarded BEFORE the prompt is written, so nothing typed early is ever shown. The prompt goes to
 * stderr; nothing is echoed.
 */
export async function readHidden(prompt: string, terminal: PromptTerminal = {input: process.stdin, output: process.stderr}): Promise<string> {
  const {input, output} = terminal
  if (!input.isTTY) throw new UsageError(`a passphrase is needed but there is no terminal to ask on`, {suggestions: [`set ${PASSPHRASE_ENV}`]})
  input.setRawMode(true)
  input.resume()
  try {
    await discardTypeAhead(input)
    output.write(prompt)
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (chunk: Buffer): void => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            input.off('data', onData)
            resolve(value)
            return
          }
          if (char === '\u0003') {
            input.off('data', onData)
            reject(new UsageError('passphrase entry cancelled'))
            return
          }
          value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char
        }
      }
      input.on('data', onData)
    })
  } finally {
    input.setRawMode(false)
    input.pause()
    output.write('\n')
  }
}

/**
 * The passphrase for an existing key: HIPAA_IR_PASSPHRASE, else a prompt on the terminal.
 * Without either, a UsageError that says how to supply it.
 */
export async function passphraseForKey(keyPath: string): Promise<string> {
  const fromEnv = passphraseFromEnv()
  if (fromEnv !== undefined) return fromEnv
  if (!canPrompt()) {
    throw new UsageError(`${keyPath} is passphrase-protected and there is no terminal to ask for the passphrase`, {
      code: 'E_PASSPHRASE',
      suggestions: [`set ${PASSPHRASE_ENV} in the environment (never pass it as a flag)`],
    })
  }
  return readHidden(`passphrase for ${keyPath}: `)
}

/** A new passphrase, asked twice on the terminal. Empty is refused (as signify does). */
export async function newPassphraseFromTty(): Promise<string> {
  const first = await readHidden('new passphrase: ')
  if (first === '') throw new UsageError('an empty passphrase is not allowed; leave out --passphrase for a key without one')
  const second = await readHidden('confirm passphrase: ')
  if (first !== second) throw new UsageError('the passphrases do not match')
  return first
}
