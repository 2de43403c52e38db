# shellcheck shell=bash
# Sourced by scripts/quickstart.sh and .ci/run: puts a supported Node.js (22 or 24) first on PATH.
#
# When the system's node is 22 or newer it is used as it is. Otherwise (older, or none at all) the
# pinned Node 24 LTS is installed from the npm registry's node-linux-<arch> package (the official
# binary inside a registry package) into .node/ of the project (git-ignored), checked against the
# pinned integrity, and used from there. The system's Node is never touched.
#
#   HIPAA_IR_NODE=system   use the system's node whatever its version (for trying other runtimes)
#   HIPAA_IR_NODE=22       use the pinned Node 22 instead of 24 (CI's quick run on the older LTS)

hipaa_ir_node_setup() {
  local project want version integrity arch dir
  project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  want="${HIPAA_IR_NODE:-24}"
  if [ "$want" = system ]; then return 0; fi

  # The pinned releases: version and the registry's sha512 integrity of each package.
  case "$want:$(uname -m)" in
    24:x86_64) version=24.21.0 arch=x64 integrity='sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==' ;;
    24:aarch64) version=24.21.0 arch=arm64 integrity='sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==' ;;
    22:x86_64) version=22.23.3 arch=x64 integrity='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==' ;;
    *) echo "hipaa-ir: no pinned Node.js $want for $(uname -m); install Node.js 22 or 24 yourself" >&2; return 1 ;;
  esac

  # A system node that is already supported wins, unless a specific pinned runtime was asked for.
  if [ -z "${HIPAA_IR_NODE:-}" ] && command -v node >/dev/null 2>&1; then
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$major" -ge 22 ] 2>/dev/null; then return 0; fi
  fi

  dir="$project/.node/$version"
  if [ ! -x "$dir/bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      # npm fetches the runtime; Debian's npm (with its older Node) is enough for that.
      if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "hipaa-ir: installing Debian's npm to fetch Node.js $version" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null ||
          { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; }
      else
        echo "hipaa-ir: needs npm to install Node.js $version (as root: apt-get install npm)" >&2
        return 1
      fi
    fi
    if [ -n "${HIPAA_IR_NODE:-}" ]; then echo "hipaa-ir: installing the pinned Node.js $version into .node/ (once)" >&2
    else echo "hipaa-ir: the system's Node.js is older than 22 (or missing); installing Node.js $version into .node/ (once)" >&2; fi
    local tmp got
    tmp="$(mktemp -d)"
    got="$(cd "$tmp" && npm pack --silent --json "node-linux-$arch@$version" | node -e \
      'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>{const [p]=JSON.parse(s);console.log(p.integrity+" "+p.filename)})' 2>/dev/null)" || got=""
    if [ "${got%% *}" != "$integrity" ]; then
      rm -rf "$tmp"
      echo "hipaa-ir: node-linux-$arch@$version from the registry does not match the pinned integrity; not installed" >&2
      return 1
    fi
    mkdir -p "$dir"
    tar -xzf "$tmp/${got#* }" -C "$dir" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
}

hipaa_ir_node_setup
