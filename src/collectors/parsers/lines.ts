/**
 * The `lines` parser of artifacts: one row per line of text, numbered from 1, without the line
 * break; a last line without a break counts, an empty tail does not. Never throws.
 */
export function parseLines(text: string): Array<{line: string; n: number}> {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line, index) => ({line: line.endsWith('\r') ? line.slice(0, -1) : line, n: index + 1}))
}
