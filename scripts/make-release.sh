#!/usr/bin/env bash
# Builds the self-contained release that hosts install (fleet collection, or a copy by hand):
#   DIR/hipaa-ir-VERSION-linux-ARCH.tar.gz and its .sha256 (sha256sum format)
# holding the built CLI, its production dependencies and the pinned Node.js 24 runtime, so a host needs
# nothing installed. Unpack anywhere and run ./hipaa-ir (a launcher for the bundled node).
#   scripts/make-release.sh [DIR]          DIR defaults to ./release
# The tarball is reproducible for a given checkout and runtime: sorted names, root owner, fixed mtimes.
set -euo pipefail
cd "$(dirname "$0")/.."
project="$(pwd)"
out="$(mkdir -p "${1:-release}" && cd "${1:-release}" && pwd)"

HIPAA_IR_NODE=24 . scripts/node-runtime.sh
node_bin="$(command -v node)"
node_version="$(node -p process.versions.node)"
version="$(node -p 'require("./package.json").version')"
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
name="hipaa-ir-$version-linux-$arch"

[ -d node_modules ] || npm ci --no-audit --no-fund --silent

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
app="$stage/$name"
mkdir -p "$app/.node/$node_version/bin"
cp -R bin package.json package-lock.json tsconfig.json README.md "$app/"
mkdir -p "$app/src" "$app/scripts" && cp -R src/. "$app/src/" && cp scripts/build-manifest.mjs scripts/copy-assets.mjs "$app/scripts/"

# Built in the staging copy, never in the checkout (tests may be running the checkout's dist/), as for
# production: oclif's manifest then points at dist/, not at the TypeScript sources.
ln -s "$project/node_modules" "$app/node_modules"
log="$(mktemp)"
(cd "$app" && NODE_ENV=production "$project/node_modules/.bin/tsc" -p tsconfig.json && node scripts/copy-assets.mjs && NODE_ENV=production node scripts/build-manifest.mjs) >"$log" 2>&1 ||
  { cat "$log" >&2; rm -f "$log"; exit 1; }
rm -f "$log" "$app/node_modules"
# Kept from src/: the templates and the fleet playbook (a controller running from the release needs it).
find "$app/src" -mindepth 1 -maxdepth 1 ! -name templates ! -name fleet -exec rm -rf {} +
find "$app/src/fleet" -mindepth 1 -maxdepth 1 ! -name playbook -exec rm -rf {} +
rm -rf "$app/scripts" "$app/tsconfig.json"
find "$app/dist" -name '*.map' -delete
[ -f LICENSE ] && cp LICENSE "$app/"
cp "$node_bin" "$app/.node/$node_version/bin/node"
cp "$(dirname "$node_bin")/../LICENSE" "$app/.node/$node_version/LICENSE" 2>/dev/null || true
(cd "$app" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --silent && rm -f package-lock.json)
cat >"$app/hipaa-ir" <<LAUNCHER
#!/bin/sh
# hipaa-ir $version with its own Node.js $node_version: nothing else needs to be installed.
here="\$(cd "\$(dirname "\$0")" && pwd)"
exec "\$here/.node/$node_version/bin/node" "\$here/bin/run.js" "\$@"
LAUNCHER
chmod 0755 "$app/hipaa-ir"

epoch="$(git -C "$project" log -1 --format=%ct 2>/dev/null || echo 0)"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --mode='go-w' \
  -C "$stage" -cf - "$name" | gzip -n -6 >"$out/$name.tar.gz.partial"
mv "$out/$name.tar.gz.partial" "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$out/$name.tar.gz"
