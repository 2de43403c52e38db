/**
 * The PHI folders (the bundles' manifests' `phi_dirs`) and the one test of whether a path lies in
 * one, in SQL for the rules and the scope and in JavaScript for paths already read: the folder itself
 * or anything below it, never a sibling that merely shares its prefix (`/var/data/phi2`).
 */
import {sqlString} from './sql.js'

/** Normalised PHI folders: absolute, no trailing slash (`/` stays `` so every path is below it). */
export function normalisePhiDirs(dirs: readonly string[]): string[] {
  return [...new Set(dirs.map((d) => d.trim()).filter((d) => d.startsWith('/')).map((d) => d.replace(/\/+$/, '')))]
}

/**
 * SQL that is true when the text expression `path` lies in one of the folders, written out rather
 * than joined with a table of folders: a rule filters each event's paths with it before unnesting
 * them, which halved the CPU time of materialising phi_touch (docs/benchmarks.md, benchmark 8).
 */
export function underPhiDirsSql(dirs: readonly string[], path: string): string {
  const normalised = normalisePhiDirs(dirs)
  if (normalised.length === 0) return 'false'
  return normalised.map((d) => `${path} = ${sqlString(d)} OR starts_with(${path}, ${sqlString(`${d}/`)})`).join(' OR ')
}

/** The same test as underPhiDirsSql, for a path in hand. */
export function isUnderPhiDirs(path: string, dirs: readonly string[]): boolean {
  return normalisePhiDirs(dirs).some((d) => path === d || path.startsWith(`${d}/`))
}
