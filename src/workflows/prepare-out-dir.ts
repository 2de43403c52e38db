import {lstat, realpath, stat} from 'node:fs/promises'
import {basename, dirname, join, resolve, sep} from 'node:path'

import {errnoCode, errorMessage, HipaaIrError, OutputError, UsageError} from '../core/errors.js'
import {onDisk} from '../core/system-path.js'
import {checkOutputFolder, createEvidenceDir, ensureEvidenceDir, refuseUnsafeOutput} from '../io/evidence-fs.js'

/** Every name collect, push and custody write next to the bundle folder NAME/ (checked before anything is collected). */
export function bundleSiblingNames(name: string): string[] {
  const tarballs = [`${name}.tar.gz`, `${name}.tar.gz.age`]
  return [...tarballs.flatMap((t) => [t, `${t}.partial`, `${t}.sig`]), `${name}.pub`, `${name}.custody.jsonl`, `${name}.push.json`, `${name}.incomplete`]
}

/** The path with every existing part resolved (links followed), the missing rest appended as given. */
async function resolvedPath(path: string): Promise<string> {
  const absolute = resolve(path)
  const rest: string[] = []
  for (let at = absolute; ; at = dirname(at)) {
    const real = await realpath(at).catch(() => undefined)
    if (real !== undefined) return join(real, ...rest)
    if (dirname(at) === at) return absolute
    rest.unshift(basename(at))
  }
}

/**
 * Refuses (exit 2) an --out-dir inside a folder collect reads from: a PHI folder (the bundle would be
 * walked as recently modified PHI and would change the tree it examines) or, for an image, the --root.
 */
async function refuseOutDirInSource(outDir: string, root: string, phiDirs: readonly string[]): Promise<void> {
  const out = await resolvedPath(outDir)
  const sources = [
    ...phiDirs.map((dir) => ({disk: onDisk(root, dir), what: `the PHI folder ${dir}${root === '/' ? '' : ` (${onDisk(root, dir)} below --root)`} that collect scans`})),
    ...(root === '/' ? [] : [{disk: root, what: `--root ${root}, the system under investigation`}]),
  ]
  for (const source of sources) {
    const inside = await resolvedPath(source.disk)
    if (out !== inside && !out.startsWith(inside.endsWith(sep) ? inside : `${inside}${sep}`)) continue
    throw new UsageError(`--out-dir ${outDir} is inside ${source.what}: the bundle would be written into the evidence it describes`, {
      code: 'E_OUT_DIR_IN_SOURCE',
      suggestions: ['Choose an --out-dir outside the PHI tree and off the suspect disk, e.g. --out-dir /mnt/usb/evidence (an external drive or a network share).'],
    })
  }
}

/**
 * Checks --out-dir before anything is collected: not inside what is collected, not writable by other
 * users (exit 2), nothing already at the bundle's names (a planted link is named, exit 1). Then creates
 * the output folder 0700 when missing (an existing one keeps its mode) and the bundle folder.
 */
export async function prepareOutDir(outDir: string, bundleDir: string, source: {root: string; phiDirs: readonly string[]}): Promise<void> {
  const elsewhere = 'Choose another --out-dir: a writable folder, off the suspect disk if you can (run as root for a root-owned one).'
  await refuseOutDirInSource(outDir, source.root, source.phiDirs)
  const info = await stat(outDir).catch(() => undefined)
  if (info && !info.isDirectory()) throw new OutputError(`--out-dir ${outDir} is not a folder`, {code: 'E_OUTPUT', suggestions: [elsewhere]})
  await checkOutputFolder(outDir, {label: '--out-dir'})
  const present = async (path: string) => {
    const found = await lstat(path).catch(() => undefined)
    // A link gets its own message: it names where it points and says not to write through it.
    if (found?.isSymbolicLink()) refuseUnsafeOutput(path)
    return found !== undefined
  }
  if (await present(bundleDir)) {
    throw new OutputError(`${bundleDir} already exists`, {code: 'E_OUTPUT', suggestions: ['Wait a second and collect again, or use another --out-dir.']})
  }
  for (const name of bundleSiblingNames(basename(bundleDir))) {
    const path = join(outDir, name)
    if (!(await present(path))) continue
    throw new OutputError(`${path} already exists: hipaa-ir never overwrites an output file`, {code: 'E_OUTPUT_EXISTS', suggestions: ['Wait a second and collect again, or use another --out-dir.']})
  }
  try {
    await ensureEvidenceDir(outDir, {existing: 'keep'})
    await createEvidenceDir(bundleDir)
  } catch (error) {
    if (error instanceof HipaaIrError) throw error
    const code = errnoCode(error)
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : code === 'ENOSPC' ? 'the disk is full' : errorMessage(error)
    throw new OutputError(`cannot create the bundle folder in --out-dir ${outDir}: ${why}`, {cause: error, code: 'E_OUTPUT', suggestions: [elsewhere]})
  }
}
