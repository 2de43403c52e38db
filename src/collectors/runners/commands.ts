import {join} from 'node:path'

import {asSeen} from '../../core/system-path.js'
import {createEvidenceFile, JsonlWriter, pathExists} from '../../io/evidence-fs.js'
import {parsers} from '../parsers/index.js'
import {commandRecord, skippedCommand, statusFromCommands, type CommandRecord} from '../record.js'
import type {ParserKey} from '../spec.js'
import type {CollectorEngine} from './context.js'
import {logCommand} from './log-command.js'

/** Runs a collector's declared commands in order, keeps each raw output, and writes the parsed rows. */
export const runCommands: CollectorEngine = async (context) => {
  const {planned, outDir, bundleDir} = context
  const commands: CommandRecord[] = []
  const files: string[] = []
  const writers = new Map<string, JsonlWriter>()
  const warnings: string[] = []
  try {
    for (const [index, command] of planned.commands.entries()) {
      const spec = planned.spec.commands[index]
      if (!spec) continue
      const skip = command.skip ?? (await missingFile(command.requiresFile, context.root))
      if (skip) {
        commands.push(skippedCommand(command.name, command.argv, skip))
        context.log.record({argv: command.argv, collector: planned.id, note: skip, status: 'skipped', step: 'command'})
        continue
      }
      const result = await context.exec({argv: command.argv, maxOutputBytes: planned.spec.maxOutputBytes, timeoutMs: planned.spec.timeoutMs})
      const rawName = `${planned.spec.outputDir}/${command.name}.txt`
      await createEvidenceFile(join(bundleDir, rawName), result.stdout)
      files.push(rawName)
      const record = commandRecord(command.name, result, {output: rawName})
      commands.push(record)
      logCommand(context.log, planned.id, record)
      if (spec.jsonl && spec.parser !== 'none' && result.bytes > 0) {
        let writer = writers.get(spec.jsonl)
        if (!writer) {
          writer = new JsonlWriter(join(outDir, spec.jsonl))
          writers.set(spec.jsonl, writer)
          files.push(`${planned.spec.outputDir}/${spec.jsonl}`)
        }
        for (const row of parseRows(spec.parser, result.stdout.toString('utf8'))) {
          await writer.write({source: command.name, ...row})
        }
      }
    }
  } finally {
    for (const writer of writers.values()) await writer.close()
  }
  const status = statusFromCommands(commands)
  const bad = commands.filter((c) => c.reason && c.status !== 'skipped')
  return {
    commands,
    files,
    status,
    warnings,
    ...(status === 'skipped' ? {reason: commands.map((c) => c.reason).find(Boolean) ?? 'nothing to run'} : {}),
    ...(bad.length > 0 && status !== 'skipped' ? {reason: bad.map((c) => `${c.name}: ${c.reason}`).join('; ')} : {}),
  }
}

async function missingFile(path: string | undefined, root: string): Promise<string | undefined> {
  if (!path) return undefined
  return (await pathExists(path)) ? undefined : `${asSeen(root, path)} does not exist on this system`
}

function parseRows(key: ParserKey, text: string): Record<string, unknown>[] {
  const parse = (parsers as Partial<Record<ParserKey, (text: string) => Record<string, unknown>[]>>)[key]
  return parse ? parse(text) : []
}
