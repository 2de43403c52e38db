import {Encrypter} from 'age-encryption'
import {constants, createReadStream} from 'node:fs'
import {link, open, unlink} from 'node:fs/promises'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type {ReadableStream as WebReadableStream} from 'node:stream/web'

import {UsageError} from '../core/errors.js'

/** An age X25519 recipient: "age1" + 58 bech32 characters (the checksum is checked by age-encryption). */
const X25519_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/

/** Rejects anything that is not an age X25519 recipient (exit 2), naming the bad value. */
export function validateRecipients(recipients: readonly string[]): string[] {
  if (recipients.length === 0) throw new UsageError('--encrypt-to needs at least one age recipient (age1...)')
  return recipients.map((raw) => {
    const recipient = raw.trim()
    const hint = recipient.startsWith('AGE-SECRET-KEY-') ? ' (that is a secret identity: give its public recipient, from `age-keygen -y`)' : ''
    if (!X25519_RECIPIENT.test(recipient)) {
      throw new UsageError(`--encrypt-to ${JSON.stringify(recipient.slice(0, 16))}...: not an age X25519 recipient (age1 followed by 58 characters)${hint}`, {
        code: 'E_RECIPIENT',
        suggestions: ['print a recipient with `age-keygen -y KEYFILE`'],
      })
    }
    try {
      new Encrypter().addRecipient(recipient)
    } catch (error) {
      throw new UsageError(`--encrypt-to ${recipient}: ${error instanceof Error ? error.message : String(error)}`, {code: 'E_RECIPIENT'})
    }
    return recipient
  })
}

/**
 * Encrypts a file to age X25519 recipients, streaming (age's 64 KiB chunks; memory stays flat).
 * Writes OUT.partial (0600) and links it to OUT only when complete (never overwriting OUT), so a half-written
 * ciphertext never carries the final name. Stock `age -d -i KEY` decrypts the result.
 */
export async function encryptFileToRecipients(inPath: string, outPath: string, recipients: string[]): Promise<void> {
  const valid = validateRecipients(recipients)
  const encrypter = new Encrypter()
  for (const recipient of valid) encrypter.addRecipient(recipient)
  const plaintext = Readable.toWeb(createReadStream(inPath)) as unknown as ReadableStream<Uint8Array>
  const ciphertext = await encrypter.encrypt(plaintext)
  const partial = `${outPath}.partial`
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL
  const handle = await open(partial, flags, 0o600)
  try {
    await pipeline(Readable.fromWeb(ciphertext as unknown as WebReadableStream<Uint8Array>), handle.createWriteStream())
    await link(partial, outPath) // fails if OUT exists: never overwrite
  } finally {
    await handle.close().catch(() => undefined)
    await unlink(partial).catch(() => undefined)
  }
}
