import {UsageError} from './errors.js'

const RELATIVE = /^(\d{1,6})([mhd])$/
const UNIT_MS = {d: 86_400_000, h: 3_600_000, m: 60_000} as const

/**
 * Parses `--since`: `90m`, `24h`, `7d`, or an ISO 8601 date-time. The result is floored to whole
 * seconds, because ausearch and the log formats count in seconds and both search paths must agree.
 */
export function parseSince(input: string, now: Date): Date {
  const value = input.trim()
  const relative = RELATIVE.exec(value)
  let ms: number
  if (relative) {
    const amount = Number(relative[1])
    ms = now.getTime() - amount * UNIT_MS[relative[2] as keyof typeof UNIT_MS]
  } else if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    ms = Date.parse(value.replace(' ', 'T'))
  } else {
    ms = Number.NaN
  }
  if (!Number.isFinite(ms)) {
    throw new UsageError(`--since: cannot read "${input}" as a time`, {
      code: 'E_SINCE',
      suggestions: ['Use a duration such as 90m, 24h or 7d, or an ISO 8601 date-time such as 2026-03-03T08:00:00Z.'],
    })
  }
  if (ms > now.getTime()) {
    throw new UsageError(`--since: "${input}" is in the future`, {code: 'E_SINCE', suggestions: ['Give a time before now, e.g. 24h.']})
  }
  return new Date(Math.floor(ms / 1000) * 1000)
}
