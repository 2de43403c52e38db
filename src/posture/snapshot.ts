import {DEFAULT_PHI_DIR} from '../core/system-path.js'
import type {ExecFn} from '../io/exec.js'
import {systemHostname} from '../io/system-facts.js'
import {RootView} from './io/root-view.js'
import {type ProbeRun, runProbes} from './io/probes.js'
import {judgeAll, summarize} from './judge-all.js'
import type {PostureDocument} from './types.js'


export interface SnapshotOptions {
  exec: ExecFn
  /** True only for the running system (root `/`): the live-only commands run. */
  live: boolean
  now?: Date
  phiDirs: string[]
  root: string
  toolVersion?: string
}

export interface Snapshot {
  document: PostureDocument
  runs: ProbeRun[]
  view: RootView
}

/** Normalizes PHI directories as paths on the inspected system (`var/data/phi/` → `/var/data/phi`). */
export function systemPaths(dirs: string[]): string[] {
  const normal = dirs.map((dir) => `/${dir.split('/').filter((part) => part !== '' && part !== '.').join('/')}`)
  return [...new Set(normal.length === 0 ? [DEFAULT_PHI_DIR] : normal)]
}

/** Reads the configuration below the root, runs the live probes when live, and judges every control. */
export async function takeSnapshot(options: SnapshotOptions): Promise<Snapshot> {
  const phiDirs = systemPaths(options.phiDirs)
  const view = new RootView(options.root)
  const {probes, runs} = options.live ? await runProbes(options.exec, phiDirs) : {probes: {}, runs: []}
  const controls = judgeAll({live: options.live, phiDirs, probes, view})
  const document: PostureDocument = {
    controls,
    // The same reader collect uses, so the bundle name, manifest and posture.json name one host.
    host: await systemHostname(options.root),
    phi_dirs: phiDirs,
    root: options.root,
    summary: summarize(controls),
    time: (options.now ?? new Date()).toISOString(),
    ...(options.toolVersion === undefined ? {} : {tool_version: options.toolVersion}),
  }
  return {document, runs, view}
}
