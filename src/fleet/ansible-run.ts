/**
 * Runs the shipped playbook with ansible-playbook (argv, never a shell string) and reads its events:
 * the playbook's stdout callback (playbook/callback_plugins/hipaa_ir_events.py) prints one JSON object
 * per line. Ansible's own state (control sockets, temp files) goes into the run's private folder.
 */
import {execa} from 'execa'
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {HipaaIrError, UsageError, errnoCode} from '../core/errors.js'
import {ExitCode} from '../cli/exit-codes.js'

export const PLAYBOOK_DIR = fileURLToPath(new URL('../../src/fleet/playbook/', import.meta.url))
export const PLAYBOOK = join(PLAYBOOK_DIR, 'collect.yml')

/** What the playbook's "hipaa-ir result" task reports for one host: the host step's run, or the task that failed. */
export interface HostReport {
  error?: string
  msg?: string
  /** null when the step did not finish (async timeout). */
  rc?: null | number | string
  stderr?: string
  /** `hipaa-ir fleet host-step --json`: a HostStepReport (as text, or already parsed by Ansible's templating). */
  stdout?: unknown
}

export type AnsibleEvent =
  | {event: 'failed' | 'unreachable'; host: string; msg: string; task: string; time: number}
  | {event: 'no-hosts' | 'stats'; hosts?: string[]; time: number}
  | {event: 'result'; host: string; result: HostReport | null; time: number}
  | {event: 'start'; host: string; task: string; time: number}

export interface PlaybookOptions {
  forks: number
  inventory: string
  /** Inventory names; never empty (an empty limit would mean every host). */
  limit: readonly string[]
  onEvent?: (event: AnsibleEvent) => void
  /** A private folder (0700) of this run. */
  runDir: string
  varsFile: string
}

export interface PlaybookRun {
  events: AnsibleEvent[]
  exitCode: number
  stderr: string
}

/** The environment ansible-playbook runs with: our callback, pipelining, dead-host limits, private state. */
export function ansibleEnv(runDir: string): Record<string, string> {
  return {
    ANSIBLE_CALLBACK_PLUGINS: join(PLAYBOOK_DIR, 'callback_plugins'),
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_HOME: join(runDir, 'ansible'),
    ANSIBLE_LOCAL_TEMP: join(runDir, 'ansible', 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_SSH_ARGS: '-C -o ControlMaster=auto -o ControlPersist=60s -o ServerAliveInterval=5 -o ServerAliveCountMax=2',
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(runDir, 'ansible', 'cp'),
    ANSIBLE_STDOUT_CALLBACK: 'hipaa_ir_events',
    ANSIBLE_TIMEOUT: '10',
  }
}

export async function runPlaybook(options: PlaybookOptions): Promise<PlaybookRun> {
  if (options.limit.length === 0) throw new TypeError('runPlaybook: empty host list (Ansible would take it as every host)')
  const limitFile = join(options.runDir, `limit-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`)
  await writeFile(limitFile, options.limit.join('\n') + '\n', {mode: 0o600})
  const argv = ['-i', options.inventory, '--limit', `@${limitFile}`, '--forks', String(options.forks), '--extra-vars', `@${options.varsFile}`, PLAYBOOK]
  const child = execa('ansible-playbook', argv, {
    buffer: {stderr: true, stdout: false},
    env: ansibleEnv(options.runDir),
    reject: false,
    stdin: 'ignore',
  })
  const events: AnsibleEvent[] = []
  try {
    for await (const line of child.iterable({from: 'stdout'})) {
      const text = String(line).trim()
      if (!text.startsWith('{')) continue
      let event: AnsibleEvent
      try {
        event = JSON.parse(text) as AnsibleEvent
      } catch {
        continue
      }
      events.push(event)
      options.onEvent?.(event)
    }
  } catch {
    // the process ended: its exit code and stderr say why
  }
  const done = await child
  if (done.failed && errnoCode(done) === 'ENOENT' || /ENOENT/.test(String(done.message ?? '')) && done.exitCode === undefined) {
    throw new UsageError('ansible-playbook was not found: install ansible-core (Debian: apt-get install ansible-core)')
  }
  const stderr = String(done.stderr ?? '')
  // Exit 4 = some hosts unreachable, 2 = some failed: those are per-host states. Anything else before any host ran is a setup error.
  if (![0, 2, 4].includes(done.exitCode ?? 1) && !events.some((e) => e.event === 'result' || e.event === 'unreachable')) {
    throw new HipaaIrError(`ansible-playbook failed (exit ${done.exitCode ?? 'none'}): ${lastLines(stderr)}`, ExitCode.Usage, {
      code: 'E_FLEET_ANSIBLE',
      suggestions: ['check the inventory with: ansible-inventory -i INVENTORY --graph'],
    })
  }
  return {events, exitCode: done.exitCode ?? 1, stderr}
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ')
}
