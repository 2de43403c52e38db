/** GNU coreutils `sha256sum` format: `HASH  PATH` (two spaces, text mode), one line per file, sorted by path. */
export interface FileDigest {
  path: string
  sha256: string
  size: number
}

export function formatSha256Sums(files: readonly Pick<FileDigest, 'path' | 'sha256'>[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('')
}

/** Parses a SHA256SUMS text; lines that do not match are returned as `malformed` with their number. */
export function parseSha256Sums(text: string): {entries: {path: string; sha256: string}[]; malformed: number[]} {
  const entries: {path: string; sha256: string}[] = []
  const malformed: number[] = []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  for (const [index, line] of lines.entries()) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line)
    if (match?.[1] && match[2]) entries.push({path: match[2], sha256: match[1]})
    else malformed.push(index + 1)
  }
  return {entries, malformed}
}
