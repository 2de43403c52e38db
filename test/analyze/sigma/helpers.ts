import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {CaseEvent} from '../../../src/analyze/event.js'
import {auditEvidence} from '../../../src/analyze/sigma/audit-records.js'
import type {SigmaDoc} from '../../../src/analyze/sigma/compile.js'
import type {SigmaEvidence} from '../../../src/analyze/sigma/evidence.js'
import {loadSigmaDir, type LoadedSigma} from '../../../src/analyze/sigma/load.js'
import {parseSigmaRule, type SigmaRule} from '../../../src/analyze/sigma/rule.js'
import {parseAuthLine} from '../../../src/collectors/parsers/auth-line.js'

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url))

/** The community's Linux Sigma rules, beside the checkout (never copied into the project). */
export const SIGMA_REFERENCE = join(projectRoot, '..', 'shared', 'reference', 'sigma')

let loaded: Promise<LoadedSigma> | undefined
export function referenceRules(): Promise<LoadedSigma> {
  loaded ??= loadSigmaDir(SIGMA_REFERENCE)
  return loaded
}

export async function referenceRule(file: string): Promise<SigmaRule> {
  const rule = (await referenceRules()).rules.find((r) => r.file === file)
  if (rule === undefined) throw new Error(`no loaded rule ${file}`)
  return rule
}

/** A rule written inline (YAML text) compiled, failing the test when it is skipped. */
export function inlineRule(yaml: string): SigmaRule {
  const result = parseSigmaRule(yaml, 'inline.yml')
  if ('skipped' in result) throw new Error(`skipped: ${result.skipped.reason}`)
  return result.rule
}

export function doc(fields: Record<string, string | string[]>, text = ''): SigmaDoc {
  return {fields, text}
}

export function audit(text: string, file = 'audit/phi_access.raw', host = 'web1', bundle = 'IR-1_web1_20260303T000000Z'): SigmaEvidence[] {
  return auditEvidence(text.replace(/^\s+/gm, ''), {bundle, file, host, verified: true})
}

/** A row of the events table as the case database holds it. */
export function caseEvent(over: Partial<CaseEvent> & Pick<CaseEvent, 'source' | 'data'>): CaseEvent {
  return {
    auid: null, bundle: 'IR-1_web1_20260303T000000Z', exe: null, host: 'web1', ip: null, kind: 'other', message: '', path: null, port: null,
    paths: null, ref: 'auth/events.jsonl:1', success: null, time: '2026-03-03T10:00:00.000Z', uid: null, user: null, verified: true, weight: 1, ...over,
  }
}

/** Syslog lines (auth.log / secure) parsed as the auth collector does, as rows of the events table. */
export function authRows(lines: readonly string[], source = '/var/log/auth.log'): CaseEvent[] {
  return lines.map((line, i) => {
    const event = parseAuthLine(line, {referenceTime: new Date('2026-12-31T00:00:00Z'), source, timeZone: 'UTC'})
    if (event === null) throw new Error(`not a syslog line: ${line}`)
    return caseEvent({data: JSON.stringify(event), host: event.host, ip: event.ip, kind: event.kind, ref: `auth/events.jsonl:${i + 1}`, source: 'auth', time: event.time, user: event.user})
  })
}
