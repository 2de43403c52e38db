import {readdir} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {beforeInstant} from '../../core/iso-time.js'
import {createEvidenceFile, JsonlWriter, pathExists} from '../../io/evidence-fs.js'
import {readLineBatches} from '../../io/line-reader.js'
import {linksNote, resolveInRoot} from '../../io/root-fs.js'
import {systemTimeZone} from '../../io/system-facts.js'
import {parseAuthLine} from '../parsers/auth-line.js'
import {journalEntryToAuthEvent} from '../parsers/journal.js'
import {commandRecord, skippedCommand, type CommandRecord} from '../record.js'
import type {CollectorContext, CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'
import {findRotatedLogs, type LogFile} from './log-sources.js'
import {outsideWindowWarning, tallyUnreadLogs, WindowTally, type OutsideWindow} from '../outside-window.js'

const LOG_BASES = ['auth.log', 'secure'] as const

/**
 * Auth events in the window from auth.log (Debian, Ubuntu) or secure (RHEL), with their rotations
 * (plain and gzipped), or from the journal on journald-only systems. Writes the matching raw lines
 * to `auth/auth-events.txt` and the parsed events to `auth/events.jsonl`.
 */
export const runAuthLogs: CollectorEngine = async (context) => {
  const sources: LogFile[] = []
  for (const base of LOG_BASES) {
    const found = await findRotatedLogs(context.root, '/var/log', base)
    sources.push(...found.files)
    for (const note of found.notes) context.log.record({collector: 'auth', note, step: 'resolve'})
  }
  if (sources.length === 0) return readJournal(context)

  const {timeZone, from} = await systemTimeZone(context.root)
  const raw = new JsonlWriter(join(context.outDir, 'auth-events.txt'))
  const events = new JsonlWriter(join(context.outDir, 'events.jsonl'))
  const warnings: string[] = []
  context.log.record({collector: 'auth', note: `classic syslog stamps (no year, no zone) read as ${timeZone}, from ${from}; year inferred from each file's mtime`, step: 'time-zone'})
  const unreadable: string[] = []
  const commands: CommandRecord[] = []
  let linesRead = 0
  const isBefore = beforeInstant(context.since)
  const before = new WindowTally()
  const notRead: LogFile[] = []
  try {
    for (const file of sources) {
      const seen = file.seen
      const started = performance.now()
      // A file last written before the window opened holds nothing inside it.
      if (file.mtime.getTime() < context.since.getTime()) {
        context.log.record({collector: 'auth', note: 'last modified before --since; not read', path: seen, status: 'skipped', step: 'read-log'})
        notRead.push(file)
        continue
      }
      let matched = 0
      try {
        const lineContext = {referenceTime: file.mtime, source: seen, timeZone}
        for await (const batch of readLineBatches(file.path)) {
          for (const line of batch) {
            const event = parseAuthLine(line, lineContext)
            if (!event || event.kind === 'other') continue
            if (isBefore(event.time)) {
              before.add(Date.parse(event.time))
              continue
            }
            matched++
            raw.add(line)
            events.add(JSON.stringify(event))
          }
          linesRead += batch.length
          await raw.settle()
          await events.settle()
        }
        context.log.record({bytes: file.size, collector: 'auth', duration_ms: Math.round(performance.now() - started), note: `${matched} events in window`, path: seen, status: 'ok', step: 'read-log'})
      } catch (error) {
        const reason = errnoCode(error) === 'EACCES' ? 'permission denied (run as root)' : errorMessage(error)
        unreadable.push(`${seen}: ${reason}`)
        context.log.record({collector: 'auth', error: reason, path: seen, status: 'failed', step: 'read-log'})
      }
    }
  } finally {
    await raw.close()
    await events.close()
  }
  // Nothing inside the window: count what the older files hold, so the admin hears to widen --since.
  const outside = events.count === 0 ? await outsideAuthEvents(before, notRead, timeZone) : undefined
  if (outside) warnings.push(outsideWindowWarning('the auth logs hold', outside))
  const status = unreadable.length === 0 ? 'ok' : unreadable.length === sources.length ? 'failed' : 'partial'
  return {
    ...(outside ? {outside_window: outside} : {}),
    commands,
    counts: {events: events.count, lines_read: linesRead, sources: sources.length},
    files: ['auth/auth-events.txt', 'auth/events.jsonl'],
    status,
    warnings,
    ...(unreadable.length > 0 ? {reason: `could not read ${unreadable.join('; ')}`} : {}),
  }
}

/** Auth events before the window in the files read and (within a byte budget) in those skipped by mtime. */
async function outsideAuthEvents(tally: WindowTally, notRead: LogFile[], timeZone: string): Promise<OutsideWindow | undefined> {
  const unread = await tallyUnreadLogs(notRead, (file) => {
    const lineContext = {referenceTime: file.mtime, source: file.seen, timeZone}
    return {
      line(line) {
        const event = parseAuthLine(line, lineContext)
        if (event && event.kind !== 'other') tally.add(Date.parse(event.time))
      },
    }
  })
  return tally.result(unread)
}

/**
 * The image's /var/log/journal, resolved inside the image, or why it is not read: missing, or holding
 * a symbolic link (journalctl -D would follow it onto this machine, so nothing is read and the link is named).
 */
async function confinedJournalDir(context: CollectorContext): Promise<{dir: string; reason?: undefined} | {dir?: undefined; reason: string}> {
  const found = resolveInRoot(context.root, '/var/log/journal')
  const note = linksNote('/var/log/journal', found)
  if (note) context.log.record({collector: 'auth', note, step: 'resolve'})
  if (found.problem) return {reason: `/var/log/journal: ${found.problem}`}
  if (!(await pathExists(found.host))) return {reason: 'no /var/log/auth.log, /var/log/secure or /var/log/journal on this system'}
  const links: string[] = []
  const scan = async (hostDir: string, systemDir: string, depth: number) => {
    for (const entry of await readdir(hostDir, {withFileTypes: true}).catch(() => [])) {
      if (entry.isSymbolicLink()) links.push(`${systemDir}/${entry.name}`)
      else if (entry.isDirectory() && depth > 0) await scan(join(hostDir, entry.name), `${systemDir}/${entry.name}`, depth - 1)
    }
  }
  await scan(found.host, '/var/log/journal', 1)
  if (links.length > 0) {
    const reason = `the journal folder holds symbolic links (${links.slice(0, 3).join(', ')}${links.length > 3 ? ', …' : ''}) that journalctl would follow outside the image; not read`
    context.log.record({collector: 'auth', note: reason, status: 'skipped', step: 'resolve'})
    return {reason}
  }
  return {dir: found.host}
}

/** journald-only systems: `journalctl -o json` for the auth and authpriv facilities (`-D` below --root). */
async function readJournal(context: CollectorContext): Promise<Awaited<ReturnType<CollectorEngine>>> {
  const planned = context.planned.commands.find((c) => c.name === 'journalctl')
  const journal = context.live ? undefined : await confinedJournalDir(context)
  // Below --root, journalctl -D reads the folder resolved inside the image.
  const argv = (planned?.argv ?? ['journalctl']).map((arg, i, all) => (journal?.dir !== undefined && all[i - 1] === '-D' ? journal.dir : arg))
  if (journal !== undefined && journal.dir === undefined) {
    return {commands: [skippedCommand('journalctl', argv, journal.reason)], files: [], reason: journal.reason, status: 'skipped', warnings: []}
  }
  const result = await context.exec({argv, maxOutputBytes: context.planned.spec.maxOutputBytes, timeoutMs: context.planned.spec.timeoutMs})
  const record = commandRecord('journalctl', result, {output: 'auth/journal.json'})
  logCommand(context.log, 'auth', record)
  await createEvidenceFile(join(context.outDir, 'journal.json'), result.stdout)
  const raw = new JsonlWriter(join(context.outDir, 'auth-events.txt'))
  const events = new JsonlWriter(join(context.outDir, 'events.jsonl'))
  try {
    for (const line of result.stdout.toString('utf8').split('\n')) {
      const parsed = journalEntryToAuthEvent(line)
      // A forged claim (note set) is kept, as `other`, so the attempt itself is on record.
      if (!parsed || (parsed.event.kind === 'other' && parsed.event.note === undefined) || Date.parse(parsed.event.time) < context.since.getTime()) continue
      await raw.writeLine(parsed.rawLine)
      await events.write(parsed.event)
    }
  } finally {
    await raw.close()
    await events.close()
  }
  const status = record.status === 'ok' ? 'ok' : record.status === 'timed-out' ? 'timed-out' : 'failed'
  return {
    commands: [record],
    counts: {events: events.count},
    files: ['auth/journal.json', 'auth/auth-events.txt', 'auth/events.jsonl'],
    status,
    warnings: ['no auth.log or secure file: events read from the journal'],
    ...(record.reason ? {reason: `journalctl: ${record.reason}`} : {}),
  }
}

