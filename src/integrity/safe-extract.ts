import {constants} from 'node:fs'
import {mkdir, open, statfs} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join, sep} from 'node:path'
import {Transform, type TransformCallback} from 'node:stream'
import {createGunzip} from 'node:zlib'
import tarStream from 'tar-stream'

import {VerificationError} from '../core/errors.js'
import {makePrivateTempDir, removePrivateTempDir} from '../io/private-temp.js'
import {isUnsafe, safeRelativeComponents} from './archive-paths.js'
import {NotRegularFileError, openRegularFile} from './read-optional.js'

export interface ExtractLimits {
  maxEntries: number
  maxFileBytes: number
  maxTotalBytes: number
}

/**
 * Upper limits; the total is further capped by the free space where the bundle is unpacked (see
 * extractLimitsFor). A bundle is only unpacked after its detached signature checked out.
 */
export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 200_000,
  maxFileBytes: 8 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
}

/** Space left free on the temporary folder's disk (often RAM-backed tmpfs) whatever the bundle. */
const FREE_SPACE_RESERVE = 256 * 1024 ** 2

/**
 * The limits for unpacking below `parentDir`: the defaults (or `overrides`), with the total capped
 * at the space free there minus a reserve, so a bundle can never fill the disk (or, on tmpfs, RAM).
 */
export async function extractLimitsFor(parentDir: string, overrides: Partial<ExtractLimits> = {}): Promise<ExtractLimits & {freeBytes?: number}> {
  const limits = {...DEFAULT_EXTRACT_LIMITS, ...overrides}
  let freeBytes: number | undefined
  try {
    const info = await statfs(parentDir)
    freeBytes = Number(info.bavail) * Number(info.bsize)
  } catch {
    return limits
  }
  const room = Math.max(0, freeBytes - FREE_SPACE_RESERVE)
  return {...limits, freeBytes, maxFileBytes: Math.min(limits.maxFileBytes, room), maxTotalBytes: Math.min(limits.maxTotalBytes, room)}
}

/** A tarball hipaa-ir refuses to unpack (traversal, links, devices, several top folders, a tar bomb). Exit 3. */
export class UnsafeArchiveError extends VerificationError {
  constructor(
    message: string,
    readonly entry?: string,
  ) {
    super(message, {code: 'E_UNSAFE_ARCHIVE'})
  }
}

export interface ExtractResult {
  /** The fresh 0700 temporary folder; the caller removes it (see `removeExtracted`). */
  root: string
  /** The single top folder's name (NAME). */
  top: string
  /** root/top: the bundle folder. */
  dir: string
  entries: number
  bytes: number
}

const FILE_TYPES = new Set(['file', 'contiguous-file'])

/**
 * Decides what an entry may be. Only regular files and folders below one top folder are allowed;
 * links of either kind, devices and fifos are refused outright (a bundle never holds them).
 */
function admit(header: tarStream.Header, top: string | undefined, limits: ExtractLimits): {components: string[]; type: 'file' | 'directory'} {
  const name = header.name
  const components = safeRelativeComponents(name)
  if (isUnsafe(components)) throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(name)}: it ${components.unsafe}`, name)
  const type = String(header.type ?? 'unknown-type')
  if (!FILE_TYPES.has(type) && type !== 'directory') {
    const link = header.linkname ? ` -> ${JSON.stringify(header.linkname)}` : ''
    throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(name)}: a ${type}${link} (bundles hold only files and folders)`, name)
  }
  if (top !== undefined && components[0] !== top) {
    throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(name)}: a second top folder (a bundle has exactly one, ${top}/)`, name)
  }
  if (type !== 'directory' && components.length < 2) {
    throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(name)}: a file outside the top folder`, name)
  }
  if (type !== 'directory' && header.size > limits.maxFileBytes) {
    throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(name)}: ${header.size} bytes is over the per-file limit of ${limits.maxFileBytes}`, name)
  }
  return {components, type: type === 'directory' ? 'directory' : 'file'}
}

function totalLimitMessage(limits: ExtractLimits & {freeBytes?: number}): string {
  const free = limits.freeBytes !== undefined && limits.maxTotalBytes < DEFAULT_EXTRACT_LIMITS.maxTotalBytes
    ? ` (the limit is the free space of the temporary folder's disk, ${limits.freeBytes} bytes, less a reserve: set TMPDIR to a larger disk)`
    : ' (tar bomb?)'
  return `the archive unpacks to more than ${limits.maxTotalBytes} bytes${free}`
}

/** Streams an entry into a new file, counting bytes as they come (headers can lie; the count cannot). */
async function writeEntry(stream: AsyncIterable<Uint8Array>, target: string, name: string, limits: ExtractLimits & {freeBytes?: number}, total: {bytes: number}): Promise<void> {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  const handle = await open(target, flags, 0o600)
  try {
    let fileBytes = 0
    for await (const chunk of stream) {
      fileBytes += chunk.length
      total.bytes += chunk.length
      if (fileBytes > limits.maxFileBytes) throw new UnsafeArchiveError(`tar entry ${JSON.stringify(name)} is over the per-file limit of ${limits.maxFileBytes} bytes`, name)
      if (total.bytes > limits.maxTotalBytes) throw new UnsafeArchiveError(totalLimitMessage(limits), name)
      await handle.write(chunk)
    }
  } finally {
    await handle.close()
  }
}

type EntryStream = AsyncIterable<Uint8Array> & {resume(): unknown}

const BLOCK = 512

/** A tar header's size field: octal text, or GNU base-256 when the first byte has its high bit set. */
function headerSize(block: Buffer): number {
  const field = block.subarray(124, 136)
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0
    for (const [index, byte] of field.entries()) value = value * 256 + (index === 0 ? byte & 0x7f : byte)
    return value
  }
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').trim()
  return text === '' ? 0 : Number.parseInt(text, 8)
}

/**
 * Passes a tar stream through up to its first end-of-archive marker (a zero header block), as GNU
 * tar reads it, and no further. What follows the marker may only be zero padding: an entry stored
 * after it (or in a second gzip member, which gunzip appends) is invisible to `tar xzf` and
 * `sha256sum -c`, so it is refused (UnsafeArchiveError) instead of being read as part of the bundle.
 */
class TarEndGuard extends Transform {
  private header = Buffer.alloc(0)
  private dataLeft = 0
  private ended = false

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let rest = chunk
    while (rest.length > 0) {
      if (this.ended) {
        if (rest.some((byte) => byte !== 0)) {
          done(new UnsafeArchiveError('the archive has data after its end-of-archive marker (GNU tar stops there and would not show it)'))
          return
        }
        break
      }
      if (this.dataLeft > 0) {
        const take = Math.min(this.dataLeft, rest.length)
        this.push(rest.subarray(0, take))
        this.dataLeft -= take
        rest = rest.subarray(take)
        continue
      }
      const need = BLOCK - this.header.length
      this.header = Buffer.concat([this.header, rest.subarray(0, need)])
      rest = rest.subarray(need)
      if (this.header.length < BLOCK) break
      const block = this.header
      this.header = Buffer.alloc(0)
      if (block.every((byte) => byte === 0)) {
        this.ended = true
        this.push(block)
        continue
      }
      this.push(block)
      const size = headerSize(block)
      this.dataLeft = Math.ceil(size / BLOCK) * BLOCK
    }
    done()
  }
}
/** Iterates a .tar.gz's entries, streaming; `onEntry` must consume or drain each entry. */
export async function forEachTarGzEntry(
  tarPath: string,
  onEntry: (header: tarStream.Header, stream: EntryStream) => Promise<void | 'stop'>,
): Promise<void> {
  let opened
  try {
    // Never blocks on a FIFO and never reads a device: the tarball must be a regular file.
    opened = await openRegularFile(tarPath, true)
  } catch (error) {
    if (error instanceof NotRegularFileError) throw new UnsafeArchiveError(`${tarPath} is ${error.what}`)
    throw error
  }
  if (opened === undefined) throw new UnsafeArchiveError(`${tarPath} is not a readable .tar.gz: no such file`)
  const extract = tarStream.extract()
  const file = opened.handle.createReadStream()
  const gunzip = createGunzip()
  const guard = new TarEndGuard()
  const fail = (error: Error): void => {
    extract.destroy(error)
  }
  file.on('error', fail)
  gunzip.on('error', fail)
  guard.on('error', fail)
  file.pipe(gunzip).pipe(guard).pipe(extract as unknown as NodeJS.WritableStream)
  try {
    for await (const entry of extract) if ((await onEntry(entry.header, entry as unknown as EntryStream)) === 'stop') break
  } catch (error) {
    if (error instanceof VerificationError) throw error
    throw new UnsafeArchiveError(`${tarPath} is not a readable .tar.gz: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    file.destroy()
    gunzip.destroy()
    guard.destroy()
    extract.destroy()
  }
}

/**
 * Unpacks a bundle tarball into a fresh mkdtemp folder (0700; files 0600, folders 0700), streaming.
 * Refuses (UnsafeArchiveError, exit 3) `..` components, absolute paths, symlinks and hardlinks, devices
 * and fifos, more than one top folder, duplicate entries, and sizes or counts over the limits; on
 * refusal the temporary folder is removed. Files are created with O_EXCL, so nothing is ever followed.
 */
export async function safeExtractTarGz(
  tarPath: string,
  options: {parentDir?: string; limits?: Partial<ExtractLimits>} = {},
): Promise<ExtractResult> {
  const parent = options.parentDir ?? tmpdir()
  const limits = await extractLimitsFor(parent, options.limits)
  const root = await makePrivateTempDir('hipaa-ir-verify-', parent)
  const total = {bytes: 0}
  const seen = new Set<string>()
  let top: string | undefined
  let entries = 0
  try {
    await forEachTarGzEntry(tarPath, async (header, stream) => {
      entries += 1
      if (entries > limits.maxEntries) throw new UnsafeArchiveError(`the archive has more than ${limits.maxEntries} entries (tar bomb?)`, header.name)
      const {components, type} = admit(header, top, limits)
      top ??= components[0]
      const relative = components.join('/')
      const target = join(root, ...components)
      if (!target.startsWith(root + sep)) throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(header.name)}: it resolves outside`, header.name)
      if (type === 'directory') {
        stream.resume()
        await mkdir(target, {mode: 0o700, recursive: true})
        return
      }
      if (seen.has(relative)) throw new UnsafeArchiveError(`refusing tar entry ${JSON.stringify(header.name)}: it appears twice`, header.name)
      seen.add(relative)
      await mkdir(join(root, ...components.slice(0, -1)), {mode: 0o700, recursive: true})
      await writeEntry(stream, target, header.name, limits, total)
    })
    if (top === undefined) throw new UnsafeArchiveError(`${tarPath} holds no bundle folder`)
    return {bytes: total.bytes, dir: join(root, top), entries, root, top}
  } catch (error) {
    await removeExtracted(root)
    throw error
  }
}

export async function removeExtracted(root: string): Promise<void> {
  await removePrivateTempDir(root)
}

/**
 * Reads `TOP/<member>` of a bundle tarball, whatever its top folder is, without writing anything, and
 * stops reading as soon as it has it. Undefined when it is absent; a member over maxBytes and an
 * unreadable tarball throw UnsafeArchiveError.
 */
export async function readBundleMember(tarPath: string, member: string, maxBytes = 64 * 1024 ** 2): Promise<Buffer | undefined> {
  let found: Buffer | undefined
  await forEachTarGzEntry(tarPath, async (header, stream) => {
    const components = safeRelativeComponents(header.name)
    const matches = !isUnsafe(components) && components.slice(1).join('/') === member && FILE_TYPES.has(String(header.type))
    if (!matches) {
      stream.resume()
      return
    }
    if (header.size > maxBytes) throw new UnsafeArchiveError(`${member} in ${tarPath} is ${header.size} bytes, over the ${maxBytes} a genuine one can hold`, header.name)
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(Buffer.from(chunk))
    found = Buffer.concat(chunks)
    return 'stop'
  })
  return found
}
