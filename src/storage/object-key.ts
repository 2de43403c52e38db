/**
 * Where a bundle and its siblings live in the bucket: `PREFIX/CASE/HOST/NAME.tar.gz`, `...tar.gz.sig`,
 * `NAME.custody.jsonl` and `NAME.pub`. Pure: no I/O.
 */

/** The parts of a bundle name `CASE_HOST_YYYYMMDDTHHMMSSZ`. */
export interface BundleName {
  caseId: string
  host: string
  name: string
  stamp: string
}

export interface BundleKeys {
  custody: string
  pub: string
  sig: string
  tarball: string
}

const STAMP = /^\d{8}T\d{6}Z$/
// Case ids may hold underscores; hosts do not (RFC 1123 names), so split from the right.
const NAME = /^(?<caseId>.+)_(?<host>[^_]+)_(?<stamp>\d{8}T\d{6}Z)$/

/** The file endings of a bundle: a tarball, or its age ciphertext when collected with --encrypt-to. */
export const BUNDLE_SUFFIX = /\.tar\.gz(?:\.age)?$/

/** `NAME` from `.../NAME.tar.gz` or `.../NAME.tar.gz.age` (or the bare name). */
export function bundleNameFromPath(path: string): string {
  const base = path.split('/').pop() ?? path
  return base.replace(BUNDLE_SUFFIX, '')
}

/** Parses `CASE_HOST_YYYYMMDDTHHMMSSZ`; undefined when the name does not have that shape. */
export function parseBundleName(name: string): BundleName | undefined {
  const match = NAME.exec(name)
  if (match?.groups === undefined) return undefined
  const {caseId, host, stamp} = match.groups as {caseId: string; host: string; stamp: string}
  if (!STAMP.test(stamp) || !isSafeSegment(caseId) || !isSafeSegment(host)) return undefined
  return {caseId, host, name, stamp}
}

/** A key segment that cannot escape its folder or confuse a reader: no slash, no dot-dot, no control characters. */
export function isSafeSegment(segment: string): boolean {
  // eslint-disable-next-line no-control-regex
  return segment.length > 0 && segment.length <= 200 && !/[/\\\u0000-\u001f\u007f]/.test(segment) && segment !== '.' && segment !== '..'
}

/** Normalises a user prefix: no leading or trailing slashes, no empty, `.` or `..` segments. */
export function normalisePrefix(prefix: string | undefined): string {
  if (prefix === undefined) return ''
  const segments = prefix.split('/').filter((s) => s.length > 0)
  for (const s of segments) {
    if (!isSafeSegment(s)) throw new RangeError(`prefix segment ${JSON.stringify(s)} is not allowed`)
  }
  return segments.join('/')
}

export function bundleKeys(prefix: string | undefined, bundle: Pick<BundleName, 'caseId' | 'host' | 'name'>, encrypted = false): BundleKeys {
  for (const s of [bundle.caseId, bundle.host, bundle.name]) {
    if (!isSafeSegment(s)) throw new RangeError(`${JSON.stringify(s)} cannot be part of an object key`)
  }
  const folder = [normalisePrefix(prefix), bundle.caseId, bundle.host].filter((s) => s.length > 0).join('/')
  const base = `${folder}/${bundle.name}`
  const tarball = `${base}.tar.gz${encrypted ? '.age' : ''}`
  return {custody: `${base}.custody.jsonl`, pub: `${base}.pub`, sig: `${tarball}.sig`, tarball}
}

/** `s3://bucket/key` → parts; undefined when it is not such a URL. */
export function parseS3Url(url: string): undefined | {bucket: string; key: string} {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url)
  if (match === null) return undefined
  return {bucket: match[1] as string, key: match[2] as string}
}
