import type {ControlResult} from './types.js'
import {judgeLockout, judgePasswordAging, judgePasswordQuality, judgeSessionTimeout} from './controls/accounts.js'
import {auditSource, judgeIdentityWatch, judgePhiWatch} from './controls/audit.js'
import {CONTROL_ORDER} from './controls/catalog.js'
import type {PostureContext} from './controls/context.js'
import {judgeEncryption} from './controls/encryption.js'
import {judgePhiPermissions, judgeRemoteLogs} from './controls/files.js'
import {judgeSsh} from './controls/ssh.js'

/** Every baseline control, in the contract's order. Pure: reads only through the context's FileView and probes. */
export function judgeAll(context: PostureContext): ControlResult[] {
  const audit = auditSource(context)
  const results = [
    ...judgeSsh(context),
    judgePasswordQuality(context),
    judgePasswordAging(context),
    judgeSessionTimeout(context),
    judgeLockout(context),
    judgePhiWatch(context, audit),
    judgeIdentityWatch(audit),
    judgeEncryption(context),
    judgeRemoteLogs(context),
    judgePhiPermissions(context),
  ]
  return CONTROL_ORDER.map((id) => {
    const found = results.find((result) => result.id === id)
    if (found === undefined) throw new RangeError(`control ${id} was not judged`)
    return found
  })
}

export function summarize(controls: ControlResult[]): {fail: number; pass: number; unknown: number} {
  return {
    fail: controls.filter((control) => control.status === 'fail').length,
    pass: controls.filter((control) => control.status === 'pass').length,
    unknown: controls.filter((control) => control.status === 'unknown').length,
  }
}
