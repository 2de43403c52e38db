import path from 'node:path'

import {errorMessage} from '../core/errors.js'
import {createEvidenceFile, ensureEvidenceDir} from '../io/evidence-fs.js'
import type {ExecFn, ExecResult} from '../io/exec.js'
import {takeSnapshot} from './snapshot.js'

export interface CollectPostureOptions {
  exec: ExecFn
  live: boolean
  outDir: string
  phiDirs: string[]
  root: string
}

export interface CollectPostureResult {
  commands: ExecResult[]
  files: string[]
  reason?: string
  status: 'failed' | 'ok' | 'partial'
}

async function writeEvidence(outDir: string, relative: string, data: Buffer | string, written: string[]): Promise<void> {
  const target = path.join(outDir, relative)
  await ensureEvidenceDir(path.dirname(target))
  await createEvidenceFile(target, data)
  written.push(relative)
}

/** `posture/files/<path as on the system>`; normalizing an absolute path cannot climb above it. */
export function evidenceCopyPath(systemPath: string): string {
  return path.posix.join('files', path.posix.normalize(`/${systemPath}`).slice(1))
}

/**
 * The `posture` collector's engine: takes the snapshot and writes `posture.json` (the `assess --json`
 * document), a copy of every configuration file read (`files/<system path>`) and each live command's
 * output (`cmd/<name>.txt`, stderr in `cmd/<name>.stderr.txt`) into `outDir`, all mode 0600.
 * Never throws: a failure to write is `failed`; unreadable files or commands that timed out are `partial`.
 */
export async function collectPosture(options: {root: string; live: boolean; phiDirs: string[]; outDir: string; exec: ExecFn}): Promise<CollectPostureResult> {
  const files: string[] = []
  let commands: ExecResult[] = []
  try {
    const {document, runs, view} = await takeSnapshot(options)
    commands = runs.map((run) => run.result)
    await writeEvidence(options.outDir, 'posture.json', `${JSON.stringify(document, null, 2)}\n`, files)
    for (const record of [...view.reads.values()].sort((a, b) => a.path.localeCompare(b.path))) {
      await writeEvidence(options.outDir, evidenceCopyPath(record.path), record.bytes, files)
    }
    for (const run of runs) {
      await writeEvidence(options.outDir, `cmd/${run.name}.txt`, run.result.stdout, files)
      if (run.result.stderr !== '') await writeEvidence(options.outDir, `cmd/${run.name}.stderr.txt`, run.result.stderr, files)
    }
    const troubles = [
      ...view.problems.map((problem) => `could not read ${problem}`),
      ...runs.flatMap(({result}) => (result.timedOut || result.truncated || (result.error !== undefined && !result.notFound) ? [`${result.argv.join(' ')}: ${result.timedOut ? 'timed out' : result.truncated ? 'output cut off' : result.error ?? ''}`] : [])),
    ]
    return troubles.length === 0 ? {commands, files, status: 'ok'} : {commands, files, reason: troubles.join('; '), status: 'partial'}
  } catch (error) {
    return {commands, files, reason: `posture snapshot failed: ${errorMessage(error)}`, status: 'failed'}
  }
}
