import {Decrypter, Encrypter} from 'age-encryption'
import {createReadStream} from 'node:fs'
import {link, unlink} from 'node:fs/promises'
import {Readable} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import type {ReadableStream as WebReadableStream} from 'node:stream/web'

import {UsageError} from '../core/errors.js'
import {openNewEvidenceFile} from '../io/evidence-fs.js'
import {readPrivateKeyText} from './key-files.js'

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
  const handle = await openNewEvidenceFile(partial)
  try {
    await pipeline(Readable.fromWeb(ciphertext as unknown as WebReadableStream<Uint8Array>), handle.createWriteStream())
    await link(partial, outPath) // fails if OUT exists: never overwrite
  } finally {
    await handle.close().catch(() => undefined)
    await unlink(partial).catch(() => undefined)
  }
}

const IDENTITY_LINE = /^AGE-SECRET-KEY-(?:PQ-)?1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]+$/

/**
 * The identities in an age identity file (as `age-keygen -o FILE` writes it: `#` comments and one
 * AGE-SECRET-KEY-1... per line). Exit 2 when the file is readable by group or others (with the
 * chmod), or holds no identity or anything else; the message never repeats a key.
 */
export async function readAgeIdentities(path: string): Promise<string[]> {
  const text = await readPrivateKeyText(path, 'age identity file')
  const identities: string[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    if (!IDENTITY_LINE.test(line)) {
      throw new UsageError(`${path} line ${index + 1} is not an age identity (AGE-SECRET-KEY-1...)`, {
        code: 'E_IDENTITY',
        suggestions: ['pass the file `age-keygen -o FILE` wrote (not the age1... recipient)'],
      })
    }
    identities.push(line)
  }
  if (identities.length === 0) throw new UsageError(`${path} holds no age identity (AGE-SECRET-KEY-1...)`, {code: 'E_IDENTITY'})
  return identities
}

/** A ciphertext that none of the identities opens (exit 2: the wrong key was given, the evidence is not at fault). */
export class NoMatchingIdentityError extends UsageError {}

/**
 * Decrypts an age file with the identities, streaming, to OUT (created 0600, never overwritten).
 * Throws NoMatchingIdentityError when no identity matches a recipient; any other error (a damaged
 * or truncated ciphertext fails age's authentication) propagates, and OUT is removed.
 */
export async function decryptFileWithIdentities(inPath: string, outPath: string, identities: readonly string[]): Promise<void> {
  const decrypter = new Decrypter()
  for (const identity of identities) decrypter.addIdentity(identity)
  const ciphertext = Readable.toWeb(createReadStream(inPath)) as unknown as ReadableStream<Uint8Array>
  let plaintext
  try {
    plaintext = await decrypter.decrypt(ciphertext)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/no identity matched/i.test(message)) {
      throw new NoMatchingIdentityError(`none of the identities given decrypts ${inPath}: it was encrypted to other recipients`, {
        code: 'E_IDENTITY_MISMATCH',
        suggestions: ['pass the identity file whose public key (age-keygen -y FILE) was given to --encrypt-to'],
      })
    }
    throw error
  }
  const handle = await openNewEvidenceFile(outPath)
  try {
    await pipeline(Readable.fromWeb(plaintext as unknown as WebReadableStream<Uint8Array>), handle.createWriteStream())
  } catch (error) {
    await unlink(outPath).catch(() => undefined)
    throw error
  } finally {
    await handle.close().catch(() => undefined)
  }
}
