import {judgeAll} from '../../src/posture/judge-all.js'
import type {ControlResult, FileView} from '../../src/posture/types.js'

/** Judges every control over an in-memory view (offline), for property tests. */
export function takeSnapshotFromView(view: FileView): ControlResult[] {
  return judgeAll({live: false, phiDirs: ['/var/data/phi'], probes: {}, view})
}
