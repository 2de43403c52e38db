import {rm, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {beforeInstant} from '../../core/iso-time.js'
import {asSeen} from '../../core/system-path.js'
import {createEvidenceFile, JsonlWriter} from '../../io/evidence-fs.js'
import type {ExecResult} from '../../io/exec.js'
import {readLineBatches} from '../../io/line-reader.js'
import {GUIDE_AUDIT_KEYS, PHI_AUDIT_KEY} from '../audit-keys.js'
import {argvTokens, resolveArgv} from '../plan.js'
import {AuditEventAssembler, parseAuditRecordLine, recordKeys, type AuditEvent} from '../parsers/audit.js'
import {commandRecord, statusFromCommands, type CommandRecord} from '../record.js'
import type {CollectorContext, CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'
import {findRotatedLogs, type LogFile} from './log-sources.js'
import {outsideAuditEvents, outsideWindowWarning} from '../outside-window.js'

/** ausearch exits 1 when nothing matched: `<no matches>` on stderr, or (with --raw) nothing at all. */
const NO_MATCHES = (r: ExecResult) => r.exitCode === 1 && r.bytes === 0 && (r.stderr.trim() === '' || r.stderr.includes('<no matches>'))

/** `audit/KEY.raw` and `audit/KEY.txt`: phi_access's are the contract's names. */
const rawName = (key: string) => `${key}.raw`
const textName = (key: string) => `${key}.txt`

/**
 * `ausearch -k KEY` over the window for phi_access, every key of the hardening guide's rules found
 * in the audit logs, and each `--audit-key`: the raw records (`audit/KEY.raw`), ausearch's
 * interpreted text (`audit/KEY.txt`) and one JSON object per event (`audit/events.jsonl`, each
 * with its `key`, an event with several searched keys written once). ausearch takes one -k per
 * run (a second replaces the first), so it runs once per key; one streaming pass over the logs
 * first finds which guide keys have records at all, so keys without any cost nothing. Where
 * ausearch is missing, the project's own parser reads audit.log and writes the same events.
 */
export const runAuditSearch: CollectorEngine = async (context) => {
  // Below --root each file is resolved inside the image: a link never hands ausearch a file of this machine.
  const found = await findRotatedLogs(context.root, '/var/log/audit', 'audit.log')
  for (const note of found.notes) context.log.record({collector: 'audit', note, step: 'resolve'})
  const logs = found.files.map((f) => f.path)
  const seenAs = seenNames(context.root, found.files)
  const logFiles = found.files
  // Live, ausearch finds the logs itself (auditd.conf); below --root each file is named with -if.
  const inputs = context.live && logs.length > 0 ? [undefined] : logs
  if (inputs.length === 0) {
    const reason = 'no /var/log/audit/audit.log on this system (is auditd installed and running?)'
    return {commands: [], files: [], reason, status: 'skipped', warnings: []}
  }
  const {keys, unreadable: unscanned} = await keysToSearch(context, logs, seenAs)
  context.log.record({collector: 'audit', note: `keys searched: ${keys.join(', ')}`, step: 'audit-keys'})
  const commands: CommandRecord[] = []
  const [rawSpec, textSpec] = context.planned.spec.commands
  const tokens = argvTokens(context.root, context.since)
  const events = new JsonlWriter(join(context.outDir, 'events.jsonl'))
  const wanted = wantedEvents(context.since, keys)
  let missing = false
  try {
    for (const key of keys) {
      const rawPath = join(context.outDir, rawName(key))
      const textPath = join(context.outDir, textName(key))
      await createEvidenceFile(rawPath, '')
      await createEvidenceFile(textPath, '')
      for (const input of inputs) {
        const inputArgs = input === undefined ? [] : ['-if', input]
        const source = input === undefined ? 'ausearch' : seenAs(input)
        for (const [spec, target] of [[rawSpec, rawPath], [textSpec, textPath]] as const) {
          if (!spec) continue
          const argv = resolveArgv(spec.argv, context.root, {...tokens, '{audit-input}': inputArgs, '{audit-key}': [key]})
          // ausearch's output goes straight to the evidence file: memory stays flat however large the audit log.
          const offset = (await stat(target)).size
          const result = await context.exec({appendStdoutTo: target, argv, maxOutputBytes: context.planned.spec.maxOutputBytes, timeoutMs: context.planned.spec.timeoutMs})
          if (result.notFound) {
            missing = true
            break
          }
          const record = commandRecord(spec.name, result, {noMatch: NO_MATCHES, output: `audit/${target === rawPath ? rawName(key) : textName(key)}`})
          commands.push(record)
          logCommand(context.log, 'audit', record)
          if (target === rawPath) {
            const assembler = new AuditEventAssembler(source)
            for await (const batch of readLineBatches(rawPath, undefined, offset)) {
              for (const line of batch) for (const event of assembler.push(line)) if (wanted(event) === key) events.add(JSON.stringify(event))
              await events.settle()
            }
            for (const event of assembler.flush()) if (wanted(event) === key) events.add(JSON.stringify(event))
          }
        }
        if (missing) break
      }
      if (missing) break
    }
  } finally {
    await events.close()
  }
  if (missing) return fallback(context, keys, inputs.filter((i): i is string => i !== undefined), seenAs)

  const status = statusFromCommands(commands)
  // Nothing inside the window: say what the logs hold before it (newcomer M2).
  const outside = events.count === 0 ? await outsideAuditEvents(logFiles, context.since, (event) => keys.some((key) => event.keys.includes(key))) : undefined
  return {
    ...(outside ? {outside_window: outside} : {}),
    commands,
    counts: {events: events.count, keys: keys.length},
    files: [...keys.flatMap((key) => [`audit/${rawName(key)}`, `audit/${textName(key)}`]), 'audit/events.jsonl'],
    status: status === 'skipped' ? 'ok' : status,
    warnings: [...unscanned.map((u) => `could not look for audit keys in ${u}`), ...(outside ? [outsideWindowWarning('the audit logs hold', outside)] : [])],
    ...(status !== 'ok' ? {reason: commands.filter((c) => c.reason).map((c) => `${c.name}: ${c.reason}`).join('; ')} : {}),
  }
}

/**
 * phi_access, then the guide's keys that occur in the audit logs (in the guide's order), then the
 * `--audit-key` values. One streaming pass over the logs; only lines holding ` key=` are parsed.
 */
async function keysToSearch(context: CollectorContext, logs: string[], seenAs: (file: string) => string): Promise<{keys: string[]; unreadable: string[]}> {
  const guide = new Set<string>(GUIDE_AUDIT_KEYS)
  const seen = new Set<string>()
  const unreadable: string[] = []
  for (const file of logs) {
    try {
      for await (const batch of readLineBatches(file)) {
        for (const line of batch) {
          const at = line.indexOf(' key=')
          if (at === -1 || line.startsWith('(null)', at + 5)) continue
          const record = parseAuditRecordLine(line)
          if (record !== null) for (const key of recordKeys(record)) if (guide.has(key)) seen.add(key)
        }
        if (seen.size === guide.size) break
      }
    } catch (error) {
      unreadable.push(`${seenAs(file)}: ${errnoCode(error) === 'EACCES' ? 'permission denied (run as root)' : errorMessage(error)}`)
    }
    if (seen.size === guide.size) break
  }
  const keys = [PHI_AUDIT_KEY, ...GUIDE_AUDIT_KEYS.filter((key) => key !== PHI_AUDIT_KEY && seen.has(key))]
  for (const key of context.auditKeys ?? []) if (!keys.includes(key)) keys.push(key)
  return {keys, unreadable}
}

/** The name a log file (as found by findRotatedLogs, links resolved inside the image) has on that system. */
function seenNames(root: string, files: readonly LogFile[]): (file: string) => string {
  const names = new Map(files.map((f) => [f.path, f.seen]))
  return (file) => names.get(file) ?? asSeen(root, file)
}

/**
 * Which searched key an event inside the window is written under: the first of `keys` it carries
 * (so an event with two searched keys is written once), or undefined.
 */
function wantedEvents(since: Date, keys: readonly string[]): (event: AuditEvent) => string | undefined {
  const before = beforeInstant(since)
  return (event) => (before(event.time) ? undefined : keys.find((key) => event.keys.includes(key)))
}

/**
 * Degraded path without ausearch: per key, two streaming passes per log (the same order of events
 * as the ausearch path). The first finds the events keyed KEY inside the window; the second copies
 * their records to `KEY.raw` verbatim.
 */
async function fallback(context: CollectorContext, keys: string[], files: string[], seenAs: (file: string) => string): Promise<Awaited<ReturnType<CollectorEngine>>> {
  const warnings = ['ausearch is not installed: audit.log was read by hipaa-ir\'s own parser (degraded; no interpreted text)']
  context.log.record({collector: 'audit', note: warnings[0], status: 'degraded', step: 'fallback'})
  const logFiles = files.length > 0 ? files : (await findRotatedLogs('/', '/var/log/audit', 'audit.log')).files.map((f) => f.path)
  const eventsPath = join(context.outDir, 'events.jsonl')
  // The ausearch attempt left its (empty) files: they are written afresh here.
  for (const path of [eventsPath, ...keys.flatMap((key) => [join(context.outDir, rawName(key)), join(context.outDir, textName(key))])]) await rm(path, {force: true})
  const events = new JsonlWriter(eventsPath)
  const wanted = wantedEvents(context.since, keys)
  const unreadable = new Set<string>()
  try {
    for (const key of keys) {
      const raw = new JsonlWriter(join(context.outDir, rawName(key)))
      try {
        for (const file of logFiles) {
          const seen = seenAs(file)
          try {
            const matched = new Set<string>()
            const assembler = new AuditEventAssembler(seen)
            const keep = (event: AuditEvent) => {
              const first = wanted(event)
              if (first === undefined || !event.keys.includes(key)) return
              matched.add(`${event.time}:${event.serial}`)
              if (first === key) events.add(JSON.stringify(event))
            }
            for await (const batch of readLineBatches(file)) {
              for (const line of batch) for (const event of assembler.push(line)) keep(event)
              await events.settle()
            }
            for (const event of assembler.flush()) keep(event)
            if (matched.size === 0) continue
            for await (const batch of readLineBatches(file)) {
              for (const line of batch) {
                const record = parseAuditRecordLine(line)
                if (record && matched.has(`${record.time}:${record.serial}`)) raw.add(line)
              }
              await raw.settle()
            }
          } catch (error) {
            unreadable.add(`${seen}: ${errnoCode(error) === 'EACCES' ? 'permission denied (run as root)' : errorMessage(error)}`)
          }
        }
      } finally {
        await raw.close()
      }
      await createEvidenceFile(join(context.outDir, textName(key)), `ausearch was not available on this system; see ${rawName(key)} and events.jsonl.\n`)
    }
  } finally {
    await events.close()
  }
  const failedFiles = new Set([...unreadable].map((u) => u.slice(0, u.indexOf(': '))))
  return {
    commands: [],
    counts: {events: events.count, keys: keys.length},
    degraded: true,
    files: [...keys.flatMap((key) => [`audit/${rawName(key)}`, `audit/${textName(key)}`]), 'audit/events.jsonl'],
    status: unreadable.size === 0 ? 'ok' : failedFiles.size === logFiles.length ? 'failed' : 'partial',
    warnings,
    ...(unreadable.size > 0 ? {reason: `could not read ${[...unreadable].join('; ')}`} : {}),
  }
}
