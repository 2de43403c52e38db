/** CASE and HOST of a bundle: from its name `CASE_HOST_YYYYMMDDTHHMMSSZ`, else from `NAME/manifest.json` inside the tarball. */
import {bundleNameFromPath, isSafeSegment, parseBundleName, type BundleName} from './object-key.js'
import {readBundleMember} from '../integrity/safe-extract.js'

export async function bundleIdentity(tarball: string): Promise<BundleName> {
  const name = bundleNameFromPath(tarball)
  const parsed = parseBundleName(name)
  if (parsed !== undefined) return parsed
  const manifest = await readManifestIdentity(tarball)
  if (manifest === undefined || !isSafeSegment(manifest.case) || !isSafeSegment(manifest.host) || !isSafeSegment(name)) {
    throw new RangeError(`${name} is not named CASE_HOST_YYYYMMDDTHHMMSSZ and has no readable manifest.json with case and host`)
  }
  return {caseId: manifest.case, host: manifest.host, name, stamp: ''}
}

async function readManifestIdentity(tarball: string): Promise<undefined | {case: string; host: string}> {
  const bytes = await readBundleMember(tarball, 'manifest.json').catch(() => undefined)
  if (bytes === undefined) return undefined
  try {
    const m = JSON.parse(bytes.toString('utf8')) as {case?: unknown; host?: unknown}
    return typeof m.case === 'string' && typeof m.host === 'string' ? {case: m.case, host: m.host} : undefined
  } catch {
    return undefined
  }
}
