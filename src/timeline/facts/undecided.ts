/**
 * Values only a person can decide, left open in a facts file as `"[[DECIDE: what to decide]]"` (the
 * facts draft of `analyze --facts-out` writes them so). The timeline still runs on such a file, on a
 * stated provisional reading that never makes a deadline later than it could be: `discovered` counts
 * from the start of the breach (the earliest day it could have been known), `low_probability`,
 * `secured` and `exception` take the answers that require notice. Every output then says PROVISIONAL
 * and names what is undecided. Text fields (the entity's name, phone, ...) keep the marker, so the
 * letter drafts show it where the value belongs.
 */
export const DECIDE = /^\[\[DECIDE(?::[^\]]*)?\]\]$/

/** Fields that take a provisional value while undecided, and what it is (given the raw document). */
const PROVISIONAL: Record<string, (raw: Record<string, unknown>) => unknown> = {
  /** No count yet: no state is named, so no state deadline appears until the people are counted. */
  affected: () => ({}),
  discovered: (raw) => {
    const start = (raw.breach as Record<string, unknown> | undefined)?.start
    return typeof start === 'string' && !DECIDE.test(start) ? start : undefined
  },
  exception: () => 'none',
  low_probability: () => false,
  reporter: () => 'covered-entity',
  secured: () => false,
}

export interface Undecided {
  /** The document with provisional values in place of the markers of typed fields. */
  raw: Record<string, unknown>
  /** The dotted paths of every undecided field, in document order. */
  paths: string[]
  /** Undecided typed fields for which no provisional value exists (e.g. discovered without breach.start). */
  unresolved: string[]
}

/** Finds every `[[DECIDE …]]` value; replaces those of typed top-level fields by their provisional value. */
export function resolveUndecided(raw: Record<string, unknown>): Undecided {
  const paths: string[] = []
  const visit = (value: unknown, path: string[]): void => {
    if (typeof value === 'string' && DECIDE.test(value.trim())) paths.push(path.join('.'))
    else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, String(i)]))
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k])
  }
  visit(raw, [])
  const out: Record<string, unknown> = {...raw}
  const unresolved: string[] = []
  for (const path of paths) {
    const provisional = PROVISIONAL[path]
    if (provisional === undefined) continue
    const value = provisional(raw)
    if (value === undefined) unresolved.push(path)
    else out[path] = value
  }
  return {paths, raw: out, unresolved}
}

/** The warning every output carries while something is undecided. */
export function undecidedWarning(paths: readonly string[]): string {
  const discovered = paths.includes('discovered') ? ' Deadlines are counted as if discovered were breach.start, the earliest day it could be, so none is later than it can be; they move later once discovered is decided.' : ''
  const answers = ['low_probability', 'secured', 'exception'].filter((p) => paths.includes(p))
  const notice = answers.length > 0 ? ` ${answers.join(', ')} ${answers.length > 1 ? 'are' : 'is'} read as requiring notice until decided.` : ''
  return `PROVISIONAL: these facts are undecided ([[DECIDE]]): ${paths.join(', ')}. Only a person can decide them (counsel, the privacy officer).${discovered}${notice}`
}
