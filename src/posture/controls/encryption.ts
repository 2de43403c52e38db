import type {ControlResult, ControlStatus, Evidence} from '../types.js'
import {containingMount, dmCryptNames, lsblkChains, lsblkMountpoints, parseCrypttab, parseFstab} from '../parsers/block-devices.js'
import {type PostureContext, verdict, worst} from './context.js'

interface DirAnswer {
  evidence: Evidence[]
  reason?: string
  status: ControlStatus
}

const MAPPER = /^\/dev\/(?:mapper\/|disk\/by-id\/dm-name-)(.+)$/

/** Offline answer: fstab mounts /dev/mapper/NAME at the mount holding DIR, and crypttab opens NAME. */
export function fromCrypttab(context: PostureContext, dir: string): DirAnswer {
  const crypttab = context.view.read('/etc/crypttab')
  const fstab = context.view.read('/etc/fstab')
  const evidence: Evidence[] = []
  if (fstab === undefined) evidence.push({file: '/etc/fstab', missing: true})
  if (crypttab === undefined) evidence.push({file: '/etc/crypttab', missing: true})
  const mount = fstab === undefined ? undefined : containingMount(dir, parseFstab(fstab), (entry) => entry.mountpoint)
  if (mount !== undefined) evidence.push(mount.evidence)
  const mapped = mount === undefined ? undefined : MAPPER.exec(mount.device)?.[1]
  const entry = mapped === undefined || crypttab === undefined ? undefined : parseCrypttab(crypttab).find((candidate) => candidate.name === mapped)
  if (entry !== undefined && mount !== undefined) {
    evidence.push(entry.evidence)
    return {evidence, reason: `${dir} is on ${mount.mountpoint}, mounted from ${mount.device}, which crypttab opens with dm-crypt (configured, not seen live)`, status: 'pass'}
  }
  const where = mount === undefined ? `no fstab entry holds ${dir}` : `${dir} is on ${mount.mountpoint} (${mount.device}), which crypttab does not open by name`
  return {
    evidence,
    reason: `${where}; LUKS under LVM, a filesystem UUID inside a LUKS volume, or fscrypt can only be seen on the live system (lsblk, dmsetup, fscrypt)`,
    status: 'unknown',
  }
}

/** Live answer: the lsblk chain under the mount that holds DIR contains a `crypt` device, or fscrypt says the directory is encrypted. */
export function fromLive(context: PostureContext, dir: string): DirAnswer | undefined {
  const {dmsetup, fscrypt, lsblk} = context.probes
  const evidence: Evidence[] = []
  const fs = fscrypt?.[dir]
  if (fs !== undefined && fs.failure === undefined && /is encrypted with fscrypt/i.test(fs.output)) {
    evidence.push({command: fs.command, output: fs.output.trim().split('\n').slice(0, 6).join('\n')})
    return {evidence, status: 'pass'}
  }
  if (lsblk === undefined || lsblk.failure !== undefined) return undefined
  const chains = lsblkChains(lsblk.output)
  if (chains === undefined) return undefined
  const holder = containingMount(dir, chains.flatMap((item) => lsblkMountpoints(item.node).map((point) => ({item, point}))), (entry) => entry.point)
  if (fs !== undefined) evidence.push({command: fs.command, output: (fs.failure ?? fs.output).trim().split('\n').slice(0, 3).join('\n')})
  if (holder === undefined) {
    return {evidence, reason: `${dir} is not on a block device lsblk lists (network, overlay or virtual filesystem)`, status: 'unknown'}
  }
  const chain = holder.item.chain
  const text = chain.map((node) => `${node.name} ${node.type ?? ''} ${node.fstype ?? ''}`.trim()).join(' <- ')
  evidence.push({command: lsblk.command, output: `${holder.point}: ${text}`})
  const crypt = chain.find((node) => node.type === 'crypt' || node.fstype === 'crypto_LUKS')
  if (dmsetup !== undefined && dmsetup.failure === undefined) {
    const names = dmCryptNames(dmsetup.output)
    evidence.push({command: dmsetup.command, output: names.length === 0 ? '(no crypt targets)' : names.map((name) => `${name}: crypt`).join('\n')})
  }
  if (crypt !== undefined) return {evidence, status: 'pass'}
  return {evidence, reason: `${dir} is on ${holder.point} (${text}), with no dm-crypt device under it, and fscrypt does not report it encrypted`, status: 'fail'}
}

export function judgeEncryption(context: PostureContext): ControlResult {
  const id = 'encryption.phi-at-rest'
  const answers = context.phiDirs.map((dir): DirAnswer => {
    if (context.view.lstat(dir) === undefined) return {evidence: [{file: dir, missing: true}], reason: `${dir} not found`, status: 'unknown'}
    if (!context.live) return fromCrypttab(context, dir)
    const live = fromLive(context, dir)
    if (live !== undefined) return live
    const offline = fromCrypttab(context, dir)
    const failure = context.probes.lsblk?.failure ?? 'lsblk output not readable'
    return offline.status === 'pass' ? offline : {...offline, reason: `lsblk gave no answer (${failure}); ${offline.reason ?? ''}`}
  })
  const reasons = answers.flatMap((answer) => answer.reason ?? [])
  return verdict(id, worst(answers.map((answer) => answer.status)), answers.flatMap((answer) => answer.evidence), reasons.length === 0 ? undefined : reasons.join('; '))
}
