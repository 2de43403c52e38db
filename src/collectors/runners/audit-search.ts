import {rm, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {once} from 'node:events'

import {errnoCode, errorMessage} from '../../core/errors.js'
import {beforeInstant} from '../../core/iso-time.js'
import {asSeen, onDisk} from '../../core/system-path.js'
import {createEvidenceFile, createEvidenceStream, JsonlWriter} from '../../io/evidence-fs.js'
import type {ExecResult} from '../../io/exec.js'
import {readLineBatches, readLines} from '../../io/line-reader.js'
import {argvTokens, resolveArgv} from '../plan.js'
import {AuditEventAssembler, eventMatchesKey, parseAuditRecordLine, type AuditEvent} from '../parsers/audit.js'
import {commandRecord, statusFromCommands, type CommandRecord} from '../record.js'
import type {CollectorContext, CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'
import {findRotatedLogs} from './log-sources.js'

const AUDIT_KEY = 'phi_access'
/** ausearch exits 1 when nothing matched: `<no matches>` on stderr, or (with --raw) nothing at all. */
const NO_MATCHES = (r: ExecResult) => r.exitCode === 1 && r.bytes === 0 && (r.stderr.trim() === '' || r.stderr.includes('<no matches>'))

/**
 * `ausearch -k phi_access` over the window: the raw records (`audit/phi_access.raw`), ausearch's
 * interpreted text (`audit/phi_access.txt`) and one JSON object per event (`audit/events.jsonl`).
 * Where ausearch is missing, the project's own parser reads audit.log and writes the same events.
 */
export const runAuditSearch: CollectorEngine = async (context) => {
  const logs = (await findRotatedLogs(onDisk(context.root, '/var/log/audit'), 'audit.log')).map((f) => f.path)
  // Live, ausearch finds the logs itself (auditd.conf); below --root each file is named with -if.
  const inputs = context.live && logs.length > 0 ? [undefined] : logs
  if (inputs.length === 0) {
    const reason = 'no /var/log/audit/audit.log on this system (is auditd installed and running?)'
    return {commands: [], files: [], reason, status: 'skipped', warnings: []}
  }
  const rawPath = join(context.outDir, 'phi_access.raw')
  const textPath = join(context.outDir, 'phi_access.txt')
  await createEvidenceFile(rawPath, '')
  await createEvidenceFile(textPath, '')
  const commands: CommandRecord[] = []
  const [rawSpec, textSpec] = context.planned.spec.commands
  const tokens = argvTokens(context.root, context.since)
  const events = new JsonlWriter(join(context.outDir, 'events.jsonl'))
  const wanted = wantedEvents(context.since)
  let missing = false
  try {
    for (const input of inputs) {
      const inputArgs = input === undefined ? [] : ['-if', input]
      const source = input === undefined ? 'ausearch' : asSeen(context.root, input)
      for (const [spec, target] of [[rawSpec, rawPath], [textSpec, textPath]] as const) {
        if (!spec) continue
        const argv = resolveArgv(spec.argv, context.root, {...tokens, '{audit-input}': inputArgs})
        // ausearch's output goes straight to the evidence file: memory stays flat however large the audit log.
        const offset = (await stat(target)).size
        const result = await context.exec({appendStdoutTo: target, argv, maxOutputBytes: context.planned.spec.maxOutputBytes, timeoutMs: context.planned.spec.timeoutMs})
        if (result.notFound) {
          missing = true
          break
        }
        const record = commandRecord(spec.name, result, {noMatch: NO_MATCHES, output: `audit/${target === rawPath ? 'phi_access.raw' : 'phi_access.txt'}`})
        commands.push(record)
        logCommand(context.log, 'audit', record)
        if (target === rawPath) {
          const assembler = new AuditEventAssembler(source)
          for await (const batch of readLineBatches(rawPath, undefined, offset)) {
            for (const line of batch) for (const event of assembler.push(line)) if (wanted(event)) events.add(JSON.stringify(event))
            await events.settle()
          }
          for (const event of assembler.flush()) if (wanted(event)) events.add(JSON.stringify(event))
        }
      }
      if (missing) break
    }
  } finally {
    await events.close()
  }
  if (missing) return fallback(context, inputs.filter((i): i is string => i !== undefined))

  const status = statusFromCommands(commands)
  return {
    commands,
    counts: {events: events.count},
    files: ['audit/phi_access.raw', 'audit/phi_access.txt', 'audit/events.jsonl'],
    status: status === 'skipped' ? 'ok' : status,
    warnings: [],
    ...(status !== 'ok' ? {reason: commands.filter((c) => c.reason).map((c) => `${c.name}: ${c.reason}`).join('; ')} : {}),
  }
}

/** Events keyed phi_access inside the window. */
function wantedEvents(since: Date): (event: AuditEvent) => boolean {
  const before = beforeInstant(since)
  return (event) => eventMatchesKey(event, AUDIT_KEY) && !before(event.time)
}

/**
 * Degraded path without ausearch: two streaming passes per log. The first finds the events keyed
 * phi_access inside the window; the second copies their records to `phi_access.raw` verbatim.
 */
async function fallback(context: CollectorContext, files: string[]): Promise<Awaited<ReturnType<CollectorEngine>>> {
  const warnings = ['ausearch is not installed: audit.log was read by hipaa-ir\'s own parser (degraded; no interpreted text)']
  context.log.record({collector: 'audit', note: warnings[0], status: 'degraded', step: 'fallback'})
  const logFiles = files.length > 0 ? files : (await findRotatedLogs('/var/log/audit', 'audit.log')).map((f) => f.path)
  const rawPath = join(context.outDir, 'phi_access.raw')
  const textPath = join(context.outDir, 'phi_access.txt')
  const eventsPath = join(context.outDir, 'events.jsonl')
  // The ausearch attempt left its (empty) files: they are written afresh here.
  for (const path of [rawPath, textPath, eventsPath]) await rm(path, {force: true})
  const raw = createEvidenceStream(rawPath)
  const events = new JsonlWriter(eventsPath)
  const wanted = wantedEvents(context.since)
  const unreadable: string[] = []
  try {
    for (const file of logFiles) {
      const seen = asSeen(context.root, file)
      try {
        const matched = new Set<string>()
        const assembler = new AuditEventAssembler(seen)
        const keep = (event: AuditEvent) => {
          if (!wanted(event)) return
          matched.add(`${event.time}:${event.serial}`)
          events.add(JSON.stringify(event))
        }
        for await (const batch of readLineBatches(file)) {
          for (const line of batch) for (const event of assembler.push(line)) keep(event)
          await events.settle()
        }
        for (const event of assembler.flush()) keep(event)
        if (matched.size === 0) continue
        for await (const line of readLines(file)) {
          const record = parseAuditRecordLine(line)
          if (record && matched.has(`${record.time}:${record.serial}`) && !raw.write(`${line}\n`)) await once(raw, 'drain')
        }
      } catch (error) {
        const reason = errnoCode(error) === 'EACCES' ? 'permission denied (run as root)' : errorMessage(error)
        unreadable.push(`${seen}: ${reason}`)
      }
    }
  } finally {
    raw.end()
    await once(raw, 'finish')
    await events.close()
  }
  await createEvidenceFile(textPath, 'ausearch was not available on this system; see phi_access.raw and events.jsonl.\n')
  return {
    commands: [],
    counts: {events: events.count},
    degraded: true,
    files: ['audit/phi_access.raw', 'audit/phi_access.txt', 'audit/events.jsonl'],
    status: unreadable.length === 0 ? 'ok' : unreadable.length === logFiles.length ? 'failed' : 'partial',
    warnings,
    ...(unreadable.length > 0 ? {reason: `could not read ${unreadable.join('; ')}`} : {}),
  }
}
