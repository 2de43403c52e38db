import {join} from 'node:path'

import {JsonlWriter} from '../../io/evidence-fs.js'
import {historyShell, parseBashHistory, parseZshHistory} from '../parsers/shell-history.js'
import type {CollectorEngine} from './context.js'
import {findHomes, readAccounts} from './homes.js'
import {SystemFiles} from './system-files.js'

/** bash's default HISTFILE, then zsh's usual ones (oh-my-zsh and most distributions: .zsh_history; zsh's own example: .histfile). */
const HISTORY_FILES = ['.bash_history', '.zsh_history', '.zhistory', '.histfile']

/**
 * Every line of the bash and zsh histories in every home (root's included), in
 * `shell-history/history.jsonl`: user, shell, path, position, time where the file records one
 * (bash with HISTTIMEFORMAT, zsh's extended history), command. The lines themselves are the copy: no
 * raw file is kept beside them. Each file's SHA-256 and mtime go to the acquisition log.
 */
export const runShellHistory: CollectorEngine = async (context) => {
  const files = new SystemFiles(context, 'shell-history', context.planned.spec.maxOutputBytes)
  const homes = findHomes(files, readAccounts(files))
  const out = new JsonlWriter(join(context.outDir, 'history.jsonl'))
  const done = new Set<string>()
  let read = 0
  try {
    for (const {home, user} of homes) {
      for (const name of HISTORY_FILES) {
        const file = files.read(`${home.replace(/\/$/, '')}/${name}`)
        if (file === undefined || done.has(file.id)) continue
        done.add(file.id)
        read++
        const shell = historyShell(name)
        const lines = shell === 'zsh' ? parseZshHistory(file.text) : parseBashHistory(file.text)
        for (const line of lines) out.add(JSON.stringify({command: line.command, n: line.n, path: file.seen, shell, time: line.time, user}))
        await out.settle()
        files.note(file.seen, `${lines.length} commands; sha256 ${file.sha256}; mtime ${file.mtime}`)
      }
    }
  } finally {
    await out.close()
  }
  const {reason, status} = files.outcome()
  return {commands: [], counts: {files: read, lines: out.count}, files: ['shell-history/history.jsonl'], status, warnings: [], ...(reason ? {reason} : {})}
}
