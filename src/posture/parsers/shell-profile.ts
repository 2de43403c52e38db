import type {LineEvidence, TextFile} from '../types.js'
import {numberedLines, stripHashComment} from './lines.js'

export interface TmoutState {
  /** Every line that assigns TMOUT or marks it readonly, in reading order. */
  evidence: LineEvidence[]
  readonly: boolean
  /** The value in force after every file ran (a readonly variable cannot be changed later). */
  value?: string
  /** Assignments bash would refuse because TMOUT was already readonly. */
  ignored: LineEvidence[]
}

function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2')
}

/**
 * Simulates, line by line, what login shells do with TMOUT in the given scripts (read in order):
 * `TMOUT=N`, `export TMOUT=N`, `readonly TMOUT[=N]`, `declare -r[x] TMOUT[=N]`, `typeset -r`,
 * several commands per line separated by `;` or `&&`. Conditionals are not evaluated: a line counts
 * as if it runs.
 */
export function tmoutFromProfiles(files: TextFile[]): TmoutState {
  const state: TmoutState = {evidence: [], ignored: [], readonly: false}
  for (const file of files) {
    for (const {line, text} of numberedLines(file.text)) {
      const body = stripHashComment(text)
      if (!/\bTMOUT\b/.test(body)) continue
      const evidence = {file: file.path, line, text: text.trim()}
      let touched = false
      for (const command of body.split(/;|&&|\|\|/)) {
        const words = command.trim().split(/\s+/)
        let index = 0
        while (['then', 'do', 'else', '{'].includes(words[index] ?? '')) index++
        let builtin = words[index] ?? ''
        let markReadonly = false
        if (builtin === 'readonly') markReadonly = true
        if (builtin === 'declare' || builtin === 'typeset' || builtin === 'local') {
          for (let option = index + 1; (words[option] ?? '').startsWith('-'); option++) {
            if ((words[option] ?? '').includes('r')) markReadonly = true
            index = option
          }
        }
        if (['readonly', 'export', 'declare', 'typeset'].includes(builtin)) index++
        else builtin = ''
        for (const word of words.slice(index)) {
          const assignment = /^TMOUT=(.*)$/.exec(word)
          if (word !== 'TMOUT' && assignment === null) continue
          touched = true
          if (assignment !== null) {
            if (state.readonly) state.ignored.push(evidence)
            else state.value = unquote(assignment[1] ?? '')
          }
          if (markReadonly) state.readonly = true
        }
      }
      if (touched) state.evidence.push(evidence)
    }
  }
  return state
}
