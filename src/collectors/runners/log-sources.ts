import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

/** A log file and its rotations, oldest first: `secure.4.gz`, …, `secure.1`, `secure`. */
export interface LogFile {
  path: string
  name: string
  mtime: Date
  size: number
}

/**
 * Finds `BASE`, `BASE.1`, `BASE.N` and `BASE.N.gz` (also the dated `BASE-YYYYMMDD[.gz]` of RHEL's
 * logrotate) in a folder, ordered oldest first so events come out in time order.
 */
export async function findRotatedLogs(dir: string, base: string): Promise<LogFile[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`^${escaped}(?:\\.(\\d{1,4})|-(\\d{8}))?(?:\\.gz)?$`)
  const found: {file: LogFile; rank: number}[] = []
  for (const name of names) {
    const match = pattern.exec(name)
    if (!match) continue
    const info = await stat(join(dir, name)).catch(() => undefined)
    if (!info?.isFile()) continue
    // Numbered rotations: higher is older. Dated rotations: earlier date is older. The live file is newest.
    const rank = match[1] !== undefined ? -Number(match[1]) : match[2] !== undefined ? Number(match[2]) - 1e9 : Number.POSITIVE_INFINITY
    found.push({file: {mtime: info.mtime, name, path: join(dir, name), size: info.size}, rank})
  }
  return found.sort((a, b) => a.rank - b.rank || a.file.mtime.getTime() - b.file.mtime.getTime()).map((f) => f.file)
}
