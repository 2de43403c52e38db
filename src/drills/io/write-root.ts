import {mkdir, readdir, utimes, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {onDisk} from '../../core/system-path.js'
import type {RootPlan} from '../types.js'

/**
 * Writes a scenario's synthetic root below `root`: every planned file with its mode and mtime,
 * then every folder's mtime set to the plan's folderTime (after all writes, so creating the
 * folders does not make them look recently modified). Returns the number of files written.
 */
export async function writeRootPlan(root: string, plan: RootPlan): Promise<number> {
  await mkdir(root, {mode: 0o700, recursive: true})
  for (const file of plan.files) {
    const target = onDisk(root, file.path)
    await mkdir(dirname(target), {recursive: true})
    await writeFile(target, file.content, {mode: file.mode ?? 0o640})
    const when = new Date(file.mtime)
    await utimes(target, when, when)
  }
  await setFolderTimes(root, new Date(plan.folderTime))
  return plan.files.length
}

async function setFolderTimes(dir: string, when: Date): Promise<void> {
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    if (entry.isDirectory()) await setFolderTimes(join(dir, entry.name), when)
  }
  await utimes(dir, when, when)
}
