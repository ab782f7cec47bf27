#!/usr/bin/env bash
# Makes sure the docker CLI reaches an engine. Uses one that is already reachable
# (DOCKER_HOST, the current context, the default socket); otherwise, on Debian or Ubuntu as
# root, installs Debian's docker.io and starts dockerd in the background, waiting for it.
# Idempotent: a second run finds the engine up and changes nothing.
#
# Environment:
#   AGENTS_RUNNER_DOCKER           docker CLI to use (default: docker)
#   AGENTS_RUNNER_DOCKERD_LOG      dockerd's log file (default: /var/log/agents-runner-dockerd.log)
#   AGENTS_RUNNER_ENGINE_WAIT      seconds to wait for the engine to answer (default: 90)
#   AGENTS_RUNNER_STORAGE_DRIVER   force a storage driver (default: overlay2, then vfs)
set -euo pipefail

docker_cli=${AGENTS_RUNNER_DOCKER:-docker}
log_file=${AGENTS_RUNNER_DOCKERD_LOG:-/var/log/agents-runner-dockerd.log}
wait_seconds=${AGENTS_RUNNER_ENGINE_WAIT:-90}
pid_file=/var/run/docker.pid

say() { printf 'engine-up: %s\n' "$*" >&2; }

engine_answers() {
  command -v "$docker_cli" >/dev/null 2>&1 && timeout 10 "$docker_cli" info >/dev/null 2>&1
}

# Waits until the engine answers or the dockerd with pid $1 has exited. 0 = engine up.
wait_for_engine() {
  local pid=$1 deadline=$((SECONDS + wait_seconds))
  while ((SECONDS < deadline)); do
    engine_answers && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
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
  kill -0 "$pid" 2>/dev/null || return 1
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

start_dockerd() {
  local driver=$1
  say "starting dockerd (storage driver $driver), log in $log_file"
  mkdir -p "$(dirname "$log_file")"
  setsid nohup dockerd --storage-driver="$driver" >>"$log_file" 2>&1 </dev/null &
  printf '%s\n' "$!"
}

main() {
  if engine_answers; then
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
    say "dockerd (pid $pid) did not answer within ${wait_seconds}s; see $log_file"
    exit 1
  fi
  if [[ -f $pid_file ]]; then
    say "removing stale pid file $pid_file (no live dockerd behind it)"
    rm -f "$pid_file"
  fi

  local drivers=(overlay2 vfs)
  [[ -n ${AGENTS_RUNNER_STORAGE_DRIVER:-} ]] && drivers=("$AGENTS_RUNNER_STORAGE_DRIVER")
  for driver in "${drivers[@]}"; do
    pid=$(start_dockerd "$driver")
    if wait_for_engine "$pid"; then
      say "engine is up (dockerd pid $pid, storage driver $driver)"
      exit 0
    fi
    if kill -0 "$pid" 2>/dev/null; then
      say "dockerd (pid $pid) is running but did not answer within ${wait_seconds}s; see $log_file"
      exit 1
    fi
    say "dockerd exited with storage driver $driver; last log lines:"
    tail -n 5 "$log_file" >&2 || true
    rm -f "$pid_file"
  done
  say "could not start dockerd; see $log_file"
  exit 1
}

main "$@"
