import {TarArchive, type EntryData} from 'archiver'
import {createReadStream, createWriteStream} from 'node:fs'
import {rename, rm} from 'node:fs/promises'
import {pipeline} from 'node:stream/promises'

import {errnoCode, errorMessage, OutputError} from '../core/errors.js'
import {FILE_MODE} from './evidence-fs.js'

/**
 * Writes `top/` + each file into a gzipped tarball, entries in sorted order, owner-only modes.
 * Writes to `OUT.partial` and renames only when complete, so a full disk or a crash never leaves
 * a complete-looking tarball behind.
 */
export async function writeTarGz(out: string, top: string, baseDir: string, relativePaths: readonly string[]): Promise<void> {
  const partial = `${out}.partial`
  const output = createWriteStream(partial, {mode: FILE_MODE})
  const archive = new TarArchive({gzip: true, gzipOptions: {level: 6}})
  let failure: unknown
  const fail = (error: unknown) => {
    failure ??= error
  }
  archive.on('warning', fail)
  const done = pipeline(archive, output).catch(fail)
  const date = new Date()
  const dirs = new Set<string>()
  for (const rel of [...relativePaths].sort()) {
    const parts = rel.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!dirs.has(dir)) {
        dirs.add(dir)
        archive.append('', {date, mode: 0o700, name: `${top}/${dir}/`, type: 'directory'} as EntryData)
      }
    }
    archive.append(createReadStream(`${baseDir}/${rel}`), {date, mode: FILE_MODE, name: `${top}/${rel}`})
  }
  await archive.finalize().catch(fail)
  await done
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
}
