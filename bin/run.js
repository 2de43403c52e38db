#!/usr/bin/env node
// hipaa-ir supports Node.js 22 and 24 (LTS). On an older node it hands over to the project's pinned runtime
// in .node/ (scripts/node-runtime.sh installs it) or says how to get one: never run on an unsupported runtime.
const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  const {handOver} = await import('./runtime.js')
  process.exit(await handOver(process.argv.slice(2)))
}

// Sealing compresses on every core through libuv's thread pool (src/io/parallel-gzip.ts), which
// has four threads unless told otherwise before its first use.
const {availableParallelism} = await import('node:os')
process.env.UV_THREADPOOL_SIZE ??= String(Math.min(8, Math.max(4, availableParallelism())))

// oclif wraps error messages at 80 columns when stderr is not a terminal. In a log file or a CI transcript
// that splits a path or a fix-it command across lines; keep each message on one line there instead.
if (!process.stderr.isTTY) process.env.OCLIF_COLUMNS ??= '1000'

// `hipaa-ir --version` prints what oclif prints (its user agent) without loading oclif, which alone
// costs about a quarter of a second of start-up (see docs/benchmarks.md).
if (process.argv[2] === '--version' || process.argv[2] === '-v') {
  const {readFileSync} = await import('node:fs')
  const {arch, platform} = await import('node:os')
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${platform()}-${arch()} node-${process.version}\n`)
} else {
  // oclif's execute entry alone, not its index (which loads every part of oclif up front).
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
