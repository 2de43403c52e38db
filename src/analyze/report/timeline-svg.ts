/**
 * The case timeline as an inline SVG: one lane per host, one mark per event behind a finding, coloured
 * by the worst severity it stands behind, and an arrow for each finding that crosses hosts (a login on
 * one host from another's address). Self-contained, every value escaped; the marks carry <title>s.
 */
import {escapeHtml as e} from '../../timeline/render/escape.js'
import type {Finding} from '../finding.js'
import type {TimelineRow} from './model.js'

const COLOURS: Record<Finding['severity'], string> = {critical: '#7a0b0b', high: '#b3261e', info: '#5f6b7a', low: '#1f6fb2', medium: '#b26b00'}
const LANE = 44
const LEFT = 150
const WIDTH = 1000

function ticks(start: number, end: number): number[] {
  const span = Math.max(end - start, 1)
  const steps = [60e3, 300e3, 900e3, 3600e3, 6 * 3600e3, 86400e3, 7 * 86400e3, 30 * 86400e3]
  const step = steps.find((s) => span / s <= 8) ?? span / 6
  const first = Math.ceil(start / step) * step
  const out: number[] = []
  for (let t = first; t <= end; t += step) out.push(t)
  return out
}

function label(t: number, span: number): string {
  const iso = new Date(t).toISOString()
  return span > 2 * 86400e3 ? iso.slice(0, 10) : iso.slice(5, 16).replace('T', ' ')
}

/**
 * `window`: the breach window (the scope's first and last malicious event). The chart spans it, with
 * a margin, so a finding days before (a gap in a log) does not squash the intrusion into a corner;
 * events outside it are counted under the chart and stay in the table below.
 */
export function renderTimelineSvg(rows: readonly TimelineRow[], findings: readonly Finding[], window?: {start: string | null; end: string | null}): string {
  let timed = rows.filter((r) => r.time !== null)
  if (timed.length === 0) return '<p>No timed event stands behind a finding.</p>'
  let outside = 0
  if (window?.start && window.end) {
    const from = Date.parse(window.start)
    const to = Date.parse(window.end)
    const margin = Math.max((to - from) * 0.05, 60e3)
    const inside = timed.filter((r) => {
      const t = Date.parse(r.time as string)
      return t >= from - margin && t <= to + margin
    })
    if (inside.length > 0) {
      outside = timed.length - inside.length
      timed = inside
    }
  }
  const hosts = [...new Set([...timed.map((r) => r.host), ...findings.flatMap((f) => f.hosts ?? [])])].sort()
  const times = timed.map((r) => Date.parse(r.time as string))
  const start = Math.min(...times)
  const end = Math.max(...times)
  const span = Math.max(end - start, 60e3)
  const x = (t: number) => LEFT + ((t - start) / span) * (WIDTH - LEFT - 30)
  const y = (host: string) => 30 + hosts.indexOf(host) * LANE + LANE / 2
  const height = 30 + hosts.length * LANE + 40
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Case timeline across hosts" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui,sans-serif" font-size="12">`]
  parts.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#444"/></marker></defs>')
  for (const host of hosts) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - 20}" y1="${y(host)}" y2="${y(host)}" stroke="#ccc"/>`, `<text x="8" y="${y(host) + 4}">${e(host)}</text>`)
  }
  const axis = 30 + hosts.length * LANE + 10
  for (const t of ticks(start, end)) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="24" y2="${axis}" stroke="#eee"/>`, `<text x="${x(t).toFixed(1)}" y="${axis + 16}" text-anchor="middle" fill="#555">${e(label(t, span))}</text>`)
  }
  for (const f of findings) {
    const [from, to] = [f.hosts?.[0], f.hosts?.at(-1)]
    if (f.hosts === undefined || f.hosts.length < 2 || from === undefined || to === undefined || from === to || f.first === null) continue
    if (Date.parse(f.first) < start || Date.parse(f.last ?? f.first) > end) continue
    const tx = x(Date.parse(f.last ?? f.first))
    parts.push(`<line x1="${x(Date.parse(f.first)).toFixed(1)}" y1="${y(from)}" x2="${tx.toFixed(1)}" y2="${y(to)}" stroke="#444" stroke-width="1.5" stroke-dasharray="4 3" marker-end="url(#arrow)"><title>${e(`${f.title}: ${from} → ${to}`)}</title></line>`)
  }
  for (const row of timed) {
    const cx = x(Date.parse(row.time as string)).toFixed(1)
    parts.push(`<circle cx="${cx}" cy="${y(row.host)}" r="5" fill="${COLOURS[row.severity]}" fill-opacity="0.8"><title>${e(`${row.time} ${row.host}: ${row.message} [${row.rules.join(', ')}] ${row.ref}`)}</title></circle>`)
  }
  const legendY = 14
  let lx = LEFT
  for (const severity of ['critical', 'high', 'medium', 'low', 'info'] as const) {
    parts.push(`<circle cx="${lx}" cy="${legendY - 4}" r="5" fill="${COLOURS[severity]}"/><text x="${lx + 9}" y="${legendY}">${severity}</text>`)
    lx += 80
  }
  parts.push(`<text x="${lx + 10}" y="${legendY}" fill="#444">dashed arrow: a finding that crosses hosts</text>`, '</svg>')
  if (outside > 0) parts.push(`<p>The chart spans the breach window; ${outside} event${outside === 1 ? '' : 's'} behind findings outside it ${outside === 1 ? 'is' : 'are'} listed in the table below.</p>`)
  return parts.join('\n')
}
