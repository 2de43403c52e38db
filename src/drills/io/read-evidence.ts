import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {errnoCode} from '../../core/errors.js'
import type {AuditRow, AuthRow, DrillEvidence, PhiFileRow} from '../findings.js'

async function readJsonl(path: string): Promise<Record<string, unknown>[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return []
    throw error
  }
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
}

const str = (v: unknown): null | string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null)

/** The rows of auth/events.jsonl, audit/events.jsonl and phi-files/recently-modified.jsonl of a bundle folder. */
export async function readDrillEvidence(bundleDir: string): Promise<DrillEvidence> {
  const auth: AuthRow[] = (await readJsonl(join(bundleDir, 'auth/events.jsonl'))).map((r) => ({
    ip: str(r.ip), kind: str(r.kind) ?? 'other', time: str(r.time) ?? '', user: str(r.user),
  }))
  const audit: AuditRow[] = (await readJsonl(join(bundleDir, 'audit/events.jsonl'))).map((r) => ({
    auid: str(r.auid), exe: str(r.exe), key: str(r.key), paths: Array.isArray(r.paths) ? r.paths.filter((p): p is string => typeof p === 'string') : [],
  }))
  const phiFiles: PhiFileRow[] = (await readJsonl(join(bundleDir, 'phi-files/recently-modified.jsonl'))).map((r) => ({
    path: str(r.path) ?? '', type: str(r.type) ?? 'file',
  }))
  return {audit, auth, phiFiles}
}
