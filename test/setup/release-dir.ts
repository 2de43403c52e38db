/**
 * One release tarball per test run: the release test and the fleet test both need
 * `scripts/make-release.sh`'s output, which takes minutes to build. This global setup only names a
 * private folder; the first test that asks for the release builds it there (test/helpers/release.ts)
 * and the other waits for it. The folder is removed when the run ends.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {TestProject} from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    releaseDir: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'hipaa-ir-shared-release-'))
  project.provide('releaseDir', dir)
  return async () => {
    await rm(dir, {force: true, recursive: true})
  }
}
