import type {Deadline, IsoDate, Timeline} from '../types.js'

import {daysBetween} from '../calendar.js'
import {escapeHtml as e} from './escape.js'

const ROW = 26
const LEFT = 290
const WIDTH = 980
const TOP = 46

const COLORS: Record<string, string> = {verified: '#1b7f3b', secondary: '#b26b00', unverified: '#b3261e'}

/**
 * The timeline as an inline SVG: one row per dated deadline, a bar from the clock start to the latest
 * date, dashed extensions for tolled/extended readings, a line for the as-of date. No external assets.
 */
export function renderSvgChart(t: Timeline): string {
  const dated = t.deadlines.filter((d): d is Deadline & {due: IsoDate} => d.due !== null)
  if (dated.length === 0 || t.clock === null) return ''
  const start = [t.clock.discovered, t.as_of].sort()[0] ?? t.clock.discovered
  const ends = dated.flatMap((d) => [d.due, d.due_if_tolled, d.due_if_extended].filter((x): x is string => x !== undefined))
  const end = [...ends, t.as_of].sort().at(-1) ?? t.as_of
  const span = Math.max(1, daysBetween(start, end))
  const x = (date: IsoDate): number => LEFT + ((WIDTH - LEFT - 20) * daysBetween(start, date)) / span
  const height = TOP + dated.length * ROW + 30
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Deadline chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="sans-serif" font-size="12">`,
    `<text x="${LEFT}" y="16">${e(start)}</text><text x="${WIDTH - 20}" y="16" text-anchor="end">${e(end)}</text>`,
  ]
  const asOfX = x(t.as_of).toFixed(1)
  parts.push(`<line x1="${asOfX}" y1="24" x2="${asOfX}" y2="${height - 20}" stroke="#333" stroke-dasharray="4 3"/><text x="${asOfX}" y="36" text-anchor="middle">as of ${e(t.as_of)}</text>`)
  dated.forEach((d, i) => {
    const y = TOP + i * ROW
    const color = COLORS[d.status] ?? '#555'
    const x0 = x(start).toFixed(1)
    const x1 = x(d.due).toFixed(1)
    parts.push(`<text x="${LEFT - 8}" y="${y + 14}" text-anchor="end">${e(d.id)}</text>`)
    parts.push(`<rect x="${x0}" y="${y + 4}" width="${Math.max(1, Number(x1) - Number(x0)).toFixed(1)}" height="14" fill="${color}" opacity="${d.overdue === true ? 0.35 : 0.8}"><title>${e(`${d.title}: ${d.due} (${d.citation}, ${d.status})`)}</title></rect>`)
    for (const alt of [d.due_if_tolled, d.due_if_extended]) {
      if (alt !== undefined && alt > d.due) parts.push(`<line x1="${x1}" y1="${y + 11}" x2="${x(alt).toFixed(1)}" y2="${y + 11}" stroke="${color}" stroke-dasharray="3 3"/>`)
    }
    parts.push(`<text x="${(Number(x1) + 4).toFixed(1)}" y="${y + 15}">${e(d.due)}${d.weekend === true ? ` (${e(d.weekday ?? '')})` : ''}</text>`)
  })
  parts.push(`<text x="${LEFT}" y="${height - 6}">bar colour = rule status: green verified, amber secondary, red unverified; dashed = tolled or extended reading</text>`, '</svg>')
  return parts.join('\n')
}
