#!/usr/bin/env bash
# Fleet timings on N lab hosts (scripts/fleet-lab.sh; needs root, ansible-core, openssh-server, socat)
# against the local Object Lock server (scripts/local-s3.sh, started if needed; S3_PORT/S3_MON_PORT
# honoured). Not part of CI: ten hosts take minutes on a small machine.
#   bench/fleet.sh [N] [RELEASE]     N defaults to 10; RELEASE to a fresh scripts/make-release.sh build
# Prints: a fresh run (install + collect + push), the same case again (every host skipped on the host),
# and a retry with nothing to do; then verifies every bundle from S3.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10}"
work="$(mktemp -d)"
lab="$work/lab"
cleanup() { bash scripts/fleet-lab.sh down "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
. scripts/node-runtime.sh
[ -f dist/commands/fleet/collect.js ] || npm run build >/dev/null
release="${2:-}"
if [ -z "$release" ]; then echo "building the release ..."; release="$(bash scripts/make-release.sh "$work/release" | tail -1)"; fi
bash scripts/local-s3.sh start .s3 >/dev/null
set -a && . .s3/env && set +a
bucket="bench-fleet-$(date +%s)"
bash scripts/local-s3.sh mkbucket "$bucket" >/dev/null
port="$(echo "$AWS_ENDPOINT_URL_S3" | sed -E 's/.*:([0-9]+).*/\1/')"
S3_PORT="$port" bash scripts/fleet-lab.sh up "$n" "$lab" >/dev/null
case_id="BENCH-$n-$(date +%s)"
args=(--inventory "$lab/inventory.ini" --case "$case_id" --bucket "$bucket" --release "$release" --mode governance --retain-days 1
  --phi-dir /srv/phi --evidence-dir /srv/hipaa-ir --no-become --parallel "$n")
timed() { local t0 t1 rc=0; t0=$(date +%s.%N); node bin/run.js "$@" >"$work/out.txt" 2>&1 || rc=$?; t1=$(date +%s.%N); printf '%6.1f s  exit %s  %s\n' "$(echo "$t1 - $t0" | bc)" "$rc" "$(grep -E '^[0-9]+ (done|partial|pending|failed|no-answer)|nothing to retry' "$work/out.txt" | head -1)"; }
echo "fleet of $n lab hosts, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
echo -n "fresh (install + collect + push): "; timed fleet collect "${args[@]}"
echo -n "same case again (all skipped):    "; timed fleet collect "${args[@]}"
echo -n "retry, nothing to do:             "; timed fleet retry "${args[@]}"
t0=$(date +%s.%N); ok=0
for key in $(node bin/run.js fleet collect "${args[@]}" --json | node -e 'const d=JSON.parse(require("fs").readFileSync(0,"utf8"));for(const h of d.hosts)console.log(h.key)'); do
  node bin/run.js verify "s3://$bucket/$key" --mode governance >/dev/null && ok=$((ok + 1))
done
printf 'verify from S3: %d of %d bundles ok in %.1f s\n' "$ok" "$n" "$(echo "$(date +%s.%N) - $t0" | bc)"
