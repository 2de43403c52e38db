import {lstat, unlink} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {errnoCode, OutputError, UsageError} from '../core/errors.js'
import {shellQuote} from '../core/shell-quote.js'
import {ensureEvidenceDir, openNewEvidenceFile} from '../io/evidence-fs.js'
import {NotRegularFileError, OversizeFileError, readRegularFile} from './read-optional.js'
import {
  type SignifyPublicKey,
  type SignifySecretKeyFile,
  decodePublicKey,
  decodeSecretKeyFile,
  encodePublicKey,
  encodeSecretKeyFile,
  SignifyFormatError,
  sniffSignifyFile,
} from './signify-format.js'
import {type KeyPair, MAX_KDF_ROUNDS, publicKeyOf, sealSecretKey, SIGNIFY_KDF_ROUNDS} from './signify-keys.js'

/** Key files are small; anything bigger is not a key. */
const MAX_KEY_FILE_BYTES = 4096

export {shellQuote}

/**
 * A key file's text, mode and owner: opened once (following a link, then required to be a regular
 * file: never a FIFO, device or socket), at most MAX_KEY_FILE_BYTES read.
 */
async function readKeyText(path: string, what: string): Promise<{mode: number; text: string; uid: number}> {
  let read
  try {
    read = await readRegularFile(path, {followLinks: true, maxBytes: MAX_KEY_FILE_BYTES})
  } catch (error) {
    if (error instanceof NotRegularFileError) throw new UsageError(`${what} ${path} is not a regular file (${error.what})`, {code: 'E_KEY'})
    if (error instanceof OversizeFileError) throw new UsageError(`${what} ${path} is over ${MAX_KEY_FILE_BYTES} bytes: not a signify key file`, {code: 'E_KEY'})
    const code = errnoCode(error)
    throw new UsageError(`${what} ${path}: cannot read it (${code ?? String(error)})`, {code: 'E_KEY'})
  }
  if (read === undefined) {
    // A missing signing key is most often one never made: say how to make one and what to pass.
    const make = what === 'secret key' ? ['make a key pair once with: hipaa-ir keys generate --out-dir DIR, then pass --key DIR/hipaa-ir.sec (keep DIR off the suspect disk)'] : []
    throw new UsageError(`${what} ${path}: no such file`, {code: 'E_KEY', suggestions: make})
  }
  return {mode: read.info.mode & 0o777, text: read.bytes.toString('utf8'), uid: read.info.uid}
}

/**
 * Exit 2, with the exact chown, when a secret file belongs to another user: that user could read it
 * or swap it for a key of their own (file modes alone do not protect it from its owner).
 */
function refuseForeignOwner(path: string, uid: number, what: string): void {
  const euid = process.geteuid?.()
  if (euid === undefined || uid === euid) return
  throw new UsageError(`${what} ${path} belongs to user id ${uid}, not to the user running hipaa-ir (${euid}); its owner could read or replace it`, {
    code: 'E_KEY_OWNER',
    suggestions: [`check the key is genuine, then: chown ${euid} ${shellQuote(path)}`],
  })
}

/** Exit 2, with the exact chmod, when a secret file can be read by group or others. */
function refuseShared(path: string, mode: number, what: string, why: string): void {
  if ((mode & 0o077) === 0) return
  throw new UsageError(`${what} ${path} is accessible by group or others (mode ${mode.toString(8).padStart(4, '0')}); ${why}`, {
    code: 'E_KEY_MODE',
    suggestions: [`chmod 600 ${shellQuote(path)}`],
  })
}

/** The text of a small secret file (an age identity file), refused like a signing key when it is not private. */
export async function readPrivateKeyText(path: string, what: string): Promise<string> {
  const {mode, text, uid} = await readKeyText(path, what)
  refuseForeignOwner(path, uid, what)
  refuseShared(path, mode, what, 'a decryption key must be private')
  return text
}

/**
 * Reads a signify secret key file after checking it is not readable by group or others
 * (the message gives the exact chmod) and that it is a secret key, not a public key.
 */
export async function readSecretKeyFile(path: string): Promise<SignifySecretKeyFile> {
  const {mode, text, uid} = await readKeyText(path, 'secret key')
  if (sniffSignifyFile(text) === 'public-key') {
    throw new UsageError(`${path} is a public key; --key needs the secret key (the .sec file made by \`keys generate\`)`, {
      code: 'E_KEY_PUBLIC',
      suggestions: [`pass the matching ${basename(path).replace(/\.pub$/, '')}.sec file`],
    })
  }
  refuseForeignOwner(path, uid, 'secret key')
  refuseShared(path, mode, 'secret key', 'a signing key must be private')
  let file
  try {
    file = decodeSecretKeyFile(text, path)
  } catch (error) {
    throw new UsageError(`${path} is not a signify secret key: ${error instanceof Error ? error.message : String(error)}`, {code: 'E_KEY_MALFORMED'})
  }
  // Checked before bcrypt runs: a planted 2^32 rounds would otherwise hang signing.
  if (file.rounds > MAX_KDF_ROUNDS) {
    throw new UsageError(`${path} asks for ${file.rounds} bcrypt rounds, over the ${MAX_KDF_ROUNDS} hipaa-ir accepts (signify uses ${SIGNIFY_KDF_ROUNDS}): not a key made by signify or hipaa-ir`, {
      code: 'E_KEY_MALFORMED',
    })
  }
  return file
}

/** Reads a signify public key file; a malformed file or a secret key given as --pub is a usage error. */
export async function readPublicKeyFile(path: string): Promise<SignifyPublicKey> {
  const {text} = await readKeyText(path, 'public key')
  try {
    return decodePublicKey(text, path)
  } catch (error) {
    const hint = error instanceof SignifyFormatError && error.looksLike === 'secret-key' ? ' (this is a secret key: never hand it out; pass the .pub file)' : ''
    throw new UsageError(`${path} is not a signify public key: ${error instanceof Error ? error.message : String(error)}${hint}`, {code: 'E_KEY_MALFORMED'})
  }
}

export interface KeyPairFiles {
  publicKeyPath: string
  secretKeyPath: string
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false
    throw error
  }
}

/** Creates a file that must not exist yet (O_EXCL|O_NOFOLLOW: never overwrites, never follows a planted link), its mode set on the handle. */
async function writeNew(path: string, content: string, mode: number): Promise<void> {
  const handle = await openNewEvidenceFile(path, mode)
  try {
    await handle.writeFile(content, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Writes DIR/NAME.sec (0600) and DIR/NAME.pub (0644). Refuses with a UsageError when either exists,
 * before writing anything. DIR is created 0700 when missing.
 */
export async function writeKeyPairFiles(dir: string, name: string, keyPair: KeyPair, passphrase: string | undefined): Promise<KeyPairFiles> {
  const secretKeyPath = join(dir, `${name}.sec`)
  const publicKeyPath = join(dir, `${name}.pub`)
  for (const path of [secretKeyPath, publicKeyPath]) {
    if (await exists(path)) {
      throw new UsageError(`${path} already exists; keys are never overwritten`, {
        code: 'E_KEY_EXISTS',
        suggestions: ['choose another --name or --out-dir, or move the old key away yourself'],
      })
    }
  }
  await ensureEvidenceDir(dir, {existing: 'keep'})
  const secretFile = encodeSecretKeyFile(sealSecretKey(keyPair, passphrase, `${name} secret key`))
  await writeNew(secretKeyPath, secretFile, 0o600)
  try {
    await writeNew(publicKeyPath, encodePublicKey(publicKeyOf(keyPair, `${name} public key`)), 0o644)
  } catch (error) {
    await unlink(secretKeyPath).catch(() => undefined)
    if (error instanceof OutputError && error.code === 'E_OUTPUT_EXISTS') throw new UsageError(`${publicKeyPath} already exists; keys are never overwritten`, {code: 'E_KEY_EXISTS'})
    throw error
  }
  return {publicKeyPath, secretKeyPath}
}
