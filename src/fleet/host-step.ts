/**
 * What one host does in a fleet run, on the host (run there by the installed release as the hidden
 * `hipaa-ir fleet host-step`): read its own state (the case's bundles, their NAME.push.json and the
 * collect documents it kept), then act on it. A pushed bundle: nothing to do. A pending one: `push
 * --pending` (relay transport: the controller fetches and pushes it). None: `collect` (with --push
 * unless relay). It prints one small JSON report; bundles never travel through Ansible.
 */
import {execa} from 'execa'
import {readdir, readFile, rm} from 'node:fs/promises'
import {hostname} from 'node:os'
import {basename, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {ensureEvidenceDir, replaceEvidenceFile} from '../io/evidence-fs.js'
import {BUNDLE_SUFFIX} from '../storage/object-key.js'
import {readPushState, type PushState} from '../storage/push-state.js'

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
const STDERR_KEEP = 2000

export type HostAction = 'collect' | 'probe' | 'push' | 'relay' | 'skip'

export interface HostStepSpec {
  case: string
  /** Collect flags (since, PHI folders, ...), without --case/--out-dir/--json/--push. */
  collect: string[]
  outDir: string
  probe: boolean
  /** Push flags (bucket, endpoint, prefix, lock), without --push / --pending. */
  push: string[]
  recollect: boolean
  run: string
  transport: 'push' | 'relay'
}

/** The parts of `collect --json` the controller uses. */
export interface CollectDoc {
  collectors?: Array<{id: string; reason?: string; status: string}>
  name?: string
  push?: {error?: string; status?: string}
  status?: string
  tarball_sha256?: string
}

export interface HostBundle {
  collect: CollectDoc | null
  name: string
  push: null | PushState
  /** The tarball's path on the host. */
  tarball: string
}

export interface StepRun {
  rc: null | number
  stderr: string
}

export interface HostStepReport {
  action: HostAction
  bundles: HostBundle[]
  collect?: StepRun
  hostname: string
  out_dir: string
  push?: StepRun
}

export async function readHostBundles(caseId: string, outDir: string): Promise<HostBundle[]> {
  const names = await readdir(outDir)
  const docs = new Map<string, CollectDoc>()
  for (const file of names.filter((n) => n.startsWith('.collect-') && n.endsWith('.json')).sort()) {
    const doc = parseJson(await readFile(join(outDir, file), 'utf8').catch(() => '')) as CollectDoc | undefined
    if (typeof doc?.name === 'string') docs.set(doc.name, doc)
  }
  const bundles: HostBundle[] = []
  for (const file of names.filter((n) => n.startsWith(`${caseId}_`) && BUNDLE_SUFFIX.test(n)).sort()) {
    const tarball = join(outDir, file)
    const name = file.replace(BUNDLE_SUFFIX, '')
    bundles.push({collect: docs.get(name) ?? null, name, push: (await readPushState(tarball).catch(() => undefined)) ?? null, tarball})
  }
  return bundles
}

export function decideAction(spec: Pick<HostStepSpec, 'probe' | 'recollect' | 'transport'>, bundles: readonly HostBundle[]): HostAction {
  if (spec.probe) return 'probe'
  if (bundles.length === 0 || spec.recollect) return 'collect'
  if (bundles.some((b) => b.push?.status !== 'pushed')) return spec.transport === 'relay' ? 'relay' : 'push'
  return 'skip'
}

/**
 * The playbook hands the S3 credentials over as `EVIDENCE/.s3-credentials-RUN` (0600) and removes it
 * when the host's run ends; the step removes it too, as soon as it is done with it, so that a
 * controller killed mid-run (whose clean-up task then never comes) leaves no secret behind once the
 * collection, still running as an async job, finishes. Only that exact file name is ever removed.
 */
export async function removeRunCredentials(run: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = env.AWS_SHARED_CREDENTIALS_FILE
  if (file === undefined || basename(file) !== `.s3-credentials-${run}`) return false
  await rm(file, {force: true})
  return true
}

export async function hostStep(spec: HostStepSpec): Promise<HostStepReport> {
  try {
    return await runHostStep(spec)
  } finally {
    await removeRunCredentials(spec.run)
  }
}

async function runHostStep(spec: HostStepSpec): Promise<HostStepReport> {
  await ensureEvidenceDir(spec.outDir)
  const action = decideAction(spec, await readHostBundles(spec.case, spec.outDir))
  const report: HostStepReport = {action, bundles: [], hostname: hostname(), out_dir: spec.outDir}
  if (action === 'collect') {
    const argv = ['collect', '--case', spec.case, '--out-dir', spec.outDir, '--json', ...spec.collect, ...(spec.transport === 'push' ? ['--push', ...spec.push] : [])]
    const run = await cli(argv)
    report.collect = {rc: run.rc, stderr: run.stderr}
    if (parseJson(run.stdout) !== undefined) await replaceEvidenceFile(join(spec.outDir, `.collect-${spec.run}.json`), run.stdout)
  } else if (action === 'push') {
    const run = await cli(['push', '--pending', '--out-dir', spec.outDir, '--json', ...spec.push])
    report.push = {rc: run.rc, stderr: run.stderr}
  }
  report.bundles = await readHostBundles(spec.case, spec.outDir)
  return report
}

async function cli(args: string[]): Promise<{rc: null | number; stderr: string; stdout: string}> {
  const result = await execa(process.execPath, [RUN_JS, ...args], {reject: false, stdin: 'ignore'})
  return {rc: result.exitCode ?? null, stderr: String(result.stderr).slice(-STDERR_KEEP), stdout: String(result.stdout)}
}

/** A JSON object from a program's output, or undefined when it printed none. */
export function parseJson(text: string): unknown {
  if (!text.trim().startsWith('{')) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
