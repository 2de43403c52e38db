#!/usr/bin/env bash
# Quick start: build hipaa-ir if needed, then collect this machine into a local bundle.
# No bucket, no key and no configuration needed; extra arguments go to `hipaa-ir collect`.
# Where the system's Node.js is older than 22 (or missing), the pinned Node.js 24 is installed into .node/ first.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=node-runtime.sh
. scripts/node-runtime.sh
if [ ! -d node_modules ]; then npm ci --no-audit --no-fund --silent; fi
if [ ! -f dist/commands/collect.js ] || [ -n "$(find src -newer dist/commands/collect.js -name '*.ts' -print -quit)" ]; then
  log="$(mktemp)"
  npm run --silent build >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
  rm -f "$log"
fi

# The bundle goes to ./evidence when this checkout is ours; when it belongs to another user (a clone
# made as yourself, run with sudo), collect would rightly refuse a folder that user could swap, so the
# evidence goes to our own home instead.
out="${HIPAA_IR_OUT:-}"
if [ -z "$out" ]; then
  if [ "$(stat -c %u .)" = "$(id -u)" ]; then out=./evidence
  else out="$(getent passwd "$(id -u)" | cut -d: -f6)/hipaa-ir-evidence"; fi
fi
exec node bin/run.js collect --case "${HIPAA_IR_CASE:-QUICKSTART}" --out-dir "$out" "$@"
