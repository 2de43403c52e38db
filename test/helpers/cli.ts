import {execa} from 'execa'
import {fileURLToPath} from 'node:url'

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url))
const runJs = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliResult {
  exitCode: number
  stderr: string
  stdout: string
}

/**
 * Runs the built CLI (`bin/run.js`, so `npm run build` first; `npm test` does) as a user would,
 * with argv (never a shell string), and returns its exit code and output. Never throws on non-zero.
 */
export async function runCli(
  args: string[],
  options: {cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number} = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [runJs, ...args], {
    cwd: options.cwd ?? projectRoot,
    env: {NO_COLOR: '1', ...options.env},
    input: options.input ?? '',
    reject: false,
    timeout: options.timeoutMs ?? 120_000,
  })
  return {exitCode: result.exitCode ?? 1, stderr: String(result.stderr), stdout: String(result.stdout)}
}

/** Parses the single JSON document a `--json` run prints. */
export function parseJson<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.exitCode}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
