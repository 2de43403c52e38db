// Writes oclif.manifest.json (what `oclif manifest` writes) so the CLI loads only the command it runs.
import {Plugin} from '@oclif/core'
import {writeFile} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({errorOnManifestCreate: true, ignoreManifest: true, respectNoCacheDefault: true, root, type: 'core'})
await plugin.load()
const count = Object.keys(plugin.manifest.commands).length
if (count === 0) throw new Error('no commands found: run the TypeScript build first')
await writeFile(new URL('../oclif.manifest.json', import.meta.url), `${JSON.stringify(plugin.manifest, null, 2)}\n`)
console.error(`oclif.manifest.json: ${count} commands`)
