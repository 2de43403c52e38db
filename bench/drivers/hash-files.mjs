// Driver for benchmark 2: hashes every regular file in a folder with hipaa-ir's own SHA-256 code
// (hashRegularFileSafely, the function the PHI walk uses) at the PHI walk's concurrency, and prints
// one `HASH  PATH` line per file, like sha256sum. Usage: node bench/drivers/hash-files.mjs DIR [CONCURRENCY]
import {lstatSync, readdirSync} from 'node:fs'
import {join} from 'node:path'

import {HASH_CONCURRENCY} from '../../dist/collectors/runners/phi-walk.js'
import {hashRegularFileSafely} from '../../dist/io/evidence-fs.js'

const [dir, limitArg] = process.argv.slice(2)
const limit = Number(limitArg ?? HASH_CONCURRENCY)
const files = readdirSync(dir).sort().map((name) => join(dir, name))
const lines = new Array(files.length)
let next = 0
async function worker() {
  while (next < files.length) {
    const i = next++
    const stat = lstatSync(files[i])
    const {sha256} = await hashRegularFileSafely(files[i], {dev: stat.dev, ino: stat.ino})
    lines[i] = `${sha256}  ${files[i]}`
  }
}
await Promise.all(Array.from({length: limit}, worker))
process.stdout.write(`${lines.join('\n')}\n`)
