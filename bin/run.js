#!/usr/bin/env node
// The AWS SDK warns on every run under Node 20 about its future Node 22 requirement; hipaa-ir pins the SDK and
// supports the machine's Node 20, so the warning would only be noise on an incident responder's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

// Sealing compresses on every core through libuv's thread pool (src/io/parallel-gzip.ts), which
// has four threads unless told otherwise before its first use.
const {availableParallelism} = await import('node:os')
process.env.UV_THREADPOOL_SIZE ??= String(Math.min(8, Math.max(4, availableParallelism())))

// oclif wraps error messages at 80 columns when stderr is not a terminal. In a log file or a CI transcript
// that splits a path or a fix-it command across lines; keep each message on one line there instead.
if (!process.stderr.isTTY) process.env.OCLIF_COLUMNS ??= '1000'

// `hipaa-ir --version` prints what oclif prints (its user agent) without loading oclif, which alone
// costs about a quarter of a second of start-up (see docs/benchmarks.md).
if (process.argv[2] === '--version') {
  const {readFileSync} = await import('node:fs')
  const {arch, platform} = await import('node:os')
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`${name}/${version} ${platform()}-${arch()} node-${process.version}\n`)
} else {
  // oclif's execute entry alone, not its index (which loads every part of oclif up front).
  const {execute} = await import('@oclif/core/execute')
  await execute({dir: import.meta.url})
}
