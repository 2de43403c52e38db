import {createHash} from 'node:crypto'
import {createReadStream, createWriteStream} from 'node:fs'
import {rename, rm, stat} from 'node:fs/promises'
import {Transform} from 'node:stream'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'

import {errnoCode, errorMessage, OutputError} from '../core/errors.js'
import {FILE_MODE} from './evidence-fs.js'

export interface TarGzResult {
  /** SHA-256 (hex) of the .tar.gz bytes, computed while they were written: no second read. */
  sha256: string
  size: number
}

const BLOCK = 512
/** Largest size an 11-digit octal ustar field holds (8 GiB - 1); larger sizes go in a PAX record. */
const MAX_OCTAL_SIZE = 0o77777777777

/**
 * Writes `top/` + each file into a gzipped tarball (POSIX ustar, PAX records for long names),
 * entries in sorted order, owner-only modes, one file open at a time, streamed in 1 MiB chunks, so
 * memory stays flat whatever the bundle holds. The tarball's SHA-256 is computed on the way out.
 * Writes to `OUT.partial` and renames only when complete, so a full disk or a crash never leaves
 * a complete-looking tarball behind.
 */
export async function writeTarGz(out: string, top: string, baseDir: string, relativePaths: readonly string[]): Promise<TarGzResult> {
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
  try {
    await pipeline(tarEntries(top, baseDir, relativePaths, Math.floor(Date.now() / 1000)), createGzip({level: 6}), tap, createWriteStream(partial, {mode: FILE_MODE}))
  } catch (failure) {
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

/** The tar stream: folder entries (0700) before their files (0600), two zero blocks at the end. */
async function* tarEntries(top: string, baseDir: string, relativePaths: readonly string[], mtime: number): AsyncGenerator<Buffer> {
  const dirs = new Set<string>()
  yield* entryHeader({mode: 0o700, mtime, name: `${top}/`, size: 0, type: '5'})
  for (const rel of [...relativePaths].sort()) {
    const parts = rel.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (!dirs.has(dir)) {
        dirs.add(dir)
        yield* entryHeader({mode: 0o700, mtime, name: `${top}/${dir}/`, size: 0, type: '5'})
      }
    }
    const path = `${baseDir}/${rel}`
    const {size} = await stat(path)
    yield* entryHeader({mode: FILE_MODE, mtime, name: `${top}/${rel}`, size, type: '0'})
    let written = 0
    for await (const chunk of createReadStream(path, {highWaterMark: 1024 * 1024})) {
      const buffer = chunk as Buffer
      if (written + buffer.length > size) throw new Error(`${rel} grew while it was being archived`)
      written += buffer.length
      yield buffer
    }
    if (written !== size) throw new Error(`${rel} shrank while it was being archived`)
    if (size % BLOCK !== 0) yield Buffer.alloc(BLOCK - (size % BLOCK))
  }
  yield Buffer.alloc(2 * BLOCK)
}

interface Header {
  mode: number
  mtime: number
  name: string
  size: number
  type: '0' | '5'
}

/** One ustar header, preceded by a PAX extended header when the name or size does not fit. */
function* entryHeader(entry: Header): Generator<Buffer> {
  const split = splitName(entry.name)
  const pax: string[] = []
  if (split === undefined) pax.push(paxRecord('path', entry.name))
  if (entry.size > MAX_OCTAL_SIZE) pax.push(paxRecord('size', String(entry.size)))
  if (pax.length > 0) {
    const body = Buffer.from(pax.join(''), 'utf8')
    yield ustarHeader({mode: 0o600, mtime: entry.mtime, name: 'PaxHeader', size: body.length, type: 'x'})
    yield body
    if (body.length % BLOCK !== 0) yield Buffer.alloc(BLOCK - (body.length % BLOCK))
  }
  const fallback = {name: Buffer.from(entry.name, 'utf8').subarray(0, 100).toString('latin1'), prefix: ''}
  yield ustarHeader({...entry, ...(split ?? fallback), size: entry.size > MAX_OCTAL_SIZE ? 0 : entry.size})
}

/** `len key=value\n`, where len counts the whole record including its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`
  const restBytes = Buffer.byteLength(rest, 'utf8')
  let length = restBytes + 1
  while (String(length).length + restBytes !== length) length = String(length).length + restBytes
  return `${length}${rest}`
}

/** ustar keeps up to 100 bytes of name and 155 of prefix, split at a slash; undefined when that cannot hold it. */
function splitName(name: string): undefined | {name: string; prefix: string} {
  const bytes = Buffer.from(name, 'utf8')
  if (bytes.length !== name.length) return undefined // non-ASCII: a PAX path keeps it exact
  if (bytes.length <= 100) return {name, prefix: ''}
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    if (cut <= 155 && name.length - cut - 1 <= 100 && name.length - cut - 1 > 0) return {name: name.slice(cut + 1), prefix: name.slice(0, cut)}
  }
  return undefined
}

function ustarHeader(h: {mode: number; mtime: number; name: string; prefix?: string; size: number; type: string}): Buffer {
  const block = Buffer.alloc(BLOCK)
  const octal = (value: number, offset: number, width: number) => block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'latin1')
  block.write(h.name, 0, 100, 'latin1')
  octal(h.mode, 100, 8)
  octal(0, 108, 8)
  octal(0, 116, 8)
  octal(h.size, 124, 12)
  octal(h.mtime, 136, 12)
  block.write('        ', 148, 8, 'latin1')
  block.write(h.type, 156, 1, 'latin1')
  block.write('ustar\0' + '00', 257, 8, 'latin1')
  block.write('root', 265, 32, 'latin1')
  block.write('root', 297, 32, 'latin1')
  block.write(h.prefix ?? '', 345, 155, 'latin1')
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1')
  return block
}
