import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** Temporary folders made by this test file; test/setup/temp-cleanup.ts removes them after the file's tests. */
const made: string[] = []

/**
 * A fresh private folder (mkdtemp: 0700) under the OS temp folder (or `parent`), removed when the
 * test file finishes: tests leave no keys, bundles or evidence behind in /tmp.
 */
export async function makeTempDir(prefix: string, parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, prefix))
  made.push(dir)
  return dir
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, {force: true, recursive: true})
}
