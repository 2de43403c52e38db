import {exec as realExec, type ExecFn} from '../io/exec.js'
import {takeSnapshot} from './snapshot.js'
import type {PostureDocument} from './types.js'
import {renderReport} from './render.js'
import {HipaaIrError, OutputError, errorMessage} from '../core/errors.js'
import {replaceEvidenceFile} from '../io/evidence-fs.js'

export interface AssessOptions {
  exec?: ExecFn
  phiDirs: string[]
  /** Write the dated Markdown report here (mode 0600). */
  reportFile?: string
  root: string
  toolVersion: string
}

/** `assess` (the root already checked by the command: absolute, an existing folder): take the snapshot (live probes only when the root is `/`), write the report if asked. */
export async function assessPosture(options: AssessOptions): Promise<PostureDocument & {report?: string}> {
  const root = options.root
  const live = root === '/'
  const {document} = await takeSnapshot({
    exec: options.exec ?? realExec,
    live,
    phiDirs: options.phiDirs,
    root,
    toolVersion: options.toolVersion,
  })
  if (options.reportFile === undefined) return document
  try {
    await replaceEvidenceFile(options.reportFile, renderReport(document))
  } catch (error) {
    if (error instanceof HipaaIrError) throw error
    throw new OutputError(`could not write the report ${options.reportFile}: ${errorMessage(error)}`, {suggestions: ['Choose a --report path in a writable directory']})
  }
  return {...document, report: options.reportFile}
}
