// Runs hipaa-ir under the pinned Node.js in .node/ when the node that started it is older than 22.
// Kept out of run.js so that a supported runtime never loads it.
import {spawn} from 'node:child_process'
import {existsSync, readdirSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const projectDir = fileURLToPath(new URL('..', import.meta.url))
const runJs = fileURLToPath(new URL('run.js', import.meta.url))

/** The newest pinned runtime in .node/ (.node/VERSION/bin/node), or undefined. */
function pinnedNode() {
  const base = `${projectDir}.node`
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && Number(v.split('.')[0]) >= 22 && existsSync(`${base}/${v}/bin/node`))
    .sort((a, b) => b.localeCompare(a, 'en', {numeric: true}))
  return versions.length > 0 ? `${base}/${versions[0]}/bin/node` : undefined
}

/** Runs the CLI under the pinned runtime with the same arguments and terminal; resolves to its exit code. */
export async function handOver(args) {
  const node = pinnedNode()
  if (node === undefined) {
    process.stderr.write(
      `hipaa-ir: Node.js ${process.version} is not supported (it needs Node.js 22 or 24).\n` +
        'Try this: run scripts/quickstart.sh once (it installs Node.js 24 into .node/ of the project), ' +
        'or install Node.js 22 or 24 from your distribution.\n',
    )
    return 1
  }
  const child = spawn(node, [runJs, ...args], {stdio: 'inherit'})
  // Signals are passed on to the child. Ctrl-C at a terminal already reaches the child with the whole
  // foreground process group, and a second copy could cut its clean-up short; without a terminal a
  // SIGINT can only have been sent to this process, so it is passed on too.
  const terminal = process.stdin.isTTY || process.stderr.isTTY
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGINT']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT' || !terminal) child.kill(signal)
    })
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      const signals = {SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143}
      resolve(code ?? signals[signal] ?? 1)
    })
  })
}
