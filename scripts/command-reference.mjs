// Writes docs/commands.md, the command reference, from the built CLI's own help (what `hipaa-ir help COMMAND`
// prints, at a fixed width, without colour). `node scripts/command-reference.mjs --check` exits 1 when the file
// is stale; test/commands/reference.test.ts runs that check. Run `npm run build` first.
import {Config} from '@oclif/core/config'
import {Help} from '@oclif/core/help'
import {readFile, writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

process.env.OCLIF_COLUMNS = '100'
process.env.NO_COLOR = '1'
process.env.FORCE_COLOR = '0'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = new URL('../docs/commands.md', import.meta.url)

const config = await Config.load({root})
const help = new Help(config, {maxWidth: 100, stripAnsi: true})
const commands = config.commands
  .filter((c) => !c.hidden && c.pluginName === config.name)
  .sort((a, b) => a.id.localeCompare(b.id))
const plugins = config.commands
  .filter((c) => !c.hidden && c.pluginName !== config.name)
  .sort((a, b) => a.id.localeCompare(b.id))

const spaced = (id) => id.replaceAll(':', ' ')
// Anchors as GitHub makes them from a heading: lower case, spaces to dashes, other punctuation dropped.
const anchor = (id) => `hipaa-ir-${spaced(id).replaceAll(' ', '-')}`
const stripAnsi = (s) => s.replaceAll(/\u001B\[[0-9;]*m/g, '')
const summary = (c) => (c.summary ?? c.description?.split('\n')[0] ?? '').replaceAll('<%= config.bin %>', config.bin)

const parts = [
  '# Command reference',
  '',
  'Generated from the CLI\'s own help by `node scripts/command-reference.mjs` (run `npm run build` first);',
  'a test fails when this file is stale. `hipaa-ir help COMMAND` (or `COMMAND --help`, `-h`) prints the same.',
  'Exit codes, the bundle layout and the JSON shapes are in the README and the contract.',
  '',
  ...commands.map((c) => `- [\`hipaa-ir ${spaced(c.id)}\`](#${anchor(c.id)}): ${summary(c)}`),
  '',
  `Also, from oclif's plugins: ${plugins.map((c) => `\`hipaa-ir ${spaced(c.id)}\` (${summary(c).replace(/\.$/, '').toLowerCase()})`).join(', ')}.`,
  '',
]
for (const command of commands) {
  parts.push(`## \`hipaa-ir ${spaced(command.id)}\``, '', '```', stripAnsi(help.formatCommand(command)).trimEnd(), '```', '')
}
const text = `${parts.join('\n').trimEnd()}\n`

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '')
  if (current !== text) {
    console.error('docs/commands.md is stale: run `npm run build && node scripts/command-reference.mjs`')
    process.exit(1)
  }
} else {
  await writeFile(target, text)
}
