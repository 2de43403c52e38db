import {readdir} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {isUnsafe, safeRelativeComponents} from './archive-paths.js'
import {checkCustodyChain} from './custody-chain.js'
import {printableName, isUtf8Name} from '../core/terminal-text.js'
import {hashHandle} from '../io/evidence-fs.js'
import {type ExtractLimits, removeExtracted, safeExtractTarGz, UnsafeArchiveError} from './safe-extract.js'
import {NotRegularFileError, openRegularFile, OversizeFileError, readOptionalFile} from './read-optional.js'
import {parseSha256Sums} from './sha256sums.js'
import {type SignifyPublicKey, decodeSignature} from './signify-format.js'
import {checkSignature, checkSignatureFile} from './signify-keys.js'

/** What went wrong; `retention` is for s3:// targets whose Object Lock is weaker than required or expired. */
export type VerifyProblemKind = 'hash-mismatch' | 'missing' | 'extra' | 'bad-signature' | 'wrong-key' | 'malformed' | 'retention' | 'superseded'

export interface VerifyProblem {
  kind: VerifyProblemKind
  /** Relative to the bundle folder, or the file name of a tarball-level file (NAME.tar.gz.sig). */
  path: string
  detail: string
}

export interface SignatureStatus {
  file: string
  status: 'ok' | 'missing' | 'malformed' | 'bad-signature' | 'wrong-key'
}

export interface BundleDirReport {
  problems: VerifyProblem[]
  signatures: SignatureStatus[]
  /** Files re-hashed against SHA256SUMS. */
  filesChecked: number
  /** Entries of manifest.json files[] checked. */
  manifestFiles: number
  /** Events in the in-bundle custody.jsonl. */
  custodyEvents: number
  /** The in-bundle custody.jsonl text, when there is one (the sidecar continues it). */
  custodyText?: string
  /** From manifest.json, when it could be read. */
  identity?: ManifestIdentity
}

export interface BundleTarballReport extends BundleDirReport {
  /** The tarball's single top folder (NAME), when it could be unpacked. */
  top?: string
  /**
   * With `keep`: the bundle folder as unpacked (`dir`), verified or not, and the private temporary
   * folders holding it (`roots`, innermost first: the caller removes each with removePrivateTempDir);
   * undefined when nothing was unpacked (a bad detached signature, a refused archive).
   */
  extracted?: {dir: string; roots: string[]}
}

/** How a tarball is unpacked for checking: where, within which limits, and whether the unpacked folder is kept for the caller (analyze reads it). */
export interface UnpackOptions {
  extractParent?: string
  keep?: boolean
  limits?: Partial<ExtractLimits>
}

export interface VerifyOptions {
  publicKey: SignifyPublicKey
}

/** Size limits for the members verify reads whole: far above what collect writes, far below what would exhaust memory. */
const MAX_SUMS_BYTES = 64 * 1024 * 1024
const MAX_SIG_BYTES = 64 * 1024
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024
const MAX_CUSTODY_BYTES = 64 * 1024 * 1024

export const SUMS_FILE = 'SHA256SUMS'
export const SUMS_SIG_FILE = 'SHA256SUMS.sig'
const MANIFEST_FILE = 'manifest.json'
const CUSTODY_FILE = 'custody.jsonl'

/**
 * Checks a detached signify signature over `message`. Returns the status and, unless ok, the problem.
 * `sigName` is how the signature file is named in reports.
 */
export async function checkDetached(
  message: Uint8Array | {file: string},
  sigText: string | undefined,
  sigName: string,
  key: SignifyPublicKey,
): Promise<{problem?: VerifyProblem; status: SignatureStatus}> {
  if (sigText === undefined) {
    return {problem: {detail: 'the signature file is missing', kind: 'missing', path: sigName}, status: {file: sigName, status: 'missing'}}
  }
  let signature
  try {
    signature = decodeSignature(sigText, sigName)
  } catch (error) {
    return {problem: {detail: error instanceof Error ? error.message : String(error), kind: 'malformed', path: sigName}, status: {file: sigName, status: 'malformed'}}
  }
  const result = message instanceof Uint8Array ? checkSignature(message, signature, key) : await checkSignatureFile(message.file, signature, key)
  if (result === 'ok') return {status: {file: sigName, status: 'ok'}}
  const detail =
    result === 'wrong-key'
      ? `signed by key ${Buffer.from(signature.keynum).toString('hex')}, but the public key is ${Buffer.from(key.keynum).toString('hex')}`
      : 'the signature does not match the signed file (it was changed after signing, or the signature was)'
  return {problem: {detail, kind: result, path: sigName}, status: {file: sigName, status: result}}
}

/**
 * Checks the detached signature `FILE.sig` next to FILE (a tarball or ciphertext), streaming FILE.
 * The .sig is read safely: a FIFO, device or oversize file is a `malformed` problem, never read.
 */
export async function checkDetachedFile(file: string, key: SignifyPublicKey): Promise<{problem?: VerifyProblem; status: SignatureStatus}> {
  const sigName = `${basename(file)}.sig`
  let sigText: string | undefined
  try {
    sigText = (await readOptionalFile(`${file}.sig`, MAX_SIG_BYTES, {followLinks: true}))?.toString('utf8')
  } catch (error) {
    if (!(error instanceof OversizeFileError) && !(error instanceof NotRegularFileError)) throw error
    return {problem: {detail: error.message, kind: 'malformed', path: sigName}, status: {file: sigName, status: 'malformed'}}
  }
  // Streamed: memory stays flat however large the file (see ed25519-file.ts).
  return checkDetached({file}, sigText, sigName, key)
}

interface BundleTree {
  /** Regular files (relative, `/`-separated, valid UTF-8 names). */
  files: string[]
  /** Folders (relative), the top excluded. */
  dirs: string[]
  /** Links, special files and names that are not UTF-8: named, never followed or read. */
  odd: VerifyProblem[]
}

/**
 * Every regular file and folder below dir, read with byte names (readdir encoding 'buffer'): a name
 * that is not valid UTF-8 is reported `extra` under a `\xNN` spelling, so it can neither crash the
 * walk nor hide behind a U+FFFD look-alike of a listed name.
 */
async function listTree(dir: string): Promise<BundleTree> {
  const tree: BundleTree = {dirs: [], files: [], odd: []}
  async function walk(relative: string, absolute: Buffer): Promise<void> {
    const entries = await readdir(absolute, {encoding: 'buffer', withFileTypes: true})
    for (const entry of entries) {
      const raw = entry.name as unknown as Buffer
      const shown = printableName(raw)
      const path = relative === '' ? shown : `${relative}/${shown}`
      if (!isUtf8Name(raw)) {
        tree.odd.push({detail: 'a name that is not valid UTF-8; collect never writes one (shown with \\xNN escapes; not read)', kind: 'extra', path})
        continue
      }
      if (entry.isDirectory()) {
        tree.dirs.push(path)
        await walk(path, Buffer.concat([absolute, Buffer.from('/'), raw]))
      } else if (entry.isFile()) tree.files.push(path)
      else {
        const what = entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'
        tree.odd.push({detail: `${what}; a bundle holds only files and folders (not followed)`, kind: 'malformed', path})
      }
    }
  }
  await walk('', Buffer.from(dir))
  tree.files.sort()
  tree.dirs.sort()
  return tree
}

/** Hashes a bundle file opened without following links or blocking (it must still be a regular file). */
async function hashBundleFile(path: string): Promise<{sha256: string; size: number} | NotRegularFileError> {
  let opened
  try {
    opened = await openRegularFile(path)
  } catch (error) {
    if (error instanceof NotRegularFileError) return error
    throw error
  }
  if (opened === undefined) return new NotRegularFileError(path, 'gone while it was checked')
  try {
    return await hashHandle(opened.handle, opened.info.size)
  } finally {
    await opened.handle.close()
  }
}

/** Folders with no file anywhere below them (only the topmost of a nested empty chain): a bundle never has one. */
function emptyFolders(tree: BundleTree): string[] {
  const out: string[] = []
  for (const dir of tree.dirs) {
    if (out.some((parent) => dir.startsWith(`${parent}/`))) continue
    if (!tree.files.some((file) => file.startsWith(`${dir}/`))) out.push(dir)
  }
  return out
}

/** Who and what the manifest says the bundle is: compared with the file or folder name (a renamed bundle is a problem). */
export interface ManifestIdentity {
  name?: string
  case?: string
  host?: string
  signing?: {key_fingerprint?: string; one_time_key?: boolean}
}

function readManifestIdentity(text: string): ManifestIdentity | undefined {
  try {
    const manifest = JSON.parse(text) as Record<string, unknown>
    const string = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
    const signing = typeof manifest.signing === 'object' && manifest.signing !== null ? (manifest.signing as Record<string, unknown>) : undefined
    return {
      case: string(manifest.case),
      host: string(manifest.host),
      name: string(manifest.name),
      signing: signing && {key_fingerprint: string(signing.key_fingerprint), one_time_key: typeof signing.one_time_key === 'boolean' ? signing.one_time_key : undefined},
    }
  } catch {
    return undefined
  }
}

interface ManifestFile {
  path: string
  sha256: string
  size: number
}

function readManifestFiles(text: string): ManifestFile[] | string {
  let manifest: unknown
  try {
    manifest = JSON.parse(text)
  } catch (error) {
    return `not valid JSON: ${error instanceof Error ? error.message : String(error)}`
  }
  if (typeof manifest !== 'object' || manifest === null) return 'not a JSON object'
  const files = (manifest as {files?: unknown}).files
  if (!Array.isArray(files)) return 'files[] is missing or not an array'
  const out: ManifestFile[] = []
  for (const [index, item] of files.entries()) {
    const entry = item as Partial<ManifestFile> | null
    if (typeof entry?.path !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.size !== 'number') {
      return `files[${index}] lacks path, sha256 or size`
    }
    out.push({path: entry.path, sha256: entry.sha256.toLowerCase(), size: entry.size})
  }
  return out
}

/**
 * Verifies an extracted bundle folder (NAME/): SHA256SUMS.sig against the public key, every file
 * against SHA256SUMS (missing, extra, changed), every manifest.json files[] entry against the file,
 * and the in-bundle custody chain. Reusable for any source (tarball, S3 download).
 */
export async function verifyBundleDir(dir: string, options: VerifyOptions): Promise<BundleDirReport> {
  const problems: VerifyProblem[] = []
  const reported = new Set<string>()
  const add = (problem: VerifyProblem): void => {
    const id = `${problem.kind}\0${problem.path}`
    if (reported.has(id)) return
    reported.add(id)
    problems.push(problem)
  }

  const tree = await listTree(dir)
  const {files} = tree
  for (const problem of tree.odd) add(problem)
  for (const folder of emptyFolders(tree)) add({detail: 'an empty folder; a bundle holds folders only for the files listed in SHA256SUMS', kind: 'extra', path: `${folder}/`})
  const hashes = new Map<string, {sha256: string; size: number}>()
  for (const file of files) {
    const hashed = await hashBundleFile(join(dir, file))
    if (hashed instanceof NotRegularFileError) add({detail: hashed.message, kind: 'malformed', path: file})
    else hashes.set(file, hashed)
  }

  /** A bundle member, undefined when absent, null when too large to be genuine (a `malformed` problem). */
  const readMember = async (name: string, maxBytes: number): Promise<Buffer | null | undefined> => {
    try {
      return await readOptionalFile(join(dir, name), maxBytes)
    } catch (error) {
      if (!(error instanceof OversizeFileError) && !(error instanceof NotRegularFileError)) throw error
      add({detail: error.message, kind: 'malformed', path: name})
      return null
    }
  }

  const sumsBytes = await readMember(SUMS_FILE, MAX_SUMS_BYTES)
  const sigBytes = await readMember(SUMS_SIG_FILE, MAX_SIG_BYTES)
  // An oversize signature is checked as an empty one: malformed.
  const sigText = sigBytes === null ? '' : sigBytes?.toString('utf8')
  const signatures: SignatureStatus[] = []
  let filesChecked = 0
  const listed = new Set<string>([SUMS_FILE, SUMS_SIG_FILE])
  if (sumsBytes === null) {
    signatures.push({file: SUMS_SIG_FILE, status: 'malformed'})
  } else if (sumsBytes === undefined) {
    add({detail: 'the checksum list is missing: nothing in the bundle can be trusted', kind: 'missing', path: SUMS_FILE})
    signatures.push({file: SUMS_SIG_FILE, status: sigText === undefined ? 'missing' : 'malformed'})
  } else {
    const signed = await checkDetached(sumsBytes, sigText, SUMS_SIG_FILE, options.publicKey)
    signatures.push(signed.status)
    if (signed.problem) add(signed.problem)
    const parsed = parseSha256Sums(sumsBytes.toString('utf8'))
    for (const error of parsed.errors) add({detail: `line ${error.line}: ${error.detail}`, kind: 'malformed', path: SUMS_FILE})
    for (const entry of parsed.entries) {
      const components = safeRelativeComponents(entry.path)
      if (isUnsafe(components)) {
        add({detail: `lists ${JSON.stringify(entry.path)}, which ${components.unsafe}`, kind: 'malformed', path: SUMS_FILE})
        continue
      }
      const path = components.join('/')
      listed.add(path)
      const actual = hashes.get(path)
      if (actual === undefined) add({detail: 'listed in SHA256SUMS but not in the bundle', kind: 'missing', path})
      else if (actual.sha256 !== entry.sha256) add({detail: `SHA256SUMS says ${entry.sha256}, the file hashes to ${actual.sha256}`, kind: 'hash-mismatch', path})
      else filesChecked += 1
    }
    for (const file of files) if (!listed.has(file)) add({detail: 'in the bundle but not listed in SHA256SUMS', kind: 'extra', path: file})
  }

  let manifestFiles = 0
  let identity: ManifestIdentity | undefined
  const manifestBytes = await readMember(MANIFEST_FILE, MAX_MANIFEST_BYTES)
  if (manifestBytes === undefined) add({detail: 'the bundle has no manifest.json', kind: 'missing', path: MANIFEST_FILE})
  else if (manifestBytes !== null) {
    identity = readManifestIdentity(manifestBytes.toString('utf8'))
    const entries = readManifestFiles(manifestBytes.toString('utf8'))
    if (typeof entries === 'string') add({detail: entries, kind: 'malformed', path: MANIFEST_FILE})
    else {
      for (const entry of entries) {
        const components = safeRelativeComponents(entry.path)
        if (isUnsafe(components)) {
          add({detail: `files[] lists ${JSON.stringify(entry.path)}, which ${components.unsafe}`, kind: 'malformed', path: MANIFEST_FILE})
          continue
        }
        const path = components.join('/')
        const actual = hashes.get(path)
        manifestFiles += 1
        if (actual === undefined) add({detail: 'listed in manifest.json files[] but not in the bundle', kind: 'missing', path})
        else if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
          add({detail: `manifest.json says ${entry.sha256} (${entry.size} bytes), the file is ${actual.sha256} (${actual.size} bytes)`, kind: 'hash-mismatch', path})
        }
      }
    }
  }

  let custodyEvents = 0
  const custody = await readMember(CUSTODY_FILE, MAX_CUSTODY_BYTES)
  if (custody === undefined) add({detail: 'the bundle has no custody.jsonl (collect always writes one): its chain of custody was removed', kind: 'missing', path: CUSTODY_FILE})
  if (custody !== undefined && custody !== null) {
    const chain = checkCustodyChain(custody.toString('utf8'), [options.publicKey])
    custodyEvents = chain.events.length
    for (const problem of chain.problems) {
      const kind: VerifyProblemKind = problem.kind === 'bad-signature' || problem.kind === 'wrong-key' ? problem.kind : 'malformed'
      add({detail: `line ${problem.line}: ${problem.kind}: ${problem.detail}`, kind, path: CUSTODY_FILE})
    }
  }

  return {custodyEvents, custodyText: custody?.toString('utf8'), filesChecked, identity, manifestFiles, problems, signatures}
}

/**
 * Verifies a bundle tarball: its detached signature (`signatureText`, else the file TARBALL.sig), then
 * unpacks it safely into a temporary folder and runs verifyBundleDir. A refused (hostile) tarball is a
 * `malformed` problem and nothing is written outside the temporary folder, which is always removed.
 */
export async function verifyBundleTarball(
  tarPath: string,
  options: VerifyOptions & UnpackOptions & {signatureText?: string},
): Promise<BundleTarballReport> {
  const sigName = `${basename(tarPath)}.sig`
  const detached =
    options.signatureText === undefined
      ? await checkDetachedFile(tarPath, options.publicKey)
      : await checkDetached({file: tarPath}, options.signatureText, sigName, options.publicKey)
  return verifyTarballContents(tarPath, options, detached)
}

/**
 * Unpacks a bundle tarball safely and verifies what is inside (verifyBundleDir), adding the outcome
 * of a detached signature already checked by the caller (over the tarball, or over its ciphertext).
 */
export async function verifyTarballContents(
  tarPath: string,
  options: VerifyOptions & UnpackOptions,
  detached: {problem?: VerifyProblem; status: SignatureStatus},
): Promise<BundleTarballReport> {
  if (detached.problem !== undefined || detached.status.status !== 'ok') return unopened(detached)
  let extracted
  try {
    extracted = await safeExtractTarGz(tarPath, {limits: options.limits, parentDir: options.extractParent})
  } catch (error) {
    if (!(error instanceof UnsafeArchiveError)) throw error
    const problem: VerifyProblem = {detail: `${error.message}; its contents were not checked`, kind: 'malformed', path: error.entry ?? basename(tarPath)}
    return {custodyEvents: 0, filesChecked: 0, manifestFiles: 0, problems: [problem], signatures: [detached.status]}
  }
  let kept = false
  try {
    const inner = await verifyBundleDir(extracted.dir, options)
    kept = options.keep === true
    return {
      ...inner, signatures: [detached.status, ...inner.signatures], top: extracted.top,
      ...(kept ? {extracted: {dir: extracted.dir, roots: [extracted.root]}} : {}),
    }
  } finally {
    if (!kept) await removeExtracted(extracted.root)
  }
}

/**
 * The report for a tarball (or ciphertext) whose detached signature did not check out against the
 * trusted key: nothing is unpacked or decrypted (a hostile archive never reaches the disk), and the
 * problem says so and how to look inside anyway.
 */
export function unopened(detached: {problem?: VerifyProblem; status: SignatureStatus}): BundleTarballReport {
  const problem = detached.problem ?? {detail: `the signature is ${detached.status.status}`, kind: 'bad-signature', path: detached.status.file}
  const detail = `${problem.detail}; nothing was unpacked or checked inside (to inspect it anyway, unpack it yourself and verify the folder)`
  return {custodyEvents: 0, filesChecked: 0, manifestFiles: 0, problems: [{...problem, detail}], signatures: [detached.status]}
}
