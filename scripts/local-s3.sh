#!/usr/bin/env bash
# Throw-away S3 server with Object Lock on 127.0.0.1, for tests, drills and trials.
#
#   scripts/local-s3.sh start [DIR]           # exit 0 = ready; prints `export ...` lines, also written to DIR/env
#   scripts/local-s3.sh stop [DIR] [--purge]  # stops only what start started; --purge deletes DIR/ceph and DIR/env
#   scripts/local-s3.sh status [DIR]          # exit 0 when up and answering signed requests
#   scripts/local-s3.sh mkbucket NAME [DIR]    # creates bucket NAME with Object Lock enabled (for trials)
#
# It is a single-node Ceph cluster from Debian's packages (ceph-mon, ceph-osd on memstore, radosgw),
# without cephx and without systemd. Each start builds a fresh cluster: nothing survives a stop,
# which is the only way to get rid of objects under COMPLIANCE retention. DIR defaults to `.s3` in
# the project (git-ignored). Credentials are random on the first start and kept in DIR/credentials,
# so a restart of the same DIR keeps them.
#
# Knobs (environment): S3_PORT (7480), S3_MON_PORT (40789; msgr2 uses +1), S3_OBJECTSTORE
# (memstore | bluestore), S3_ACCESS_KEY / S3_SECRET_KEY, S3_REGION (us-east-1), S3_START_TIMEOUT
# (seconds per wait step, 120), S3_SKIP_INSTALL=1, S3_MEMSTORE_BYTES (4 GiB).
set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CMD="${1:-}"
DIR_ARG="${2:-}"
BUCKET=""
if [ "$CMD" = "mkbucket" ]; then BUCKET="${2:-}"; DIR_ARG="${3:-}"; fi
PURGE=0
for arg in "$@"; do [ "$arg" = "--purge" ] && PURGE=1; done
[ "$DIR_ARG" = "--purge" ] && DIR_ARG=""
DIR="${DIR_ARG:-$PROJECT_DIR/.s3}"

PORT="${S3_PORT:-7480}"
MON_PORT="${S3_MON_PORT:-40789}"
MON_PORT2=$((MON_PORT + 1))
OBJECTSTORE="${S3_OBJECTSTORE:-memstore}"
REGION="${S3_REGION:-us-east-1}"
WAIT="${S3_START_TIMEOUT:-120}"
MEMSTORE_BYTES="${S3_MEMSTORE_BYTES:-4294967296}"
PACKAGES=(ceph-mon ceph-osd radosgw curl)

die() { echo "local-s3: $*" >&2; exit 1; }
log() { echo "local-s3: $*" >&2; }

usage() {
  echo "usage: $0 start|stop|status [DIR] [--purge] | mkbucket NAME [DIR]" >&2
  exit 2
}

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
CEPH="$DIR/ceph"
CONF="$CEPH/ceph.conf"
RUN="$CEPH/run"
LOGS="$CEPH/log"
ENV_FILE="$DIR/env"
CRED_FILE="$DIR/credentials"
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# --- processes we own: pid files under DIR/ceph/run whose process names DIR's ceph.conf --------
owned_pid() { # $1 = pid; true when it is alive and was started with our ceph.conf
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$CONF"
}

owned_pids() { # every live process started with our conf: pid files first, then a /proc scan for leftovers
  local f pid seen=" "
  for f in "$RUN"/*.pid; do
    [ -e "$f" ] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    if owned_pid "$pid" && [[ "$seen" != *" $pid "* ]]; then echo "$pid"; seen="$seen$pid "; fi
  done
  for f in /proc/[0-9]*; do
    pid="${f#/proc/}"
    [ "$pid" = "$$" ] && continue
    if owned_pid "$pid" && [[ "$seen" != *" $pid "* ]]; then
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
        ceph-mon|ceph-osd|radosgw) echo "$pid"; seen="$seen$pid " ;;
      esac
    fi
  done
}

stop_daemons() {
  local pids pid i
  mapfile -t pids < <(owned_pids)
  [ "${#pids[@]}" -eq 0 ] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for i in $(seq 1 100); do
    local alive=()
    for pid in "${pids[@]}"; do owned_pid "$pid" && alive+=("$pid"); done
    [ "${#alive[@]}" -eq 0 ] && break
    if [ "$i" -eq 60 ]; then kill -KILL "${alive[@]}" 2>/dev/null || true; fi
    sleep 0.1
  done
  rm -f "$RUN"/*.pid
}

# --- credentials and env ---------------------------------------------------------------------
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }

load_credentials() {
  if [ -n "${S3_ACCESS_KEY:-}" ] && [ -n "${S3_SECRET_KEY:-}" ]; then
    ACCESS_KEY="$S3_ACCESS_KEY"; SECRET_KEY="$S3_SECRET_KEY"
  elif [ -r "$CRED_FILE" ]; then
    ACCESS_KEY="$(sed -n 's/^access_key=//p' "$CRED_FILE")"
    SECRET_KEY="$(sed -n 's/^secret_key=//p' "$CRED_FILE")"
  fi
  if [ -z "${ACCESS_KEY:-}" ] || [ -z "${SECRET_KEY:-}" ]; then
    ACCESS_KEY="HIR$(random_hex 8 | tr 'a-f' 'A-F')"
    SECRET_KEY="$(random_hex 20)"
  fi
  (umask 077; printf 'access_key=%s\nsecret_key=%s\n' "$ACCESS_KEY" "$SECRET_KEY" >"$CRED_FILE")
}

write_env() {
  (umask 077; cat >"$ENV_FILE" <<EOF
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$PORT
export AWS_REGION=$REGION
EOF
  )
  cat "$ENV_FILE"
}

probe() { # a signed ListBuckets answers 200
  curl -fsS -o /dev/null --max-time 5 \
    --aws-sigv4 "aws:amz:$REGION:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "http://127.0.0.1:$PORT/" 2>/dev/null
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() { # $1 = description; rest = command; polls every 0.1 s up to WAIT seconds
  local what="$1"; shift
  local deadline=$((SECONDS + WAIT))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && { log "timed out waiting for $what (logs: $LOGS)"; return 1; }
    sleep 0.1
  done
}

# --- install ---------------------------------------------------------------------------------
ensure_installed() {
  local missing=() p
  for p in ceph-mon ceph-osd radosgw radosgw-admin monmaptool curl; do command -v "$p" >/dev/null || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "${S3_SKIP_INSTALL:-0}" = "1" ] && die "missing ${missing[*]} and S3_SKIP_INSTALL=1"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing ${missing[*]}; run as root or install: apt-get install ${PACKAGES[*]}"
    sudo="sudo -n"
  fi
  log "installing ${PACKAGES[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >"$DIR/apt.log" 2>&1; then
    $sudo apt-get update -qq >>"$DIR/apt.log" 2>&1 || true
    $sudo apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >>"$DIR/apt.log" 2>&1 \
      || die "apt-get install failed (see $DIR/apt.log)"
  fi
}

# --- bootstrap -------------------------------------------------------------------------------
write_conf() {
  local fsid="$1"
  cat >"$CONF" <<EOF
# Throw-away single-node cluster written by scripts/local-s3.sh; rebuilt on every start.
[global]
fsid = $fsid
mon initial members = a
mon host = [v2:127.0.0.1:$MON_PORT2,v1:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
ms bind ipv6 = false
ms bind port min = 46800
ms bind port max = 47300
auth cluster required = none
auth service required = none
auth client required = none
# radosgw defaults to secure mode towards the mon, which cannot work without cephx.
ms mon client mode = crc
ms client mode = crc
ms mon cluster mode = crc
ms cluster mode = crc
ms mon service mode = crc
ms service mode = crc
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
paxos propose interval = 0.1
run dir = $RUN
pid file = $RUN/\$name.pid
admin socket = $RUN/\$name.asok
log file = $LOGS/\$name.log
log to stderr = false
err to stderr = false
mon data = $CEPH/mon/\$cluster-\$id
osd data = $CEPH/osd/\$cluster-\$id
osd objectstore = $OBJECTSTORE
memstore device bytes = $MEMSTORE_BYTES
osd max object name len = 460
osd max object namespace len = 64
keyring = /dev/null

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw relaxed region enforcement = true
rgw data = $CEPH/rgw
rgw enable usage log = false
EOF
}

bootstrap() {
  local fsid osd_uuid
  rm -rf "$CEPH"
  mkdir -p "$RUN" "$LOGS" "$CEPH/mon" "$CEPH/osd/ceph-0" "$CEPH/rgw"
  chmod 0700 "$DIR" "$CEPH"
  fsid="$(cat /proc/sys/kernel/random/uuid)"
  osd_uuid="$(cat /proc/sys/kernel/random/uuid)"
  write_conf "$fsid"

  monmaptool --create --clobber --fsid "$fsid" \
    --addv a "[v2:127.0.0.1:$MON_PORT2,v1:127.0.0.1:$MON_PORT]" "$CEPH/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$CEPH/monmap" >>"$LOGS/bootstrap.log" 2>&1
  ceph-mon -c "$CONF" -i a 9>&- >>"$LOGS/bootstrap.log" 2>&1
  wait_for "the monitor" timeout 5 ceph -c "$CONF" mon stat

  local id
  id="$(ceph -c "$CONF" osd new "$osd_uuid" 2>>"$LOGS/bootstrap.log")"
  [ "$id" = "0" ] || die "unexpected osd id '$id'"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$LOGS/bootstrap.log" 2>&1
  ceph-osd -c "$CONF" -i 0 9>&- >>"$LOGS/bootstrap.log" 2>&1
  wait_for "the osd" osd_up

  # radosgw talks to the mon before it forks, so a broken setup would hang it: bound it.
  timeout "$WAIT" radosgw -c "$CONF" -n client.rgw.a 9>&- >>"$LOGS/bootstrap.log" 2>&1 \
    || die "radosgw did not start (logs: $LOGS)"
  radosgw-admin -c "$CONF" -n client.rgw.a user create --uid=hipaa-ir --display-name="hipaa-ir local" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >/dev/null 2>>"$LOGS/bootstrap.log"
  wait_for "radosgw on 127.0.0.1:$PORT" probe
}

osd_up() { ceph -c "$CONF" osd stat --format json 2>/dev/null | grep -q '"num_up_osds":1'; }

daemons_alive() {
  local name
  for name in mon.a osd.0 client.rgw.a; do
    owned_pid "$(cat "$RUN/$name.pid" 2>/dev/null || true)" || return 1
  done
}

start() {
  ensure_installed
  load_credentials
  if daemons_alive && probe; then
    write_env
    return 0
  fi
  stop_daemons
  local p
  for p in "$PORT" "$MON_PORT" "$MON_PORT2"; do
    port_busy "$p" && die "port 127.0.0.1:$p is already in use by another program; set S3_PORT / S3_MON_PORT"
  done
  local t0=$SECONDS
  if ! bootstrap; then
    stop_daemons
    die "start failed; logs kept in $LOGS"
  fi
  log "ready on http://127.0.0.1:$PORT after $((SECONDS - t0)) s"
  write_env
}

status() {
  load_credentials
  daemons_alive && probe && { echo "local-s3: up on http://127.0.0.1:$PORT"; return 0; }
  echo "local-s3: down"; return 1
}

# A bucket with Object Lock enabled, signed with SigV4 by curl (no AWS CLI needed for a trial).
mkbucket() {
  [ -n "$BUCKET" ] || usage
  [ -r "$ENV_FILE" ] || die "not started: run $0 start first"
  # shellcheck disable=SC1090
  . "$ENV_FILE"
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' --aws-sigv4 "aws:amz:${AWS_REGION}:s3" \
    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    -H "x-amz-bucket-object-lock-enabled: true" -X PUT "$AWS_ENDPOINT_URL_S3/$BUCKET")
  case "$code" in
    200) log "bucket $BUCKET created with Object Lock" ;;
    409) log "bucket $BUCKET already exists" ;;
    *) die "creating bucket $BUCKET failed with HTTP $code" ;;
  esac
}

case "$CMD" in
  start|stop|status|mkbucket) ;;
  *) usage ;;
esac

# Serialise callers per DIR; the daemons close fd 9 so they never hold the lock.
exec 9>"$DIR/.lock"
flock 9

case "$CMD" in
  start) start ;;
  stop)
    stop_daemons
    if [ "$PURGE" = "1" ]; then rm -rf "$CEPH" "$ENV_FILE" "$CRED_FILE" "$DIR/apt.log"; fi
    ;;
  status) status ;;
  mkbucket) mkbucket ;;
esac
