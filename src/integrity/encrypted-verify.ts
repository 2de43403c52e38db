import {rm} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import type {BundleTarget} from './bundle-target.js'
import {type BundleTarballReport, checkDetachedFile, unopened, verifyTarballContents} from './bundle-verify.js'
import type {SignifyPublicKey} from './signify-format.js'

/**
 * An age-encrypted bundle (`NAME.tar.gz.age`). Its detached signature covers the ciphertext and is
 * always checked first; only when it checks out and age identities are given is the ciphertext decrypted (streaming) into a
 * fresh private temporary folder and the tarball inside is verified like any other (SHA256SUMS.sig,
 * every hash, the manifest, the custody chain); the plaintext is removed afterwards.
 * A ciphertext that fails age's authentication is a `malformed` problem (exit 3); identities that
 * do not match its recipients are a usage error (exit 2), since the evidence is not at fault.
 */
export async function verifyEncryptedBundle(
  target: BundleTarget, key: SignifyPublicKey, identities?: readonly string[], options: {keep?: boolean} = {},
): Promise<BundleTarballReport> {
  const detached = await checkDetachedFile(target.path, key)
  if (identities === undefined) {
    return {custodyEvents: 0, filesChecked: 0, manifestFiles: 0, problems: detached.problem ? [detached.problem] : [], signatures: [detached.status]}
  }
  // A ciphertext whose signature does not check out is never decrypted.
  if (detached.status.status !== 'ok') return unopened(detached)

  // Loaded only here: the age library costs a third of a second of start-up.
  const {decryptFileWithIdentities, NoMatchingIdentityError} = await import('./age.js')
  const dir = await makePrivateTempDir('hipaa-ir-decrypt-')
  let kept = false
  try {
    const plain = join(dir, `${target.name}.tar.gz`)
    try {
      await decryptFileWithIdentities(target.path, plain, identities)
    } catch (error) {
      if (error instanceof NoMatchingIdentityError) throw error
      const detail = `the ciphertext does not decrypt: ${error instanceof Error ? error.message : String(error)}; its contents were not checked`
      return {
        custodyEvents: 0, filesChecked: 0, manifestFiles: 0,
        problems: [{detail, kind: 'malformed', path: basename(target.path)}],
        signatures: [detached.status],
      }
    }
    const report = await verifyTarballContents(plain, {extractParent: dir, keep: options.keep, publicKey: key}, detached)
    if (report.extracted === undefined) return report
    // Kept for the caller: the decrypted tarball goes, the unpacked folder stays inside `dir`, which the caller removes.
    await rm(plain, {force: true})
    kept = true
    return {...report, extracted: {dir: report.extracted.dir, roots: [...report.extracted.roots, dir]}}
  } finally {
    if (!kept) await removePrivateTempDir(dir)
  }
}
