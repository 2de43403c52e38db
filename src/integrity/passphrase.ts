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

/** Reads one line from the terminal with echo off. The prompt goes to stderr; nothing is echoed. */
export async function readHidden(prompt: string): Promise<string> {
  const input = process.stdin
  if (!input.isTTY) throw new UsageError(`a passphrase is needed but there is no terminal to ask on`, {suggestions: [`set ${PASSPHRASE_ENV}`]})
  process.stderr.write(prompt)
  input.setRawMode(true)
  input.resume()
  try {
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
    process.stderr.write('\n')
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
