import type {Evidence, FileView, LineEvidence} from '../types.js'
import {effectiveDirective, matchOverrides, parseSshdConfig, parseSshdT, type SshdConfig} from '../parsers/sshd-config.js'
import type {ProbeOutput} from './context.js'

export const SSHD_CONFIG = '/etc/ssh/sshd_config'

/** Where the ssh.* answers come from: `sshd -T` on the live system, else the configuration files. */
export type SshSource =
  | {config?: SshdConfig; kind: 'live'; note?: string; values: Map<string, string[]>}
  | {config: SshdConfig; kind: 'files'; note?: string}
  | {kind: 'missing'; reason: string}

export function sshSource(view: FileView, live: boolean, sshdT: ProbeOutput | undefined): SshSource {
  const config = parseSshdConfig(view, SSHD_CONFIG)
  if (live && sshdT !== undefined && sshdT.failure === undefined) {
    return {...(config === undefined ? {} : {config}), kind: 'live', values: parseSshdT(sshdT.output)}
  }
  const liveNote = live && sshdT?.failure !== undefined ? `\`sshd -T\` gave no answer (${sshdT.failure}); judged from the configuration files` : undefined
  if (config === undefined) {
    return {kind: 'missing', reason: `${SSHD_CONFIG} not found${liveNote === undefined ? '' : ` and ${liveNote}`}: sshd may not be installed, so the SSH settings cannot be judged`}
  }
  return {config, kind: 'files', ...(liveNote === undefined ? {} : {note: liveNote})}
}

export interface SshAnswer {
  evidence: Evidence[]
  /** Match blocks that set the keyword for some connections (reported, not applied). */
  matchLines: LineEvidence[]
  /** The effective global value, or undefined when nothing sets it (sshd's default applies). */
  value?: string
}

/** The effective global value of a keyword, with its evidence. */
export function sshLookup(source: Exclude<SshSource, {kind: 'missing'}>, keyword: string): SshAnswer {
  const key = keyword.toLowerCase()
  const evidence: Evidence[] = []
  let value: string | undefined
  const line = source.config === undefined ? undefined : effectiveDirective(source.config, key)
  if (source.kind === 'live') {
    value = source.values.get(key)?.[0]
    evidence.push({command: 'sshd -T', output: value === undefined ? `(no ${key} line)` : `${key} ${value}`})
    if (line !== undefined) evidence.push({file: line.file, line: line.line, text: line.text})
  } else {
    value = line?.values.join(' ')
    if (line !== undefined) evidence.push({file: line.file, line: line.line, text: line.text})
  }
  const matchLines = source.config === undefined ? [] : matchOverrides(source.config, key).map(({file, line: n, text}) => ({file, line: n, text}))
  const matchHeads = source.config?.matches ?? []
  for (const override of matchLines) {
    const head = [...matchHeads].reverse().find((match) => match.file === override.file && match.line < override.line)
    if (head !== undefined && !evidence.some((item) => 'line' in item && item.file === head.file && item.line === head.line)) evidence.push(head)
    evidence.push(override)
  }
  return {evidence, matchLines, ...(value === undefined ? {} : {value})}
}

/** Text appended to a reason when Match blocks change the answer for some connections. */
export function matchNote(answer: SshAnswer): string | undefined {
  if (answer.matchLines.length === 0) return undefined
  const where = answer.matchLines.map((line) => `${line.file}:${line.line}`).join(', ')
  return `Match blocks set it differently for some connections (${where}); they are reported, not applied to the global answer`
}

export function joinReasons(...parts: Array<string | undefined>): string | undefined {
  const kept = parts.filter((part): part is string => part !== undefined && part !== '')
  return kept.length === 0 ? undefined : kept.join('. ')
}
