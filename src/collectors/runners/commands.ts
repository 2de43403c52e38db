import {stat} from 'node:fs/promises'
import {join} from 'node:path'

import {createEvidenceFile, JsonlWriter} from '../../io/evidence-fs.js'
import {linksNote, resolveInRoot} from '../../io/root-fs.js'
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
      const confined = confineArgv(spec.argv, command.argv, context.root)
      for (const note of confined.notes) context.log.record({collector: planned.id, note, step: 'resolve'})
      const argv = confined.argv
      const skip = command.skip ?? confined.problem ?? (await missingFile(spec.requiresFile, context.root))
      if (skip) {
        commands.push(skippedCommand(command.name, argv, skip))
        context.log.record({argv, collector: planned.id, note: skip, status: 'skipped', step: 'command'})
        continue
      }
      const result = await context.exec({argv, maxOutputBytes: planned.spec.maxOutputBytes, timeoutMs: planned.spec.timeoutMs})
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

/** `{root}/…` elements of a command's argv, resolved inside the image (links never lead onto this machine). */
function confineArgv(specArgv: readonly string[], planned: string[], root: string): {argv: string[]; notes: string[]; problem?: string} {
  if (root === '/') return {argv: planned, notes: []}
  const notes: string[] = []
  let problem: string | undefined
  // Tokens may expand to several elements; only commands without them hold {root} paths, element for element.
  if (specArgv.length !== planned.length) return {argv: planned, notes}
  const argv = specArgv.map((element, i) => {
    if (!element.startsWith('{root}')) return planned[i] ?? element
    const systemPath = element.slice('{root}'.length)
    const found = resolveInRoot(root, systemPath)
    const note = linksNote(systemPath, found)
    if (note) notes.push(note)
    if (found.problem) problem ??= `${systemPath}: ${found.problem}`
    return found.host
  })
  return {argv, notes, ...(problem ? {problem} : {})}
}

/** A file the command reads must be a regular file of the system (resolved inside the image): a FIFO would hang it. */
async function missingFile(requiresFile: string | undefined, root: string): Promise<string | undefined> {
  if (!requiresFile) return undefined
  const systemPath = requiresFile.startsWith('{root}') ? requiresFile.slice('{root}'.length) : requiresFile
  const found = resolveInRoot(root, systemPath)
  if (found.problem) return `${systemPath}: ${found.problem}`
  const info = await stat(found.host).catch(() => undefined)
  if (info === undefined) return `${systemPath} does not exist on this system`
  return info.isFile() ? undefined : `${systemPath} is not a regular file; not read`
}

function parseRows(key: ParserKey, text: string): Record<string, unknown>[] {
  const parse = (parsers as Partial<Record<ParserKey, (text: string) => Record<string, unknown>[]>>)[key]
  return parse ? parse(text) : []
}
