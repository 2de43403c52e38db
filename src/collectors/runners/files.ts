import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode} from '../../core/errors.js'
import {copyFileTail} from '../../io/copy-tail.js'
import {ensureEvidenceDir, JsonlWriter} from '../../io/evidence-fs.js'
import {resolveInRoot} from '../../io/root-fs.js'
import {expandRootGlob} from '../../io/root-glob.js'
import {readLineBatches} from '../../io/line-reader.js'
import {parsers} from '../parsers/index.js'
import type {CollectorStatus} from '../record.js'
import type {CollectorEngine} from './context.js'

/** Files one glob may copy at most: an artifact is for a few logs, not a disk image. */
const MAX_FILES_PER_GLOB = 1000

/**
 * The engine of a user's `files:` artifact: every file its globs name (below --root, as seen on that
 * system) is copied under `ID/files/<path as seen>` (so SHA256SUMS covers it), listed in `ID/files.jsonl`
 * with its size, mtime and the SHA-256 of the whole file, and, with `parser: lines`, split into
 * `ID/ID.jsonl`. What could not be read is said per file, with the reason.
 */
export const runFiles: CollectorEngine = async (context) => {
  const {planned, outDir} = context
  const spec = planned.spec
  const files: string[] = []
  const warnings: string[] = []
  const problems: string[] = []
  const listing = new JsonlWriter(join(outDir, 'files.jsonl'))
  files.push(`${spec.outputDir}/files.jsonl`)
  const parse = spec.parser !== 'none' ? parsers[spec.parser as keyof typeof parsers] : undefined
  const rows = parse ? new JsonlWriter(join(outDir, `${spec.id}.jsonl`)) : undefined
  if (rows) files.push(`${spec.outputDir}/${spec.id}.jsonl`)
  let copied = 0
  let matched = 0
  const deadline = Date.now() + spec.timeoutMs
  let timedOut = false
  try {
    for (const fileSpec of spec.files) {
      const {cut, matches} = await expandRootGlob(context.root, fileSpec.glob, {maxMatches: MAX_FILES_PER_GLOB})
      if (cut) warnings.push(`${fileSpec.glob}: more than ${MAX_FILES_PER_GLOB} files match; the first ${MAX_FILES_PER_GLOB} by name were copied`)
      for (const match of matches) {
        if (Date.now() > deadline) {
          timedOut = true
          break
        }
        matched++
        const relative = `${spec.outputDir}/files${match.seen}`
        const target = join(context.bundleDir, relative)
        try {
          await ensureEvidenceDir(join(target, '..'))
          // A link (access.log -> access-2026-03.log) is followed as that system would, inside the image.
          const found = resolveInRoot(context.root, match.seen)
          if (found.problem) throw Object.assign(new Error(found.problem), {code: 'ELOOP'})
          const result = await copyFileTail(found.host, target, fileSpec.maxBytes, context.live)
          copied++
          files.push(relative)
          await listing.write({copied_bytes: result.copiedBytes, copy: relative, glob: fileSpec.glob, mtime: result.mtime, offset: result.offset, path: match.seen, sha256: result.sha256, size: result.size, truncated: result.truncated})
          context.log.record({bytes: result.copiedBytes, collector: planned.id, path: match.seen, step: 'copy'})
          if (result.truncated) warnings.push(`${match.seen}: ${result.size} bytes, larger than ${fileSpec.maxBytes}; its last ${result.copiedBytes} bytes were copied (the SHA-256 in files.jsonl is of the whole file)`)
          if (rows && parse) {
            await writeRows(rows, match.seen, target, spec.parser, parse)
          }
        } catch (error) {
          const code = errnoCode(error) ?? 'EIO'
          const why = code === 'ENOTREG' ? 'not a regular file' : code === 'ELOOP' ? 'a symbolic link (not followed)' : code === 'EACCES' ? 'permission denied' : code
          problems.push(`${match.seen}: ${why}`)
          await listing.write({error: why, glob: fileSpec.glob, path: match.seen})
          context.log.record({collector: planned.id, error: why, path: match.seen, status: 'failed', step: 'copy'})
        }
      }
      if (timedOut) break
    }
  } finally {
    await listing.close()
    await rows?.close()
  }
  let status: CollectorStatus = problems.length === 0 ? 'ok' : copied > 0 ? 'partial' : 'failed'
  if (timedOut) status = 'timed-out'
  const reasons = [...(timedOut ? [`stopped at its timeout (${spec.timeoutMs} ms) after ${copied} files`] : []), ...(problems.length > 0 ? [`could not read ${problems.join('; ')}`] : [])]
  if (matched === 0) return {commands: [], counts: {copied: 0, matched: 0}, files, reason: `no file matches ${spec.files.map((f) => f.glob).join(', ')}`, status: 'skipped', warnings}
  return {commands: [], counts: {copied, matched}, files, status, warnings, ...(reasons.length > 0 ? {reason: reasons.join('; ')} : {})}
}

/**
 * The parsed rows of one copied file. `lines` streams the copy (a log may be hundreds of MiB, more than
 * one string can hold), numbering lines from 1 as the `lines` parser does; a table parser takes the text.
 */
async function writeRows(rows: JsonlWriter, seen: string, copy: string, parser: string, parse: (text: string) => Record<string, unknown>[]): Promise<void> {
  if (parser === 'lines') {
    let n = 0
    for await (const batch of readLineBatches(copy)) {
      for (const line of batch) rows.add(JSON.stringify({line, n: ++n, path: seen}))
      await rows.settle()
    }
    return
  }
  for (const row of parse(await readFile(copy, 'utf8'))) rows.add(JSON.stringify({path: seen, ...row}))
  await rows.settle()
}
