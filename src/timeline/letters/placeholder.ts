/** A missing fact shows as a visible placeholder in every draft, never as blank text. */
export function missing(label: string): string {
  return `[[MISSING: ${label}]]`
}

export function orMissing(value: string | undefined | null, label: string): string {
  return value === undefined || value === null || value.trim() === '' ? missing(label) : value
}

export function listOrMissing(values: readonly string[] | undefined, label: string): string[] {
  const kept = (values ?? []).filter((v) => v.trim() !== '')
  return kept.length === 0 ? [missing(label)] : kept
}
