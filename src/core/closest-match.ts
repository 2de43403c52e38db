/** "Did you mean …?": the candidate nearest to a mistyped word, if it is near enough to be a typo. */

/**
 * Edit distance counting insertions, deletions, substitutions and a swap of neighbours (`discoevred`)
 * as one edit each (optimal string alignment), in O(a·b) time and O(b) memory.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = []
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      let best = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (before[j - 2] as number) + 1)
      current[j] = best
    }
    before = previous
    previous = current
  }
  return previous[b.length] as number
}

/**
 * The candidate closest to `word`, or undefined when none is within a third of the word's length
 * (at least 2 edits): `colect` → `collect`, `out-dirr` → `out-dir`, `discoverd` → `discovered`.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3))
  let best: {distance: number; value: string} | undefined
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance <= limit && (best === undefined || distance < best.distance)) best = {distance, value: candidate}
  }
  return best?.value
}
