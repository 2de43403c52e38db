import {execa} from 'execa'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {inject} from 'vitest'

import {projectRoot} from './cli.js'

const WAIT_MS = 15 * 60_000

/**
 * The release tarball of this checkout, built once per test run (see test/setup/release-dir.ts): the
 * first caller builds it with scripts/make-release.sh into `RUN/out/`, the others wait for it.
 * Returns the tarball's path; `RUN/out/` holds only the tarball and its `.sha256`.
 */
export async function sharedRelease(): Promise<string> {
  const dir = inject('releaseDir')
  const done = join(dir, 'done')
  const failed = join(dir, 'failed')
  let builder = true
  try {
    await mkdir(join(dir, 'lock'))
  } catch {
    builder = false
  }
  if (builder) {
    try {
      const run = await execa('bash', ['scripts/make-release.sh', join(dir, 'out')], {cwd: projectRoot, timeout: 600_000})
      const tarball = run.stdout.trim().split('\n').at(-1) as string
      await writeFile(done, tarball)
      return tarball
    } catch (error) {
      await writeFile(failed, String(error))
      throw error
    }
  }
  const until = Date.now() + WAIT_MS
  for (;;) {
    const tarball = await readFile(done, 'utf8').catch(() => undefined)
    if (tarball !== undefined) return tarball
    const error = await readFile(failed, 'utf8').catch(() => undefined)
    if (error !== undefined) throw new Error(`the shared release build failed: ${error.slice(0, 500)}`)
    if (Date.now() > until) throw new Error('the shared release build did not finish in 15 minutes')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}
