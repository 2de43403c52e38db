/** Rate and time left of an upload, for the push progress bar: "12.4 MiB/s", "1:05" (m:ss) or "1:02:05". */

const MiB = 1024 * 1024

export interface TransferStats {
  eta: string
  rate: string
}

export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const pad = (n: number) => String(n).padStart(2, '0')
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`
}

/** Average rate since the start, and the time left at that rate; unknown ("--") before a second has passed or a byte was sent. */
export function transferStats(sentBytes: number, totalBytes: number, elapsedMs: number): TransferStats {
  if (elapsedMs < 1000 || sentBytes <= 0) return {eta: '--:--', rate: '-- MiB/s'}
  const perSecond = sentBytes / (elapsedMs / 1000)
  return {eta: formatClock(Math.max(0, totalBytes - sentBytes) / perSecond), rate: `${(perSecond / MiB).toFixed(1)} MiB/s`}
}
