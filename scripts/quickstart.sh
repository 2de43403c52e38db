#!/usr/bin/env bash
# Quick start: build hipaa-ir if needed, then collect this machine into a local bundle.
# No bucket, no key and no configuration needed; extra arguments go to `hipaa-ir collect`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "hipaa-ir needs Node.js 20.19 or newer (and npm) on PATH." >&2
  exit 1
fi
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund --silent; fi
if [ ! -f dist/commands/collect.js ] || [ -n "$(find src -newer dist/commands/collect.js -name '*.ts' -print -quit)" ]; then
  npm run --silent build
fi

exec node bin/run.js collect --case "${HIPAA_IR_CASE:-QUICKSTART}" --out-dir "${HIPAA_IR_OUT:-./evidence}" "$@"
