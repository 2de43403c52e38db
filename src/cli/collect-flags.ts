import {lstat, readlink, stat} from 'node:fs/promises'
import {resolve} from 'node:path'
import {userInfo} from 'node:os'

import {unknownCollectors, ALL_COLLECTOR_IDS} from '../collectors/plan.js'
import {errnoCode, UsageError} from '../core/errors.js'
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

/**
 * Checks --phi-dir values given by the user (system paths). Each must be a folder below the root,
 * named directly: the PHI walk never follows links, so a link is refused here with its target
 * (rather than accepted and then reported as "not found" by the collector).
 */
export async function checkPhiDirs(root: string, dirs: readonly string[]): Promise<string[]> {
  const below = root === '/' ? '' : ` below --root ${root}`
  for (const dir of dirs) {
    if (!dir.startsWith('/')) throw new UsageError(`--phi-dir: ${dir} must be an absolute path as seen on that system, e.g. /var/data/phi`, {code: 'E_PHI_DIR'})
    const onHost = onDisk(root, dir)
    const info = await lstat(onHost).catch((error: unknown) => errnoCode(error) ?? 'ERROR')
    if (typeof info === 'string') {
      throw new UsageError(`--phi-dir: ${dir} ${info === 'EACCES' ? 'cannot be read (permission denied; run as root)' : 'does not exist'}${below}`, {
        code: 'E_PHI_DIR',
        suggestions: ['Name the folder that holds PHI on that system; repeat --phi-dir for several.'],
      })
    }
    if (info.isSymbolicLink()) {
      const target = await readlink(onHost).catch(() => '?')
      throw new UsageError(`--phi-dir: ${dir} is a symbolic link (to ${target}); the PHI walk never follows links`, {
        code: 'E_PHI_DIR',
        suggestions: [`Name the folder the link points to${target.startsWith('/') ? `: --phi-dir ${target}` : ''}.`],
      })
    }
    if (!info.isDirectory()) throw new UsageError(`--phi-dir: ${dir} is not a folder${below}`, {code: 'E_PHI_DIR', suggestions: ['Name the folder that holds the PHI files, not a file in it.']})
  }
  return [...dirs]
}

export function checkCollectors(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined
  const selected = list.split(',').map((s) => s.trim()).filter(Boolean)
  const unknown = unknownCollectors(selected)
  if (unknown.length > 0 || selected.length === 0) {
    const what = unknown.length > 0 ? `unknown collector ${unknown.map((u) => `"${u}"`).join(', ')}` : 'names no collector'
    throw new UsageError(`--collectors: ${what}`, {
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
