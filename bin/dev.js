#!/usr/bin/env -S node --import tsx
// Same as bin/run.js: one-line error messages when stderr is not a terminal (see there).
if (!process.stderr.isTTY) process.env.OCLIF_COLUMNS ??= '1000'
const {execute} = await import('@oclif/core')

await execute({development: true, dir: import.meta.url})
