/**
 * Test helper: the fleet lab (scripts/fleet-lab.sh), N namespaced hosts with their own sshd. Torn down
 * in afterAll by the caller, and here on SIGINT/SIGTERM and at exit too, so a killed run leaves no
 * namespace or process behind (`fleet-lab.sh down --stale` catches the rest).
 */
import {execa} from 'execa'
import {execFileSync} from 'node:child_process'
import {join} from 'node:path'

import {projectRoot} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

export interface Lab {
  dir: string
  /** The Ansible inventory the lab wrote. */
  inventory: string
  down: () => Promise<void>
  /** `cut`, `mend`, `s3-off`, `s3-on` for one host. */
  host: (action: 'cut' | 'mend' | 's3-off' | 's3-on', host: string) => Promise<void>
  /** `ip netns exec` into a host's network namespace (its own /srv etc. are only seen over SSH). */
  netns: (host: string) => Promise<string>
}

const script = join(projectRoot, 'scripts/fleet-lab.sh')
const live = new Set<string>()

function downSync(dir: string): void {
  try {
    execFileSync('bash', [script, 'down', dir], {stdio: 'ignore', timeout: 30_000})
  } catch {
    // best effort at exit
  }
}

let hooked = false
function hookSignals(): void {
  if (hooked) return
  hooked = true
  process.on('exit', () => {
    for (const dir of live) downSync(dir)
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const dir of live) downSync(dir)
      process.kill(process.pid, signal)
    })
  }
}

export async function startLab(hosts: number, s3Port?: number): Promise<Lab> {
  hookSignals()
  const dir = await makeTempDir('hipaa-ir-fleet-lab-')
  live.add(dir)
  const env = {FLEET_LAB_OWNER: String(process.pid), ...(s3Port === undefined ? {} : {S3_PORT: String(s3Port)})}
  try {
    await execa('bash', [script, 'up', String(hosts), dir], {env, timeout: 120_000})
  } catch (error) {
    downSync(dir)
    live.delete(dir)
    throw error
  }
  const id = (await execa('cat', [join(dir, 'state/id')])).stdout.trim()
  return {
    dir,
    async down() {
      await execa('bash', [script, 'down', dir], {timeout: 60_000})
      live.delete(dir)
    },
    async host(action, host) {
      await execa('bash', [script, action, host, dir], {timeout: 30_000})
    },
    inventory: join(dir, 'inventory.ini'),
    async netns(host) {
      return `hirlab-${id}-${host}`
    },
  }
}
