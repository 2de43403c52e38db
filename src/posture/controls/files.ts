import type {ControlResult, Evidence} from '../types.js'
import {parseRsyslog} from '../parsers/rsyslog.js'
import {type PostureContext, verdict, worst} from './context.js'

export function octalMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`
}

/** lstat of each PHI directory below the root: any `o` (other) bit fails. */
export function judgePhiPermissions(context: PostureContext): ControlResult {
  const id = 'phi.permissions'
  const evidence: Evidence[] = []
  const reasons: string[] = []
  const statuses = context.phiDirs.map((dir) => {
    const stat = context.view.lstat(dir)
    if (stat === undefined) {
      evidence.push({file: dir, missing: true})
      reasons.push(`${dir} not found`)
      return 'unknown' as const
    }
    evidence.push({mode: octalMode(stat.mode), path: dir, type: stat.type})
    if (stat.type === 'symlink') {
      reasons.push(`${dir} is a symbolic link; name the directory it points to with --phi-dir`)
      return 'unknown' as const
    }
    if (stat.type !== 'dir') {
      reasons.push(`${dir} is a ${stat.type}, not a directory`)
      return 'unknown' as const
    }
    if ((stat.mode & 0o007) !== 0) {
      reasons.push(`${dir} is ${octalMode(stat.mode)}: others may ${[(stat.mode & 4) === 0 ? '' : 'read', (stat.mode & 2) === 0 ? '' : 'write', (stat.mode & 1) === 0 ? '' : 'enter'].filter((word) => word !== '').join('/')}`)
      return 'fail' as const
    }
    return 'pass' as const
  })
  return verdict(id, worst(statuses), evidence, reasons.length === 0 ? undefined : reasons.join('; '))
}

/** rsyslog.conf and its includes: `@@host` (TCP) or `action(type="omfwd" protocol="tcp" StreamDriverMode="1")` (TLS). */
export function judgeRemoteLogs(context: PostureContext): ControlResult {
  const id = 'logs.remote'
  const config = parseRsyslog(context.view)
  if (config === undefined) {
    return verdict(id, 'fail', [{file: '/etc/rsyslog.conf', missing: true}], 'rsyslog is not configured (no /etc/rsyslog.conf), so nothing forwards logs over TCP/TLS; other forwarders (systemd-journal-upload, audisp-remote) are not judged')
  }
  const good = config.forwards.filter((forward) => (forward.form === 'legacy' ? forward.protocol === 'tcp' : forward.tls))
  const evidence: Evidence[] = (good.length > 0 ? good : config.forwards).map((forward) => forward.evidence)
  if (good.length > 0) {
    const plain = good.filter((forward) => !forward.tls).map((forward) => forward.target)
    return verdict(id, 'pass', evidence, plain.length === 0 ? undefined : `forwards to ${plain.join(', ')} over TCP without TLS`)
  }
  if (config.forwards.length === 0) return verdict(id, 'fail', evidence, `no forwarding action in ${config.files.join(', ')}`)
  const described = config.forwards.map((forward) => `${forward.target} (${forward.form === 'legacy' ? '@' : 'omfwd '}${forward.protocol}${forward.form === 'omfwd' && forward.protocol === 'tcp' ? ' without StreamDriverMode="1"' : ''})`)
  return verdict(id, 'fail', evidence, `forwarding is not over TCP/TLS: ${described.join(', ')}`)
}
