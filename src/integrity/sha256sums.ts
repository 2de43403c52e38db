/**
 * GNU coreutils `sha256sum` format, pure: `HASH  PATH` (or `HASH *PATH`), one per line. A line for a
 * name holding a backslash or newline starts with `\` and escapes them as `\\` and `\n`.
 */

export interface Sha256Entry {
  path: string
  sha256: string
}

export interface ParsedSha256Sums {
  entries: Sha256Entry[]
  /** Lines that are not in the format, 1-based, with the reason. */
  errors: {line: number; detail: string}[]
}

const LINE = /^(\\?)([0-9a-fA-F]{64}) [ *](.+)$/

function unescapeName(name: string): string | undefined {
  let out = ''
  for (let index = 0; index < name.length; index += 1) {
    const char = name[index]
    if (char !== '\\') {
      out += char
      continue
    }
    const next = name[index + 1]
    if (next === '\\') out += '\\'
    else if (next === 'n') out += '\n'
    else if (next === 'r') out += '\r'
    else return undefined
    index += 1
  }
  return out
}

export function parseSha256Sums(text: string): ParsedSha256Sums {
  const entries: Sha256Entry[] = []
  const errors: ParsedSha256Sums['errors'] = []
  const seen = new Set<string>()
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  lines.forEach((line, index) => {
    const match = LINE.exec(line)
    if (match === null) {
      errors.push({detail: 'not "SHA256  PATH"', line: index + 1})
      return
    }
    const [, escaped, sha256 = '', rawName = ''] = match
    const path = escaped === '\\' ? unescapeName(rawName) : rawName
    if (path === undefined) {
      errors.push({detail: 'bad escape in the file name', line: index + 1})
      return
    }
    if (seen.has(path)) {
      errors.push({detail: `${path} is listed twice`, line: index + 1})
      return
    }
    seen.add(path)
    entries.push({path, sha256: sha256.toLowerCase()})
  })
  return {entries, errors}
}

/** Formats entries as `sha256sum` writes them (text mode, two spaces), escaping odd names as GNU does. */
export function formatSha256Sums(entries: readonly Sha256Entry[]): string {
  return entries
    .map(({path, sha256}) => {
      const needsEscape = /[\\\n\r]/.test(path)
      const name = needsEscape ? path.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('\r', '\\r') : path
      return `${needsEscape ? '\\' : ''}${sha256}  ${name}\n`
    })
    .join('')
}
