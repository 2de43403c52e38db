import type {FileView, LineEvidence} from '../types.js'
import {expandGlob} from './glob.js'
import {numberedLines, splitWords, stripHashComment} from './lines.js'

/** One keyword line as sshd read it. */
export interface SshdDirective extends LineEvidence {
  /** Lower-case keyword. */
  keyword: string
  /** The `Match` criteria this line sits under, or undefined in the global section. */
  match?: string
  values: string[]
}

export interface SshdConfig {
  /** Every directive in the order sshd reads them (Includes expanded in place). */
  directives: SshdDirective[]
  /** Files read, in order. */
  files: string[]
  /** `Match` lines (reported, not applied to the global answer). */
  matches: LineEvidence[]
  /** Include patterns that matched nothing, or problems such as include loops. */
  notes: string[]
}

const MAX_DEPTH = 16
function resolveInclude(pattern: string): string {
  // sshd: relative Include paths are relative to /etc/ssh.
  return pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`
}

/**
 * Reads sshd_config the way sshd does: keywords are case-insensitive, `Keyword value` or
 * `Keyword=value`, `#` starts a comment, `Include` expands globs (byte order) in place, and a
 * `Match` block runs until the next `Match` or the end of the file it is in (an included file's
 * Match does not leak into the file that included it).
 */
export function parseSshdConfig(view: FileView, path = '/etc/ssh/sshd_config'): SshdConfig | undefined {
  const first = view.read(path)
  if (first === undefined) return undefined
  const result: SshdConfig = {directives: [], files: [], matches: [], notes: []}
  const visit = (file: string, text: string, inheritedMatch: string | undefined, depth: number): void => {
    result.files.push(file)
    let match = inheritedMatch
    for (const {line, text: raw} of numberedLines(text)) {
      const body = stripHashComment(raw)
      if (body === '') continue
      const eq = /^(\S+?)\s*=\s*(.*)$/.exec(body)
      const words = eq === null ? splitWords(body) : [eq[1] ?? '', ...splitWords(eq[2] ?? '')]
      const [keywordRaw, ...values] = words
      if (keywordRaw === undefined) continue
      const keyword = keywordRaw.toLowerCase()
      if (keyword === 'match') {
        const criteria = values.join(' ')
        // `Match all` returns to the global section only in the sense that it applies to everyone;
        // it is still a Match block, so its lines are not the global defaults.
        match = criteria
        result.matches.push({file, line, text: raw.trim()})
        continue
      }
      if (keyword === 'include') {
        if (depth >= MAX_DEPTH) {
          result.notes.push(`${file}:${line}: Include nested deeper than ${MAX_DEPTH}; not followed`)
          continue
        }
        for (const pattern of values) {
          const paths = expandGlob(view, resolveInclude(pattern))
          if (paths.length === 0) result.notes.push(`${file}:${line}: Include ${pattern} matched no file`)
          for (const included of paths) {
            const content = view.read(included)
            if (content === undefined) result.notes.push(`${included}: could not be read`)
            else visit(included, content.text, match, depth + 1)
          }
        }
        continue
      }
      result.directives.push({file, keyword, line, text: raw.trim(), values, ...(match === undefined ? {} : {match})})
    }
  }
  visit(path, first.text, undefined, 0)
  return result
}

/** The global (non-Match) value sshd uses: the first line wins, except for cumulative keywords. */
export function effectiveDirective(config: SshdConfig, keyword: string): SshdDirective | undefined {
  const key = keyword.toLowerCase()
  return config.directives.find((directive) => directive.keyword === key && directive.match === undefined)
}

/** Lines inside Match blocks that set a keyword: they change the answer for some connections only. */
export function matchOverrides(config: SshdConfig, keyword: string): SshdDirective[] {
  const key = keyword.toLowerCase()
  return config.directives.filter((directive) => directive.keyword === key && directive.match !== undefined)
}

/** `sshd -T` output: lower-case `keyword value...` per line. Cumulative keywords may repeat. */
export function parseSshdT(output: string): Map<string, string[]> {
  const values = new Map<string, string[]>()
  for (const {text} of numberedLines(output)) {
    const match = /^(\S+)\s+(.*)$/.exec(text.trim())
    if (match === null) continue
    const key = (match[1] ?? '').toLowerCase()
    values.set(key, [...(values.get(key) ?? []), (match[2] ?? '').trim()])
  }
  return values
}
