#!/usr/bin/env bash
# Makes sure the docker CLI reaches an engine. Uses one that is already reachable
# (DOCKER_HOST, the current context, the default socket); otherwise, on Debian or Ubuntu as
# root, installs Debian's docker.io and starts dockerd in the background, waiting for it.
# Idempotent: a second run finds the engine up and changes nothing.
#
# With AGENTS_RUNNER_DOCKER=podman: installs Debian's podman and the dnsname plugin when missing, and
# sets in /etc/containers/containers.conf (each only when not set there): default_ulimits, without
# which containers fail to start where the process lacks CAP_SYS_RESOURCE (as in many sandboxes);
# events_logfile_max_size = "50m"; and, on a podman with no container yet, the CNI network backend
# (names resolve on networks through dnsname). Podman needs no daemon.
#
# Environment:
#   AGENTS_RUNNER_DOCKER           docker CLI to use (default: docker)
#   AGENTS_RUNNER_DOCKERD_LOG      dockerd's log file (default: /var/log/agents-runner-dockerd.log)
#   AGENTS_RUNNER_ENGINE_WAIT      seconds to wait for the engine to answer (default: 90)
#   AGENTS_RUNNER_STORAGE_DRIVER   force a storage driver (default: overlay2, then vfs)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

log_file=$dockerd_log
wait_seconds=${AGENTS_RUNNER_ENGINE_WAIT:-90}
pid_file=$dockerd_pid_file

engine_answers() {
  command -v "$docker_cli" >/dev/null 2>&1 && timeout 10 "$docker_cli" info >/dev/null 2>&1
}

# A killed process can linger as a zombie until reaped: it is not alive.
process_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [[ $(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) != Z ]]
}

# Waits until the engine answers or the dockerd with pid $1 has exited. 0 = engine up.
wait_for_engine() {
  local pid=$1 deadline=$((SECONDS + wait_seconds))
  while ((SECONDS < deadline)); do
    engine_answers && return 0
    if [[ -n $pid ]] && ! process_alive "$pid"; then
      return 1
    fi
    sleep 0.5
  done
  return 1
}

live_dockerd_pid() {
  local pid
  [[ -f $pid_file ]] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  process_alive "$pid" || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] || return 1
  printf '%s\n' "$pid"
}

install_engine() {
  if ! grep -qiE '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release 2>/dev/null; then
    say "no engine is reachable and this is not Debian or Ubuntu: start a Docker engine, or set DOCKER_HOST to one, and run again."
    exit 1
  fi
  if ((EUID != 0)); then
    say "no engine is reachable and installing one needs root: run 'sudo $0', or start a Docker engine yourself."
    exit 1
  fi
  say "installing Debian's docker.io (dockerd, containerd, runc)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends docker.io iptables >/dev/null
}

# A killed dockerd leaves the containerd it started behind, running or as a pid file the next
# dockerd trusts: that start then times out. Running containers survive this (their shims stay).
stop_orphaned_containerd() {
  local file=/var/run/docker/containerd/containerd.pid pid
  [[ -f $file ]] || return 0
  pid=$(<"$file")
  if [[ $pid =~ ^[0-9]+$ ]] && process_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == containerd ]]; then
    say "stopping containerd (pid $pid) left by a dockerd that is gone"
    kill "$pid"
    local waited=0
    while process_alive "$pid" && ((waited < 50)); do sleep 0.1; waited=$((waited + 1)); done
  fi
  # dockerd takes a pid file whose process exists (even as an unreaped zombie) for a live containerd.
  if ! process_alive "$pid"; then
    say "removing stale pid file $file (no live containerd behind it)"
    rm -f "$file"
  fi
}

podman_conf=/etc/containers/containers.conf

# Sets KEY = VALUE in section SECTION of containers.conf, unless KEY is set there already.
podman_conf_set() {
  local section=$1 key=$2 value=$3
  grep -qs "^ *$key *=" "$podman_conf" && return 0
  say "setting $key = $value in $podman_conf"
  mkdir -p "$(dirname "$podman_conf")"
  if grep -qs "^\[$section\]" "$podman_conf"; then
    sed -i "/^\[$section\]/a $key = $value" "$podman_conf"
  else
    printf '[%s]\n%s = %s\n' "$section" "$key" "$value" >>"$podman_conf"
  fi
}

podman_up() {
  if ! command -v podman >/dev/null 2>&1 || ! dpkg -s golang-github-containernetworking-plugin-dnsname >/dev/null 2>&1; then
    [[ $(command -v dpkg) && $EUID == 0 ]] || { say "podman is missing: install it (Debian: apt-get install podman golang-github-containernetworking-plugin-dnsname) and run again."; exit 1; }
    say "installing Debian's podman and the dnsname plugin"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq podman golang-github-containernetworking-plugin-dnsname >/dev/null
  fi
  if ((EUID == 0)); then
    # Podman's default rlimits (nofile 1048576) need CAP_SYS_RESOURCE, which sandboxes often lack.
    podman_conf_set containers default_ulimits '["nofile=20000:20000", "nproc=32768:32768"]'
    # Podman 4.3 rotates its events file at 1 MB (about one suite run), and a rotation ends every
    # `podman events` stream (it exits 0): the library starts it again, but tests then report a
    # lost engine connection. 50 MB lasts about 50 runs.
    podman_conf_set engine events_logfile_max_size '"50m"'
    # CNI with the dnsname plugin resolves names on networks; netavark 1.4's aardvark-dns left stray
    # servers behind here. Chosen only on a podman that holds no container yet (a switch strands them).
    if [[ -z $(timeout 60 podman ps --all --quiet 2>/dev/null) ]]; then
      podman_conf_set network network_backend '"cni"'
    fi
  fi
  engine_answers || { say "podman does not answer: see 'podman info'."; exit 1; }
  say "podman answers ($(podman --version)); it runs no daemon: each call is its own process"
}

start_dockerd() {
  local driver=$1
  say "starting dockerd (storage driver $driver), log in $log_file"
  mkdir -p "$(dirname "$log_file")"
  setsid nohup dockerd --storage-driver="$driver" >>"$log_file" 2>&1 </dev/null &
  printf '%s\n' "$!"
}

main() {
  # By name, not by engine_is_podman: podman may not be installed yet.
  if [[ $(basename "$docker_cli") == podman ]]; then
    podman_up
    exit 0
  fi
  if engine_answers; then
    say "the engine answers already ($docker_cli); nothing to do"
    exit 0
  fi
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v containerd >/dev/null 2>&1; then
    install_engine
  fi
  command -v "$docker_cli" >/dev/null 2>&1 || { say "the docker CLI '$docker_cli' is not on PATH."; exit 1; }

  local pid
  if pid=$(live_dockerd_pid); then
    say "dockerd (pid $pid) is running: waiting for it"
    wait_for_engine "$pid" && exit 0
    if process_alive "$pid"; then
      say "dockerd (pid $pid) did not answer within ${wait_seconds}s; see $log_file"
      exit 1
    fi
    say "dockerd (pid $pid) exited while we waited; starting a new one"
  fi
  if [[ -f $pid_file ]]; then
    say "removing stale pid file $pid_file (no live dockerd behind it)"
    rm -f "$pid_file"
  fi
  stop_orphaned_containerd

  # overlay2 first; vfs only when overlay2 itself is what fails (as on some nested file systems).
  # Any other failure (say, the managed containerd of a killed dockerd still shutting down) gets one
  # more try with the same driver.
  local driver=${AGENTS_RUNNER_STORAGE_DRIVER:-overlay2} tries=0 log_start
  while ((tries < 3)); do
    tries=$((tries + 1))
    log_start=$(($(stat -c %s "$log_file" 2>/dev/null || echo 0) + 1))
    pid=$(start_dockerd "$driver")
    if wait_for_engine "$pid"; then
      say "engine is up (dockerd pid $pid, storage driver $driver)"
      exit 0
    fi
    if process_alive "$pid"; then
      say "dockerd (pid $pid) is running but did not answer within ${wait_seconds}s; see $log_file"
      exit 1
    fi
    say "dockerd exited (storage driver $driver); its last log lines:"
    tail -c +"$log_start" "$log_file" | tail -n 5 >&2 || true
    rm -f "$pid_file"
    if [[ -z ${AGENTS_RUNNER_STORAGE_DRIVER:-} && $driver == overlay2 ]] \
      && tail -c +"$log_start" "$log_file" | grep -qiE 'level=(error|fatal).*(overlay|graphdriver|storage.driver)|driver not supported'; then
      driver=vfs
    fi
  done
  say "could not start dockerd; see $log_file"
  exit 1
}

main
