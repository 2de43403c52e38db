import {access, stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {userInfo} from 'node:os'

import {unknownCollectors, ALL_COLLECTOR_IDS} from '../collectors/plan.js'
import {UsageError} from '../core/errors.js'
import {onDisk} from '../core/system-path.js'

/** Checks --root: it must be an existing folder. Returns it absolute. */
export async function checkRoot(root: string): Promise<string> {
  const absolute = resolve(root)
  const info = await stat(absolute).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new UsageError(`--root: ${root} does not exist or is not a folder`, {
      code: 'E_ROOT',
      suggestions: ['Give the folder where the system under investigation is mounted, e.g. --root /mnt/image, or leave --root out for this machine.'],
    })
  }
  return absolute
}

/** Checks --phi-dir values given by the user (system paths); each must exist below the root. */
export async function checkPhiDirs(root: string, dirs: readonly string[]): Promise<string[]> {
  for (const dir of dirs) {
    if (!dir.startsWith('/')) throw new UsageError(`--phi-dir: ${dir} must be an absolute path as seen on that system, e.g. /var/data/phi`, {code: 'E_PHI_DIR'})
    const present = await access(onDisk(root, dir)).then(() => true, () => false)
    if (!present) {
      throw new UsageError(`--phi-dir: ${dir} does not exist${root === '/' ? '' : ` below --root ${root}`}`, {
        code: 'E_PHI_DIR',
        suggestions: ['Name the folder that holds PHI on that system; repeat --phi-dir for several.'],
      })
    }
  }
  return [...dirs]
}

export function checkCollectors(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined
  const selected = list.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = unknownCollectors(selected)
  if (unknown.length > 0 || selected.length === 0) {
    throw new UsageError(`--collectors: unknown collector ${unknown.map((u) => `"${u}"`).join(', ') || '(empty list)'}`, {
      code: 'E_COLLECTORS',
      suggestions: [`Choose from: ${ALL_COLLECTOR_IDS.join(', ')} (comma-separated).`],
    })
  }
  return selected
}

/** Who is collecting: --examiner, else the sudo caller, else the login name. */
export function defaultExaminer(): string {
  return process.env.SUDO_USER ?? process.env.USER ?? userInfo().username
}
