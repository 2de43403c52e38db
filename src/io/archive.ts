import {createHash} from 'node:crypto'
import {createWriteStream} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import {errnoCode, errorMessage, OutputError} from '../core/errors.js'
import {FILE_MODE} from './evidence-fs.js'
import {parallelGzip} from './parallel-gzip.js'

export interface TarGzResult {
  /** SHA-256 (hex) of the .tar.gz bytes, computed while they were written: no second read. */
  sha256: string
  size: number
}

/**
 * Writes `top/` + each file into a gzipped tarball with archiver (gzip on every core): entries in sorted order,
 * owner-only modes, files opened one at a time as archiver reaches them (`file()` is lazy), so
 * memory stays flat whatever the bundle holds. The tarball's SHA-256 is computed on the way out.
 * Writes to `OUT.partial` and renames only when complete, so a full disk or a crash never leaves
 * a complete-looking tarball behind. archiver is imported here, not at start-up.
 */
export async function writeTarGz(out: string, top: string, baseDir: string, relativePaths: readonly string[], onFile?: (bytes: number) => void): Promise<TarGzResult> {
  const {TarArchive} = await import('archiver')
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
  // archiver writes the tar stream; gzip runs on every core (parallelGzip), level 6 as `tar czf` uses.
  const archive = new TarArchive({highWaterMark: 1024 * 1024})
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
  }
  archive.on('warning', fail)
  // Each file once it is in the archive, with its size (collect's progress line while sealing).
  if (onFile) archive.on('entry', (entry: {type?: string; stats?: {size?: number}}) => entry.type === 'file' && onFile(entry.stats?.size ?? 0))
  const written = pipeline(archive, parallelGzip({level: 6}), tap, createWriteStream(partial, {mode: FILE_MODE})).catch(fail)
  const date = new Date()
  const dirs = new Set<string>()
  archive.append('', {date, mode: 0o700, name: `${top}/`, type: 'directory'} as never)
  for (const rel of [...relativePaths].sort()) {
    const parts = rel.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!dirs.has(dir)) {
        dirs.add(dir)
        archive.append('', {date, mode: 0o700, name: `${top}/${dir}/`, type: 'directory'} as never)
      }
    }
    archive.file(`${baseDir}/${rel}`, {date, mode: FILE_MODE, name: `${top}/${rel}`})
  }
  await archive.finalize().catch(fail)
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
