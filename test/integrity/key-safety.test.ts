import {execa} from 'execa'
import {EventEmitter} from 'node:events'
import {readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test, vi} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {readPrivateKeyText, writeKeyPairFiles} from '../../src/integrity/key-files.js'
import {type PromptTerminal, readHidden} from '../../src/integrity/passphrase.js'
import {loadSigner} from '../../src/integrity/signer.js'
import {decodeSecretKeyFile, encodeSecretKeyFile} from '../../src/integrity/signify-format.js'
import {newKeyPair} from '../../src/integrity/signify-keys.js'
import {makeTempDir} from '../helpers/temp.js'

let dir: string
beforeAll(async () => {
  dir = await makeTempDir('hipaa-ir-keysafety-')
})

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(UsageError)
  expect((error as UsageError).exitCode).toBe(2)
  return error as UsageError
}

const fileOwner = process.geteuid?.() ?? 0

describe('secret keys another user owns are refused (exit 2, says chown)', () => {
  test('a 0600 signing key and an age identity owned by someone other than the user running hipaa-ir', async () => {
    await writeKeyPairFiles(dir, 'foreign', newKeyPair(), undefined)
    const path = join(dir, 'foreign.sec')
    const identity = join(dir, 'id.agekey')
    await execa('age-keygen', ['-o', identity])
    // The files belong to this process's user; hipaa-ir runs "as" another one.
    const runner = fileOwner === 0 ? 1000 : 0
    const spy = vi.spyOn(process, 'geteuid').mockReturnValue(runner)
    try {
      const error = await usageError(loadSigner(path))
      expect(error.message).toMatch(new RegExp(`belongs to user id ${fileOwner}, not to the user running hipaa-ir \\(${runner}\\)`))
      expect(error.suggestions.join(' ')).toContain(`chown ${runner} ${path}`)
      expect((await usageError(readPrivateKeyText(identity, 'age identity'))).suggestions.join(' ')).toContain('chown')
    } finally {
      spy.mockRestore()
    }
    await expect(loadSigner(path)).resolves.toMatchObject({oneTime: false})
  })
})

describe('a key file asking for absurd bcrypt rounds is refused before bcrypt runs', () => {
  test('2^32-1 rounds: refused at once (exit 2), never hangs', async () => {
    await writeKeyPairFiles(dir, 'rounds', newKeyPair(), 'pass phrase')
    const path = join(dir, 'rounds.sec')
    const file = decodeSecretKeyFile(await readFile(path, 'utf8'), path)
    await writeFile(path, encodeSecretKeyFile({...file, rounds: 0xff_ff_ff_ff}), {mode: 0o600})
    const started = Date.now()
    const previous = process.env.HIPAA_IR_PASSPHRASE
    process.env.HIPAA_IR_PASSPHRASE = 'pass phrase'
    try {
      const error = await usageError(loadSigner(path))
      expect(error.message).toMatch(/4294967295 bcrypt rounds, over the 1024/)
    } finally {
      if (previous === undefined) delete process.env.HIPAA_IR_PASSPHRASE
      else process.env.HIPAA_IR_PASSPHRASE = previous
    }
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('the passphrase prompt', () => {
  /** A fake terminal that records, in order, raw-mode changes, what is written, and lets a test type. */
  function fakeTerminal(): {events: string[]; terminal: PromptTerminal; type: (text: string) => void} {
    const emitter = new EventEmitter()
    const events: string[] = []
    const input = Object.assign(emitter, {
      isTTY: true,
      pause: () => input,
      resume: () => input,
      setRawMode: (on: boolean) => {
        events.push(`raw:${on}`)
        return input
      },
    })
    const output = {
      write: (text: string) => {
        events.push(`write:${text}`)
        return true
      },
    }
    return {events, terminal: {input, output} as unknown as PromptTerminal, type: (text) => emitter.emit('data', Buffer.from(text))}
  }

  test('echo is off before the prompt appears, and type-ahead waiting before it is discarded', async () => {
    const {events, terminal, type} = fakeTerminal()
    const answer = readHidden('passphrase: ', terminal)
    // Typed before the prompt: must be neither echoed nor taken as (part of) the passphrase.
    type('early-secret\r')
    await new Promise((resolve) => {
      setTimeout(resolve, 100)
    })
    expect(events.indexOf('raw:true')).toBeLessThan(events.indexOf('write:passphrase: '))
    expect(events.indexOf('raw:true')).toBe(0)
    type('real one\r')
    await expect(answer).resolves.toBe('real one')
    expect(events).toEqual(['raw:true', 'write:passphrase: ', 'raw:false', 'write:\n'])
  })
})
