// Copies the data files that ship beside compiled modules (collector and rule definitions, *.yaml)
// from src/ into dist/, keeping their folders, so the program reads them next to its own code.
import {copyFile, mkdir, readdir} from 'node:fs/promises'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = join(root, 'src')
const dist = join(root, 'dist')
let count = 0
async function walk(dir) {
  for (const entry of await readdir(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && entry.name !== 'templates') await walk(path)
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) {
      const target = join(dist, relative(src, path))
      await mkdir(dirname(target), {recursive: true})
      await copyFile(path, target)
      count++
    }
  }
}
await walk(src)
console.error(`assets: ${count} definition files copied to dist/`)
