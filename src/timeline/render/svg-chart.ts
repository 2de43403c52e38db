import type {Deadline, IsoDate, Timeline} from '../types.js'

import {daysBetween, plusDays} from '../calendar.js'
import {escapeHtml as e} from './escape.js'
import {deadlineLabel, shortDate} from './words.js'

const ROW = 30
const LABEL_RIGHT = 262
const STATUS_X = 270
const LEFT = 350
const WIDTH = 980
/** Room right of the scale for the date label of the latest bar. */
const RIGHT = 150
const TOP = 46

/** Bar colour = urgency (days left), so the nearest deadline stands out; the rule status is a separate word. */
export function urgencyColor(d: Deadline): string {
  if (d.overdue === true) return '#7f1d1d'
  const left = d.days_left ?? Number.POSITIVE_INFINITY
  if (left <= 14) return '#dc2626'
  if (left <= 30) return '#d97706'
  return '#2563eb'
}

const STATUS_COLORS: Record<string, string> = {verified: '#1b7f3b', secondary: '#8a5a00', unverified: '#b3261e'}

/** First-of-month dates between start and end (every 2nd, 3rd, … month when the span is long). */
function monthTicks(start: IsoDate, end: IsoDate): IsoDate[] {
  const all: IsoDate[] = []
  let y = Number(start.slice(0, 4))
  let m = Number(start.slice(5, 7)) + 1
  for (;;) {
    if (m > 12) {
      y++
      m = 1
    }
    const tick = `${y}-${String(m).padStart(2, '0')}-01`
    if (tick > end) break
    all.push(tick)
    m++
  }
  const step = Math.max(1, Math.ceil(all.length / 8))
  return all.filter((_, i) => i % step === 0)
}

/**
 * The timeline as an inline SVG: one row per dated deadline, labelled in words, a bar from the clock
 * start to the latest date coloured by urgency, the rule status as a word beside it, dashed lines
 * below the bar for tolled/extended readings (never through a label), month ticks and the as-of line.
 */
export function renderSvgChart(t: Timeline): string {
  const dated = t.deadlines.filter((d): d is Deadline & {due: IsoDate} => d.due !== null)
  if (dated.length === 0 || t.clock === null) return ''
  const start = [t.clock.discovered, t.as_of].sort()[0] ?? t.clock.discovered
  const ends = dated.flatMap((d) => [d.due, d.due_if_tolled, d.due_if_extended].filter((x): x is string => x !== undefined))
  const end = [...ends, t.as_of, plusDays(start, 1)].sort().at(-1) ?? t.as_of
  const span = Math.max(1, daysBetween(start, end))
  const x = (date: IsoDate): number => LEFT + ((WIDTH - LEFT - RIGHT) * daysBetween(start, date)) / span
  const height = TOP + dated.length * ROW + 44
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Deadline chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" font-family="sans-serif" font-size="12">`,
    `<text x="${LEFT}" y="16" text-anchor="start">${e(shortDate(start))}</text>`,
  ]
  for (const tick of monthTicks(start, end)) {
    const tx = x(tick)
    if (tx - LEFT < 40) continue
    parts.push(`<line x1="${tx.toFixed(1)}" y1="22" x2="${tx.toFixed(1)}" y2="${height - 40}" stroke="#ddd"/><text x="${tx.toFixed(1)}" y="16" text-anchor="middle" fill="#555">${e(shortDate(tick))}</text>`)
  }
  const asOfX = x(t.as_of)
  const anchor = asOfX > WIDTH - RIGHT - 50 ? 'end' : asOfX < LEFT + 50 ? 'start' : 'middle'
  parts.push(`<line x1="${asOfX.toFixed(1)}" y1="24" x2="${asOfX.toFixed(1)}" y2="${height - 40}" stroke="#333" stroke-dasharray="4 3"/><text x="${asOfX.toFixed(1)}" y="36" text-anchor="${anchor}">as of ${e(t.as_of)}</text>`)
  dated.forEach((d, i) => {
    const y = TOP + i * ROW
    const color = urgencyColor(d)
    const x0 = x(start)
    const x1 = x(d.due)
    parts.push(`<text x="${LABEL_RIGHT}" y="${y + 15}" text-anchor="end">${e(deadlineLabel(d))}<title>${e(d.id)}</title></text>`)
    parts.push(`<text x="${STATUS_X}" y="${y + 15}" font-size="11" fill="${STATUS_COLORS[d.status] ?? '#555'}">${e(d.status === 'unverified' ? 'UNVERIFIED' : d.status)}</text>`)
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y + 4}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="14" fill="${color}" opacity="${d.overdue === true ? 0.5 : 0.85}"><title>${e(`${d.title}: ${d.due} (${d.citation}, rule ${d.status})`)}</title></rect>`)
    for (const alt of [d.due_if_tolled, d.due_if_extended]) {
      if (alt !== undefined && alt > d.due) parts.push(`<line x1="${x1.toFixed(1)}" y1="${y + 24}" x2="${x(alt).toFixed(1)}" y2="${y + 24}" stroke="${color}" stroke-width="2" stroke-dasharray="4 3"><title>${e(`other reading: ${alt}`)}</title></line>`)
    }
    const tag = d.overdue === true ? ' OVERDUE' : d.weekend === true ? ` (${d.weekday ?? ''})` : ''
    parts.push(`<text x="${(x1 + 4).toFixed(1)}" y="${y + 15}">${e(d.due)}${e(tag)}</text>`)
  })
  parts.push(
    `<text x="8" y="${height - 22}">bar colour = urgency: dark red overdue, red 14 days or less, amber 30 days or less, blue later; beside each label: the rule status.</text>`,
    `<text x="8" y="${height - 6}">dashed line under a bar = the tolled or extended reading (ask counsel).</text>`,
    '</svg>',
  )
  return parts.join('\n')
}
