/**
 * The relay transport, for hosts with no way out to S3: the host keeps its bundle pending, the
 * controller streams it back over its own SSH connection (the one Ansible uses, rebuilt from the
 * inventory's connection variables; `sudo -n cat`, never Ansible's fetch, which under become slurps
 * the whole file into memory), into a private folder (0700, files 0600), checks the SHA-256 the host
 * reported, and pushes it itself. A bundle already pushed from that folder is not fetched again.
 */
import {execa} from 'execa'
import {open, rm} from 'node:fs/promises'
import {basename, join} from 'node:path'

import {errorMessage} from '../core/errors.js'
import {shellQuote} from '../core/shell-quote.js'
import {ensureEvidenceDir, hashFile} from '../io/evidence-fs.js'
import {BUNDLE_SUFFIX} from '../storage/object-key.js'
import {pushBundles, type PushRunOptions} from '../storage/push-run.js'
import {readPushState} from '../storage/push-state.js'
import type {HostReport} from './ansible-run.js'
import type {AnsibleHost} from './ansible-inventory.js'
import {parseHostStep, type HostOutcome} from './host-state.js'

export interface RelayOptions {
  become: boolean
  pushOptions: PushRunOptions
  relayDir: string
}

/** Splits a variable such as ansible_ssh_common_args the way Ansible does (shlex): quotes and backslashes. */
export function splitArgs(text: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: '"' | "'" | undefined
  let started = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quote === "'") {
      if (c === "'") quote = undefined
      else current += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1] as string)) current += text[++i]
      else current += c
    } else if (c === "'" || c === '"') {
      quote = c
      started = true
    } else if (c === '\\' && i + 1 < text.length) {
      current += text[++i]
      started = true
    } else if (/\s/.test(c)) {
      if (started || current !== '') out.push(current)
      current = ''
      started = false
    } else {
      current += c
    }
  }
  if (quote !== undefined) throw new RangeError(`unbalanced quote in ${JSON.stringify(text)}`)
  if (started || current !== '') out.push(current)
  return out
}

/** ssh argv that reaches the host as Ansible does and runs `cat -- PATH` there (argv quoted for the remote shell). */
export function sshCatArgv(host: AnsibleHost, path: string, become: boolean): string[] {
  const v = host.vars
  const str = (key: string): string | undefined => (typeof v[key] === 'string' || typeof v[key] === 'number' ? String(v[key]) : undefined)
  const argv = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10']
  const port = str('ansible_port') ?? str('ansible_ssh_port')
  const user = str('ansible_user') ?? str('ansible_ssh_user')
  const key = str('ansible_ssh_private_key_file') ?? str('ansible_private_key_file')
  if (port !== undefined) argv.push('-p', port)
  if (user !== undefined) argv.push('-l', user)
  if (key !== undefined) argv.push('-i', key)
  argv.push(...splitArgs(str('ansible_ssh_common_args') ?? ''), ...splitArgs(str('ansible_ssh_extra_args') ?? ''))
  const remote = [...(become ? ['sudo', '-n'] : []), 'cat', '--', path].map(shellQuote).join(' ')
  return [...argv, host.address, remote]
}

async function fetchFile(host: AnsibleHost, remote: string, local: string, become: boolean): Promise<boolean> {
  // Created 0600 first: the stream below keeps that mode whatever the umask.
  await (await open(local, 'w', 0o600)).close()
  const done = await execa('ssh', sshCatArgv(host, remote, become), {reject: false, stdin: 'ignore', stdout: {file: local}, timeout: 3_600_000})
  return done.exitCode === 0
}

/** Relays every bundle the host holds that is not proven pushed; returns the report with their new push states. */
export async function relayHost(outcome: HostOutcome, host: AnsibleHost, options: RelayOptions): Promise<HostReport> {
  const report = outcome.report as HostReport
  const step = parseHostStep(report)
  if (step === undefined) return report
  const folder = join(options.relayDir, host.name)
  for (const bundle of step.bundles.filter((b) => b.push?.status !== 'pushed')) {
    await ensureEvidenceDir(folder)
    const file = basename(bundle.tarball)
    const local = join(folder, file)
    try {
      if ((await readPushState(local).catch(() => undefined))?.status !== 'pushed') {
        const base = bundle.tarball.replace(BUNDLE_SUFFIX, '')
        if (!(await fetchFile(host, bundle.tarball, local, options.become))) throw new Error(`could not read ${bundle.tarball} over SSH`)
        if (!(await fetchFile(host, `${bundle.tarball}.sig`, `${local}.sig`, options.become))) throw new Error(`could not read ${bundle.tarball}.sig over SSH`)
        for (const optional of [`${base}.pub`, `${base}.custody.jsonl`]) {
          const target = join(folder, basename(optional))
          if (!(await fetchFile(host, optional, target, options.become))) await rm(target, {force: true})
        }
        const reported = bundle.collect?.tarball_sha256
        if (reported !== undefined && (await hashFile(local)).sha256 !== reported) {
          throw new Error('the relayed copy does not match the SHA-256 the host reported')
        }
        const pushed = await pushBundles([local], {...options.pushOptions, actor: `hipaa-ir fleet relay (${host.name})`})
        if (pushed.failed.length > 0) throw new Error(pushed.failed.map((f) => f.error).join('; '))
      }
      bundle.push = (await readPushState(local)) ?? null
    } catch (error) {
      bundle.push = {lastError: `relay: ${errorMessage(error)}`, status: 'pending'}
    }
  }
  return {...report, stdout: JSON.stringify(step)}
}
