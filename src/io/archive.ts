import {createHash} from 'node:crypto'
import {constants} from 'node:fs'
import {open, rename, rm} from 'node:fs/promises'
import {Transform, Writable} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {errnoCode, errorMessage, OutputError} from '../core/errors.js'
import {FILE_MODE, openNewEvidenceFile} from './evidence-fs.js'
import {parallelGzip} from './parallel-gzip.js'

export interface TarGzResult {
  /** SHA-256 (hex) of the .tar.gz bytes, computed while they were written: no second read. */
  sha256: string
  size: number
}

/** Sees the uncompressed tar bytes as they are written (for the seal's own check of what went in). */
export type TarObserver = Writable

/** Bytes read from each file per chunk: large, so a big evidence file costs few round-trips. */
const READ_CHUNK_BYTES = 1024 * 1024

/**
 * Writes `top/` + each file into a gzipped tarball: entries in sorted order, owner-only modes, each
 * file opened only when its turn comes, so memory stays flat whatever the bundle holds. Entry names
 * are exactly the files' names (tar-stream, which never rewrites a `\`; names longer than ustar's
 * fields or not ASCII go into a PAX `path` record, as GNU tar reads them). gzip runs on every core
 * (parallelGzip); the tarball's SHA-256 is computed on the way out. `observe` receives the
 * uncompressed tar stream too (the seal checks it against SHA256SUMS in the same pass).
 * Writes to `OUT.partial` (created afresh, never through a link, 0600) and renames only when
 * complete, so a full disk or a crash never leaves a complete-looking tarball behind.
 */
export async function writeTarGz(out: string, top: string, baseDir: string, relativePaths: readonly string[], onFile?: (bytes: number) => void, observe?: TarObserver): Promise<TarGzResult> {
  const {default: tarStream} = await import('tar-stream')
  const partial = `${out}.partial`
  const hash = createHash('sha256')
  let size = 0
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      size += chunk.length
      done(null, chunk)
    },
  })
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (observe === undefined || observe.write(chunk)) done(null, chunk)
      else observe.once('drain', () => done(null, chunk))
    },
    flush(done) {
      if (observe === undefined) done()
      else observe.end(done)
    },
  })
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
  }
  // A leftover from an interrupted run is removed (a link is removed, never followed); the new one is created exclusively.
  await rm(partial, {force: true}).catch(() => undefined)
  const pack = tarStream.pack({highWaterMark: 4 * READ_CHUNK_BYTES} as never)
  let written: Promise<void> = Promise.resolve()
  try {
    // O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW, 0600 on the handle.
    const handle = await openNewEvidenceFile(partial)
    const file = handle.createWriteStream()
    written = pipeline(pack, tee, parallelGzip({level: 6}), tap, file).catch(fail)
    const mtime = new Date()
    const dirs = new Set<string>()
    const directory = (name: string) => new Promise<void>((resolve, reject) => pack.entry({mode: 0o700, mtime, name, type: 'directory'}, (error) => (error ? reject(error) : resolve())))
    await directory(`${top}/`)
    for (const rel of [...relativePaths].sort()) {
      if (failure !== undefined) break
      const parts = rel.split('/')
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/')
        if (!dirs.has(dir)) {
          dirs.add(dir)
          await directory(`${top}/${dir}/`)
        }
      }
      const bytes = await addFile(pack, `${baseDir}/${rel}`, `${top}/${rel}`, mtime)
      // Each file once it is in the archive, with its size (collect's progress line while sealing).
      onFile?.(bytes)
    }
    pack.finalize()
  } catch (error) {
    fail(error)
    pack.destroy(error as Error)
  }
  await written
  if (failure !== undefined) {
    await rm(partial, {force: true})
    const full = errnoCode(failure) === 'ENOSPC'
    throw new OutputError(full ? `the output disk is full: could not write ${out}` : `could not write ${out}: ${errorMessage(failure)}`, {
      cause: failure,
      code: full ? 'E_DISK_FULL' : 'E_OUTPUT',
      suggestions: full
        ? ['Free space or point --out-dir at a larger disk (an external drive), then collect again. No tarball was left behind.']
        : [],
    })
  }
  await rename(partial, out)
  return {sha256: hash.digest('hex'), size}
}

/** One regular file as a tar entry: the size in the header is the size of the handle that is read (never a link). */
async function addFile(pack: import('tar-stream').Pack, path: string, name: string, mtime: Date): Promise<number> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw Object.assign(new Error(`${name} is not a regular file`), {code: 'EINVAL'})
    const header = {mode: FILE_MODE, mtime, name, size: stat.size, type: 'file' as const}
    if (stat.size === 0) {
      await new Promise<void>((resolve, reject) => pack.entry(header, Buffer.alloc(0), (error) => (error ? reject(error) : resolve())))
      return 0
    }
    const entry = pack.entry(header)
    // Never more than the header announced: a file that grew since is cut there (and the seal's check then fails it).
    const reader = handle.createReadStream({autoClose: false, end: stat.size - 1, highWaterMark: READ_CHUNK_BYTES, start: 0})
    await pipeline(reader, entry as unknown as NodeJS.WritableStream)
    return stat.size
  } finally {
    await handle.close()
  }
}
