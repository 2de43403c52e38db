/** The pinned release hosts install: the tarball scripts/make-release.sh made, and its SHA-256. */
import {readFile, stat} from 'node:fs/promises'
import {basename, resolve} from 'node:path'

import {UsageError, errnoCode} from '../core/errors.js'
import {hashFile} from '../io/evidence-fs.js'
import type {ReleaseInfo} from './run-fleet.js'

const NAME = /^(hipaa-ir-[\w.+-]+)\.tar\.gz$/

/** Checks the tarball against FILE.sha256 beside it (sha256sum format) when there is one; that SHA-256 is the pin hosts check. */
export async function readRelease(file: string): Promise<ReleaseInfo & {pinnedBy: 'computed' | 'sha256-file'}> {
  const tarball = resolve(file)
  const match = NAME.exec(basename(tarball))
  if (match === null) throw new UsageError(`--release ${file}: expected a hipaa-ir-VERSION-linux-ARCH.tar.gz made by scripts/make-release.sh`)
  const info = await stat(tarball).catch((error: unknown) => {
    throw new UsageError(`--release ${file}: ${errnoCode(error) === 'ENOENT' ? 'no such file' : String(error)}`, {suggestions: ['build it with: scripts/make-release.sh DIR']})
  })
  if (!info.isFile()) throw new UsageError(`--release ${file} is not a file`)
  const {sha256} = await hashFile(tarball)
  const pinText = await readFile(`${tarball}.sha256`, 'utf8').catch(() => undefined)
  if (pinText !== undefined) {
    const pinned = /^([0-9a-f]{64})\s/.exec(pinText)?.[1]
    if (pinned !== sha256) {
      throw new UsageError(`--release ${file}: its SHA-256 ${sha256} is not the one in ${basename(tarball)}.sha256 (${pinned ?? 'unreadable'}); the tarball changed since it was built`)
    }
  }
  return {name: match[1] as string, pinnedBy: pinText === undefined ? 'computed' : 'sha256-file', sha256, tarball}
}
