import {createHash} from 'node:crypto'
import {Writable} from 'node:stream'

import {isUnsafe, safeRelativeComponents} from '../integrity/archive-paths.js'
import {SUMS_FILE, SUMS_SIG_FILE, type VerifyProblem} from '../integrity/bundle-verify.js'
import {parseSha256Sums} from '../integrity/sha256sums.js'

export interface SealCheck {
  /** Receives the uncompressed tar stream as it is written (writeTarGz's `observe`). */
  observer: Writable
  /** After the tarball is written: what does not match SHA256SUMS (empty when the tarball verifies). */
  problems: () => Promise<VerifyProblem[]>
}

/**
 * The seal's own verify of the tarball it writes, in the same pass (no second read): the tar stream
 * is parsed as verify parses it (tar-stream), every member name is checked as verify checks it
 * (one top folder NAME/, no `..`, no absolute path), hashed, and compared with SHA256SUMS as verify
 * compares (parseSha256Sums): each listed file present once with its hash, nothing else. A name the
 * archive changed (a `\` turned into `/`), a name given twice, or a file that changed after it was
 * hashed is found here, before collect says `complete`.
 */
export async function startSealCheck(top: string, sumsText: string): Promise<SealCheck> {
  const {default: tarStream} = await import('tar-stream')
  const extract = tarStream.extract()
  const problems: VerifyProblem[] = []
  const seen = new Map<string, string>()
  extract.on('entry', (header, stream, next) => {
    const components = safeRelativeComponents(header.name)
    const fail = (detail: string) => {
      problems.push({detail, kind: 'malformed', path: header.name})
      stream.resume()
      stream.on('end', next)
    }
    if (isUnsafe(components)) return fail(`the tarball's entry ${JSON.stringify(header.name)} ${components.unsafe}`)
    if (components[0] !== top) return fail(`the tarball's entry ${JSON.stringify(header.name)} is not below ${top}/`)
    if (header.type === 'directory') {
      stream.resume()
      stream.on('end', next)
      return
    }
    if (header.type !== 'file') return fail(`the tarball's entry ${JSON.stringify(header.name)} is a ${header.type}`)
    const path = components.slice(1).join('/')
    const hash = createHash('sha256')
    stream.on('data', (chunk: unknown) => {
      hash.update(chunk as Buffer)
    })
    stream.on('end', () => {
      if (seen.has(path)) problems.push({detail: 'appears twice in the tarball', kind: 'malformed', path})
      seen.set(path, hash.digest('hex'))
      next()
    })
  })
  let failed: Error | undefined
  const done = new Promise<void>((resolve) => {
    extract.on('finish', resolve)
    extract.on('close', resolve)
    extract.on('error', (error: Error) => {
      failed ??= error
      resolve()
    })
  })
  const observer = new Writable({
    final(callback) {
      if (failed === undefined) extract.end(undefined as never)
      void done.then(() => callback())
    },
    write(chunk: Buffer, _encoding, callback) {
      if (failed !== undefined || extract.write(chunk)) return callback()
      const go = () => {
        extract.off('drain', go)
        extract.off('error', go)
        callback()
      }
      extract.on('drain', go)
      extract.on('error', go)
    },
  })
  return {
    observer,
    async problems() {
      await done
      if (failed !== undefined) problems.push({detail: `the tarball could not be read back: ${failed.message}`, kind: 'malformed', path: `${top}.tar.gz`})
      const parsed = parseSha256Sums(sumsText)
      const listed = new Set<string>([SUMS_FILE, SUMS_SIG_FILE])
      for (const entry of parsed.entries) {
        listed.add(entry.path)
        const actual = seen.get(entry.path)
        if (actual === undefined) problems.push({detail: 'listed in SHA256SUMS but not in the tarball', kind: 'missing', path: entry.path})
        else if (actual !== entry.sha256) problems.push({detail: `SHA256SUMS says ${entry.sha256}, the tarball holds ${actual}`, kind: 'hash-mismatch', path: entry.path})
      }
      for (const path of seen.keys()) if (!listed.has(path)) problems.push({detail: 'in the tarball but not listed in SHA256SUMS', kind: 'extra', path})
      return problems
    },
  }
}
