// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): self time per package (or file) and the
// heaviest functions, so docs/benchmarks.md can show where the time goes.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [--by file|package] [--top N]
import {readFile} from 'node:fs/promises'

export async function summarizeProfile(path, {by = 'package', top = 12} = {}) {
  const profile = JSON.parse(await readFile(path, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const selfMs = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + dt)
  }
  const groups = new Map()
  const functions = new Map()
  let total = 0
  for (const [id, ms] of selfMs) {
    const {callFrame} = byId.get(id)
    total += ms
    const group = groupOf(callFrame.url, by) || `(${callFrame.functionName || 'program'})`
    groups.set(group, (groups.get(group) ?? 0) + ms)
    const fn = `${callFrame.functionName || '(anonymous)'} ${shortUrl(callFrame.url)}:${callFrame.lineNumber + 1}`
    functions.set(fn, (functions.get(fn) ?? 0) + ms)
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => ({ms: Math.round(ms), name, share: ms / total}))
  return {functions: sorted(functions), groups: sorted(groups), totalMs: Math.round(total)}
}

function shortUrl(url) {
  return url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(dist|src|bench)\//, '$1/')
}

function groupOf(url, by) {
  if (!url) return ''
  if (url.startsWith('node:')) return 'node:internal'
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return by === 'file' ? shortUrl(url) : m[1]
  return by === 'file' ? shortUrl(url) : 'hipaa-ir'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2)
  const by = rest.includes('--by') ? rest[rest.indexOf('--by') + 1] : 'package'
  const top = rest.includes('--top') ? Number(rest[rest.indexOf('--top') + 1]) : 12
  const s = await summarizeProfile(file, {by, top})
  console.log(`total sampled: ${s.totalMs} ms`)
  for (const g of s.groups) console.log(`${String(g.ms).padStart(7)} ms ${(g.share * 100).toFixed(1).padStart(5)}%  ${g.name}`)
  console.log('heaviest functions (self time):')
  for (const f of s.functions) console.log(`${String(f.ms).padStart(7)} ms ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`)
}
