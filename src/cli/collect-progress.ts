import cliProgress from 'cli-progress'

import type {WorkProgress} from '../workflows/collect-case.js'

const MB = 1_000_000

/** Bytes as a person reads them: 912 kB, 91.3 MB, 2.41 GB (decimal, as `df -H` and disks say). */
export function humanBytes(bytes: number): string {
  if (bytes < MB) return `${Math.round(bytes / 1000)} kB`
  if (bytes < 1000 * MB) return `${(bytes / MB).toFixed(1)} MB`
  return `${(bytes / (1000 * MB)).toFixed(2)} GB`
}

const count = (n: number) => n.toLocaleString('en-US')

/** Seconds as m:ss (or h:mm:ss). */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const hh = Math.floor(s / 3600)
  const mm = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`
}

/**
 * The line shown inside a long step. The PHI walk cannot know its total in advance, so it shows
 * counts and rates; sealing knows the bytes to hash and archive from the listing, so it adds an ETA.
 */
export function workLine(work: WorkProgress, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001)
  const rate = `${humanBytes(work.bytes / seconds)}/s`
  if (work.step === 'phi-walk') {
    return `phi-files: ${count(work.entries ?? 0)} entries seen (${count(Math.round((work.entries ?? 0) / seconds))}/s), ${count(work.files)} files hashed, ${humanBytes(work.bytes)} (${rate})`
  }
  const what = work.step === 'seal-hash' ? 'hashing' : 'archiving'
  const total = work.totalBytes ?? 0
  const left = total > work.bytes && work.bytes > 0 ? ` ETA ${clock(((total - work.bytes) / work.bytes) * seconds)}` : ''
  return `sealing: ${what} ${count(work.files)}/${count(work.totalFiles ?? 0)} files, ${humanBytes(work.bytes)} of ${humanBytes(total)} (${rate})${left}`
}

/**
 * One live line on stderr for a step in progress (cli-progress, redrawn in place at most every
 * 200 ms), cleared when the step ends so the ordinary step lines follow. Only for a terminal; the
 * caller never creates it under --json or without a TTY.
 */
export class WorkDisplay {
  private bar: cliProgress.SingleBar | undefined
  private step: WorkProgress['step'] | undefined
  private started = 0

  update(work: WorkProgress): void {
    if (this.step !== work.step) {
      this.stop()
      this.step = work.step
      this.started = performance.now()
      this.bar = new cliProgress.SingleBar({clearOnComplete: true, format: '{line}', fps: 5, hideCursor: false, stream: process.stderr})
      this.bar.start(1, 0, {line: workLine(work, 0)})
    }
    this.bar?.update(0, {line: workLine(work, performance.now() - this.started)})
  }

  /** Clears the live line (before any other line is written, and at the end of the step). */
  stop(): void {
    this.bar?.stop()
    this.bar = undefined
    this.step = undefined
  }
}

/** What the PHI walk did, after its step line: ": 23,410 entries seen, 812 files hashed (91.3 MB)". */
export function walkSummary(counts: Record<string, number> | undefined): string {
  if (counts?.hashed === undefined || counts.scanned === undefined) return ''
  return `: ${count(counts.scanned)} entries seen, ${count(counts.hashed)} files hashed (${humanBytes(counts.hashed_bytes ?? 0)})`
}
