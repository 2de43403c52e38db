/** Pulls every `hipaa-ir ...` command out of the runbooks' ```sh blocks and turns it into argv (no shell). */
import {readdir, readFile} from 'node:fs/promises'
import {join} from 'node:path'

export interface RunbookCommand {
  runbook: string
  line: string
  /** Exit codes the runbook calls normal for it (`# exit 0 or 4`); default 0. */
  allowed: number[]
}

export async function runbookFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.md')).sort().map((f) => join(dir, f))
}

export function extractCommands(runbook: string, markdown: string): RunbookCommand[] {
  const out: RunbookCommand[] = []
  const blocks = markdown.matchAll(/^[ \t]*```sh\n([\s\S]*?)^[ \t]*```/gm)
  for (const block of blocks) {
    const joined = (block[1] ?? '').replaceAll(/[ \t]*\\\n\s*/g, ' ')
    for (const raw of joined.split('\n')) {
      const line = raw.trim()
      if (!line.startsWith('hipaa-ir ')) continue
      const exit = /#\s*exit\s+(\d+(?:\s+or\s+\d+)*)/.exec(line)
      out.push({allowed: exit === null ? [0] : (exit[1] ?? '0').split(/\s+or\s+/).map(Number), line, runbook})
    }
  }
  return out
}

/** Splits a command line the way sh would for the quoting used in runbooks: "..." and '...', $VAR and ${VAR}, # comments. */
export function toArgv(line: string, vars: Record<string, string>): string[] {
  const words: string[] = []
  let word: string | undefined
  let i = 0
  const expand = (): string => {
    const m = /^\$(?:\{([A-Z_][A-Z0-9_]*)\}|([A-Z_][A-Z0-9_]*))/.exec(line.slice(i))
    if (m === null) {
      i++
      return '$'
    }
    const name = (m[1] ?? m[2]) as string
    const value = vars[name]
    if (value === undefined) throw new Error(`runbook uses $${name}, which the test does not define: ${line}`)
    i += m[0].length
    return value
  }
  while (i < line.length) {
    const c = line[i] as string
    if (c === ' ' || c === '\t') {
      if (word !== undefined) words.push(word)
      word = undefined
      i++
    } else if (c === '#' && word === undefined) {
      break
    } else if (c === '"') {
      word ??= ''
      i++
      while (i < line.length && line[i] !== '"') word += line[i] === '$' ? expand() : line[i++]
      i++
    } else if (c === "'") {
      word ??= ''
      const end = line.indexOf("'", i + 1)
      word += line.slice(i + 1, end)
      i = end + 1
    } else if (c === '$') {
      word = (word ?? '') + expand()
    } else {
      word = (word ?? '') + c
      i++
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

export async function readRunbook(path: string): Promise<string> {
  return readFile(path, 'utf8')
}
