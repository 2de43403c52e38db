import type {ExecFn, ExecResult} from '../../io/exec.js'
import type {LiveProbes, ProbeOutput} from '../controls/context.js'

const TIMEOUT_MS = 20_000
const MAX_OUTPUT = 8 * 1024 * 1024
/** Where sbin tools live when they are not on the caller's PATH (non-root shells on Debian). */
const SBIN = ['/usr/sbin', '/sbin', '/usr/bin']

export interface ProbeRun {
  /** Name of the evidence file under `posture/cmd/` (without extension). */
  name: string
  result: ExecResult
}

/** `sshd -T` → `sshd_-T`; a PHI path becomes `_var_data_phi`. */
export function safeCommandName(argv: readonly string[]): string {
  const program = (argv[0] ?? 'cmd').split('/').pop() ?? 'cmd'
  return [program, ...argv.slice(1)].join('_').replace(/[^\w.-]/g, '_').slice(0, 120)
}

async function run(exec: ExecFn, argv: string[]): Promise<ExecResult> {
  let result = await exec({argv, maxOutputBytes: MAX_OUTPUT, timeoutMs: TIMEOUT_MS})
  for (const dir of SBIN) {
    if (!result.notFound || argv[0]?.includes('/') === true) break
    result = await exec({argv: [`${dir}/${argv[0] ?? ''}`, ...argv.slice(1)], maxOutputBytes: MAX_OUTPUT, timeoutMs: TIMEOUT_MS})
  }
  return result
}

/** Why a command gave no usable answer, or undefined when it did. */
export function probeFailure(result: ExecResult): string | undefined {
  if (result.notFound) return `${(result.argv[0] ?? 'command').split('/').pop() ?? 'command'} is not installed (not on PATH, nor in ${SBIN.join(', ')})`
  if (result.error !== undefined) return result.error
  if (result.timedOut) return `timed out after ${TIMEOUT_MS / 1000} s`
  if (result.truncated) return 'output too large, cut off'
  if (result.exitCode !== 0) {
    const first = result.stderr.trim().split('\n')[0] ?? ''
    return `exit ${result.exitCode ?? result.signal ?? '?'}${first === '' ? '' : `: ${first}`}`
  }
  return undefined
}

function toProbe(display: string, result: ExecResult): ProbeOutput {
  const failure = probeFailure(result)
  return {command: display, output: result.stdout.toString('utf8') + (failure === undefined ? '' : result.stderr), ...(failure === undefined ? {} : {failure})}
}

/** Runs the live-only commands (only on the live system) through the exec adapter, one after the other. */
export async function runProbes(exec: ExecFn, phiDirs: string[]): Promise<{probes: LiveProbes; runs: ProbeRun[]}> {
  const runs: ProbeRun[] = []
  const probe = async (argv: string[]): Promise<ProbeOutput> => {
    const result = await run(exec, argv)
    runs.push({name: safeCommandName(argv), result})
    return toProbe(argv.join(' '), result)
  }
  const probes: LiveProbes = {
    sshdT: await probe(['sshd', '-T']),
    auditctl: await probe(['auditctl', '-l']),
    lsblk: await probe(['lsblk', '-o', 'NAME,TYPE,FSTYPE,MOUNTPOINT', '-J']),
    dmsetup: await probe(['dmsetup', 'status']),
  }
  const fscrypt: Record<string, ProbeOutput> = {}
  for (const dir of phiDirs) fscrypt[dir] = await probe(['fscrypt', 'status', dir])
  probes.fscrypt = fscrypt
  return {probes, runs}
}
