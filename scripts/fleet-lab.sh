#!/usr/bin/env bash
# A test fleet on one machine, for `hipaa-ir fleet` tests and benchmarks (needs root, iproute2,
# util-linux, openssh-server, socat):
#
#   scripts/fleet-lab.sh up N LAB         N test hosts h1..hN; LAB is a folder of its own (made if missing)
#   scripts/fleet-lab.sh down LAB         removes everything `up` made; safe to repeat, and after a killed run
#   scripts/fleet-lab.sh down --stale     the same for every lab whose folder or creating process is gone
#   scripts/fleet-lab.sh cut HOST LAB     HOST stops answering (its address goes away)     / mend HOST LAB
#   scripts/fleet-lab.sh s3-off HOST LAB  HOST can no longer reach S3 (its bridge stops)   / s3-on HOST LAB
#
# Each host is a network, UTS and mount namespace with its own sshd, host name, /var/log, /srv (PHI
# in /srv/phi), /opt, /root and /run. Its address (10.231.0.1N on one end of a veth pair that lies wholly inside the namespace) exists only inside
# its own network namespace: the controller reaches sshd through `ip netns exec NS socat` as an SSH
# ProxyCommand, so no address, route or interface is added to this machine's own network, and
# ip_forward is never touched. S3: a host's 127.0.0.1:S3_PORT is a socat bridge over a UNIX socket to
# the S3 server on this machine's 127.0.0.1:S3_PORT (scripts/local-s3.sh); S3_PORT defaults to 7480.
#
# `up` writes LAB/inventory.ini (an ordinary Ansible inventory), LAB/ssh_config, LAB/known_hosts and the
# controller's key LAB/id_ed25519, all made for this lab. Every process `up` starts runs inside a
# namespace it made (except the root side of the S3 bridge, which has a pid file), so `down` ends
# them by their pids and deletes the namespaces.
set -euo pipefail

REGISTRY=/run/hipaa-ir-fleet-lab
NET=10.231.0

die() { echo "fleet-lab: $*" >&2; exit 2; }
need_root() { [ "$(id -u)" = 0 ] || die "needs root (network namespaces)"; }
lab_dir() { [ -n "${1:-}" ] || die "missing LAB folder"; mkdir -p "$1"; (cd "$1" && pwd); }
lab_id() { cat "$1/state/id"; }
ns_name() { echo "hirlab-$(lab_id "$1")-$2"; }
host_index() { [[ "$1" =~ ^h([0-9]+)$ ]] || die "no such host: $1 (hosts are h1..hN)"; echo "${BASH_REMATCH[1]}"; }

# kill PID only if its command line mentions WHAT (a pid file may be stale and the pid reused)
kill_if() {
  local pid="$1" what="$2"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$what"; then kill -TERM "$pid" 2>/dev/null || true; fi
}

start_root_bridge() { # LAB: this machine's side of the S3 bridge, UNIX socket -> 127.0.0.1:S3_PORT
  local lab="$1" port="$2"
  if [ -s "$lab/state/s3-bridge.pid" ] && kill -0 "$(cat "$lab/state/s3-bridge.pid")" 2>/dev/null; then return 0; fi
  rm -f "$lab/s3.sock"
  socat "UNIX-LISTEN:$lab/s3.sock,fork,mode=600" "TCP:127.0.0.1:$port" </dev/null >/dev/null 2>&1 &
  echo $! >"$lab/state/s3-bridge.pid"
  for _ in $(seq 100); do [ -S "$lab/s3.sock" ] && return 0; sleep 0.02; done
  die "the S3 bridge socket did not appear"
}

start_host_bridge() { # LAB HOST: the host's 127.0.0.1:S3_PORT -> the UNIX socket
  local lab="$1" h="$2" port ns
  port="$(cat "$lab/state/s3-port")"; ns="$(ns_name "$lab" "$h")"
  ip netns exec "$ns" socat "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "UNIX-CONNECT:$lab/s3.sock" </dev/null >/dev/null 2>&1 &
  echo $! >"$lab/$h/s3-bridge.pid"
  for _ in $(seq 100); do ip netns exec "$ns" ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0; sleep 0.02; done
  die "the S3 bridge of $h did not start"
}

stop_host_bridge() {
  local lab="$1" h="$2"
  [ -s "$lab/$h/s3-bridge.pid" ] || return 0
  kill_if "$(cat "$lab/$h/s3-bridge.pid")" "UNIX-CONNECT:$lab/s3.sock"
  rm -f "$lab/$h/s3-bridge.pid"
}

cmd_up() {
  need_root
  local n="${1:-}"; [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 89 ] || die "up N LAB: N must be 1..89"
  local lab; lab="$(lab_dir "${2:-}")"
  local port="${S3_PORT:-7480}"
  case "$lab/" in /root/* | /run/* | /opt/* | /srv/* | /var/log/*) die "LAB must not be under /root, /run, /opt, /srv or /var/log (each host mounts its own there)" ;; esac
  for tool in ip unshare socat ssh-keygen /usr/sbin/sshd; do command -v "$tool" >/dev/null || die "missing $tool (apt-get install iproute2 util-linux socat openssh-server)"; done
  mkdir -p "$lab/state" && chmod 0700 "$lab" "$lab/state"
  [ -s "$lab/state/id" ] || head -c 4 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$lab/state/id"
  echo "$port" >"$lab/state/s3-port"
  mkdir -p "$REGISTRY" && chmod 0700 "$REGISTRY"
  printf '%s\n%s\n' "$lab" "${FLEET_LAB_OWNER:-$PPID}" >"$REGISTRY/$(lab_id "$lab")"

  [ -f "$lab/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hipaa-ir-fleet-lab -f "$lab/id_ed25519"
  cp "$lab/id_ed25519.pub" "$lab/authorized_keys"
  start_root_bridge "$lab" "$port"

  : >"$lab/ssh_config.new"; : >"$lab/known_hosts.new"
  {
    echo "# hipaa-ir fleet lab: $n hosts, each in its own namespaces (scripts/fleet-lab.sh)"
    echo "[lab]"
  } >"$lab/inventory.ini.new"
  local i h ns addr d
  for i in $(seq 1 "$n"); do
    h="h$i"; ns="$(ns_name "$lab" "$h")"; addr="$NET.$((10 + i))"; d="$lab/$h"
    mkdir -p "$d"/{opt,srv/phi/patients,varlog,root,run} && chmod 0700 "$d" "$d/root"
    if ! ip netns list | grep -qw -- "$ns"; then
      ip netns add "$ns"
      echo "$ns" >>"$lab/state/netns"
      ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
      ip -n "$ns" link set lo up
      ip -n "$ns" link add eth0 type veth peer name eth1 && ip -n "$ns" link set eth1 up
      ip -n "$ns" addr add "$addr/24" dev eth0
      ip -n "$ns" link set eth0 up
    fi
    # What a collection should find on this host: a failed login in its own auth.log, a PHI file changed now.
    printf '%s %s sshd[%d]: Failed password for invalid user intruder%d from 203.0.113.%d port 4%d222 ssh2\n' \
      "$(date '+%b %e %H:%M:%S')" "$h" $((1000 + i)) "$i" "$i" "$i" >"$d/varlog/auth.log"
    echo "synthetic patient record for $h" >"$d/srv/phi/patients/p$i.txt"
    printf '127.0.0.1 localhost\n127.0.1.1 %s\n%s %s\n' "$h" "$addr" "$h" >"$d/hosts"
    : >"$d/resolv.conf" # no resolver: nothing inside a test host ever tries DNS
    [ -f "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "$h" -f "$d/ssh_host_ed25519_key"
    cat >"$d/sshd_config" <<CFG
ListenAddress $addr:22
HostKey $d/ssh_host_ed25519_key
PidFile /run/sshd.pid
AuthorizedKeysFile $lab/authorized_keys
StrictModes no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
MaxStartups 100:30:200
MaxSessions 50
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
CFG
    if ! { [ -s "$d/sshd.ppid" ] && kill -0 "$(cat "$d/sshd.ppid")" 2>/dev/null; }; then
      # The host's own views: host name, /opt, /srv, /var/log, /root, /run, /etc/hosts, resolv.conf.
      ip netns exec "$ns" unshare --uts --mount --propagation private -- sh -c '
        d="$1"; hostname "$2" &&
        mount --bind "$d/opt" /opt && mount --bind "$d/srv" /srv && mount --bind "$d/varlog" /var/log &&
        mount --bind "$d/root" /root && mount --bind "$d/run" /run && mkdir -p /run/sshd && chmod 0755 /run/sshd &&
        mount --bind "$d/hosts" /etc/hosts && mount --bind "$d/resolv.conf" /etc/resolv.conf &&
        exec /usr/sbin/sshd -D -f "$d/sshd_config" -E "$d/sshd.log"' sh "$d" "$h" </dev/null >/dev/null 2>&1 &
      echo $! >"$d/sshd.ppid"
      for _ in $(seq 200); do ip netns exec "$ns" ss -Hltn "sport = :22" 2>/dev/null | grep -q . && break; sleep 0.02; done
      ip netns exec "$ns" ss -Hltn "sport = :22" | grep -q . || die "sshd of $h did not start (see $d/sshd.log)"
    fi
    [ -s "$d/s3-bridge.pid" ] && kill -0 "$(cat "$d/s3-bridge.pid")" 2>/dev/null || start_host_bridge "$lab" "$h"
    printf 'Host %s\n  ProxyCommand ip netns exec %s socat STDIO TCP:%%h:%%p\n\n' "$addr" "$ns" >>"$lab/ssh_config.new"
    printf '%s %s\n' "$addr" "$(cut -d' ' -f1,2 "$d/ssh_host_ed25519_key.pub")" >>"$lab/known_hosts.new"
    echo "$h ansible_host=$addr" >>"$lab/inventory.ini.new"
  done
  cat >>"$lab/ssh_config.new" <<CFG
Host *
  User root
  IdentityFile $lab/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $lab/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
CFG
  cat >>"$lab/inventory.ini.new" <<INV

[lab:vars]
ansible_user=root
ansible_ssh_private_key_file=$lab/id_ed25519
ansible_ssh_common_args=-F $lab/ssh_config
ansible_python_interpreter=/usr/bin/python3
INV
  for f in ssh_config known_hosts inventory.ini; do mv "$lab/$f.new" "$lab/$f"; done
  echo "fleet lab $lab: $n hosts up (inventory $lab/inventory.ini)"
}

cmd_down() {
  need_root
  if [ "${1:-}" = --stale ]; then
    local entry lab owner
    for entry in "$REGISTRY"/*; do
      [ -f "$entry" ] || continue
      lab="$(sed -n 1p "$entry")"; owner="$(sed -n 2p "$entry")"
      if [ ! -d "$lab/state" ] || ! kill -0 "$owner" 2>/dev/null; then down_one "$lab" "$(basename "$entry")"; fi
    done
    return 0
  fi
  local lab="${1:-}"; [ -n "$lab" ] || die "down LAB (or down --stale)"
  [ -d "$lab" ] || { echo "fleet-lab: $lab is gone: nothing to do"; return 0; }
  lab="$(cd "$lab" && pwd)"
  [ -s "$lab/state/id" ] || { echo "fleet-lab: $lab holds no lab: nothing to do"; return 0; }
  down_one "$lab" "$(lab_id "$lab")"
}

down_one() { # LAB ID: every process in the lab's namespaces, the namespaces, the root bridge
  local lab="$1" id="$2" ns pid
  for ns in $(ip netns list | awk '{print $1}' | grep -E "^hirlab-$id-h[0-9]+$" || true); do
    # Everything inside a namespace this lab made was started by the lab or by a test through it.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
    for _ in $(seq 50); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.05; done
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  [ -s "$lab/state/s3-bridge.pid" ] && kill_if "$(cat "$lab/state/s3-bridge.pid")" "UNIX-LISTEN:$lab/s3.sock"
  for pid in "$lab"/h*/sshd.ppid; do [ -f "$pid" ] && kill_if "$(cat "$pid")" "$lab"; done
  rm -f "$lab/state/s3-bridge.pid" "$lab/state/netns" "$lab/s3.sock" "$lab"/h*/sshd.ppid "$lab"/h*/s3-bridge.pid 2>/dev/null || true
  rm -f "$REGISTRY/$id"
  rmdir "$REGISTRY" 2>/dev/null || true
  echo "fleet lab $lab: down"
}

cmd_host() { # ACTION HOST LAB
  need_root
  local action="$1" h="$2" lab; lab="$(cd "${3:?missing LAB}" && pwd)"
  host_index "$h" >/dev/null
  local ns; ns="$(ns_name "$lab" "$h")"
  ip netns list | grep -qw -- "$ns" || die "no host $h in $lab"
  case "$action" in
    cut) # the address goes (a local address stays reachable on a link that is down), and SSH connections
      # already open to it (a ControlPersist master) drop
      ip -n "$ns" addr del "$NET.$((10 + $(host_index "$h")))/24" dev eth0 2>/dev/null || true
      for pid in $(ip netns pids "$ns"); do kill_if "$pid" "socat STDIO TCP:"; done ;;
    mend) ip -n "$ns" addr replace "$NET.$((10 + $(host_index "$h")))/24" dev eth0 ;;
    s3-off) stop_host_bridge "$lab" "$h" ;;
    s3-on) [ -s "$lab/$h/s3-bridge.pid" ] && kill -0 "$(cat "$lab/$h/s3-bridge.pid")" 2>/dev/null || start_host_bridge "$lab" "$h" ;;
  esac
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  cut | mend | s3-off | s3-on) cmd_host "$@" ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
