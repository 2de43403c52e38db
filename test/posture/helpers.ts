import {chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ExecFn, ExecRequest, ExecResult} from '../../src/io/exec.js'
import type {FileView, PathStat} from '../../src/posture/types.js'

export const fixturesDir = fileURLToPath(new URL('../fixtures/posture/', import.meta.url))

/** An in-memory system: `files` maps system paths to text; directories are implied by the paths. */
export function memoryView(files: Record<string, string>, modes: Record<string, PathStat> = {}): FileView {
  const dirs = new Set<string>()
  for (const file of Object.keys(files)) {
    const parts = file.split('/')
    for (let index = 1; index < parts.length; index++) dirs.add(parts.slice(0, index).join('/') || '/')
  }
  return {
    list(dir) {
      const prefix = dir === '/' ? '/' : `${dir}/`
      if (!dirs.has(dir)) return undefined
      const names = new Set<string>()
      for (const file of [...Object.keys(files), ...dirs]) if (file.startsWith(prefix) && file !== dir) names.add(file.slice(prefix.length).split('/')[0] ?? '')
      return [...names].filter((name) => name !== '')
    },
    lstat(target) {
      if (modes[target] !== undefined) return modes[target]
      if (files[target] !== undefined) return {gid: 0, mode: 0o100644, size: files[target].length, type: 'file', uid: 0}
      return dirs.has(target) ? {gid: 0, mode: 0o40755, size: 0, type: 'dir', uid: 0} : undefined
    },
    read(target) {
      const text = files[target]
      return text === undefined ? undefined : {path: target, text}
    },
  }
}

/** A copy of a fixture root in a fresh temp dir, with the PHI directory created at `phiMode` (git keeps no empty dirs or modes). */
export function fixtureCopy(name: string, phiMode: number | null = 0o750): {cleanup: () => void; root: string} {
  const base = mkdtempSync(path.join(tmpdir(), 'posture-'))
  const root = path.join(base, name)
  cpSync(path.join(fixturesDir, name), root, {recursive: true, verbatimSymlinks: true})
  if (phiMode !== null) {
    const phi = path.join(root, 'var/data/phi')
    mkdirSync(phi, {recursive: true})
    chmodSync(phi, phiMode)
  }
  return {cleanup: () => rmSync(base, {force: true, recursive: true}), root}
}

export function execResult(argv: readonly string[], stdout: string, overrides: Partial<ExecResult> = {}): ExecResult {
  return {
    argv: [...argv],
    bytes: Buffer.byteLength(stdout),
    durationMs: 1,
    exitCode: 0,
    notFound: false,
    signal: null,
    startedAt: '2026-03-03T00:00:00.000Z',
    stderr: '',
    stdout: Buffer.from(stdout),
    timedOut: false,
    truncated: false,
    ...overrides,
  }
}

/** A fake exec: answers by program name (basename of argv[0]); unknown programs are "not installed". */
export function fakeExec(answers: Record<string, (argv: readonly string[]) => ExecResult>): {calls: ExecRequest[]; exec: ExecFn} {
  const calls: ExecRequest[] = []
  const exec: ExecFn = async (request) => {
    calls.push(request)
    const program = (request.argv[0] ?? '').split('/').pop() ?? ''
    const answer = answers[program]
    return answer === undefined ? execResult(request.argv, '', {error: `${program}: not found on PATH`, exitCode: null, notFound: true}) : answer(request.argv)
  }
  return {calls, exec}
}
