import {posix} from 'node:path'

/** The on-disk location of a path of the system under investigation (`/var/log/x` below `--root`). */
export function onDisk(root: string, systemPath: string): string {
  return root === '/' ? systemPath : posix.join(root, systemPath)
}

/** The path as that system sees it, for evidence (never the examiner's mount point). */
export function asSeen(root: string, diskPath: string): string {
  if (root === '/') return diskPath
  const relative = posix.relative(root, diskPath)
  return `/${relative}`
}

/** Where PHI lives when no --phi-dir is given (the hardening guide's layout). */
export const DEFAULT_PHI_DIR = '/var/data/phi'
