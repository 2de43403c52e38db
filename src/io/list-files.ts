import {readdir} from 'node:fs/promises'
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
