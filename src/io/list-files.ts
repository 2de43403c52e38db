import {readdir, rmdir} from 'node:fs/promises'
import {join} from 'node:path'

/** Every regular file below `dir`, as sorted `/`-separated relative paths (links are not followed). */
export async function listFilesRecursive(dir: string): Promise<string[]> {
  const out: string[] = []
  const visit = async (rel: string) => {
    for (const entry of await readdir(join(dir, rel), {withFileTypes: true})) {
      const child = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await visit(child)
      else if (entry.isFile()) out.push(child)
    }
  }
  await visit('')
  return out.sort()
}

/**
 * Removes every folder below `dir` that holds no file (a collector that wrote nothing), deepest
 * first, so the kept bundle folder holds exactly what the tarball does: verify reports an empty
 * folder as `extra`. Returns how many were removed.
 */
export async function removeEmptyFolders(dir: string): Promise<number> {
  let removed = 0
  const visit = async (path: string): Promise<boolean> => {
    let empty = true
    for (const entry of await readdir(path, {withFileTypes: true})) {
      if (entry.isDirectory() && (await visit(join(path, entry.name)))) {
        await rmdir(join(path, entry.name))
        removed += 1
      } else empty = false
    }
    return empty
  }
  await visit(dir)
  return removed
}
