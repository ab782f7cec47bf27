#!/usr/bin/env bash
# A docker-compatible shim that injects faults, for tests: point AGENTS_RUNNER_DOCKER at it. Each call
# draws from a seeded sequence (seed + call number), so a run's faults can be replayed with its seed.
#   AGENTS_RUNNER_FAULTS_DOCKER       the real CLI (default: docker)
#   AGENTS_RUNNER_FAULTS_SEED         the seed (default: 1)
#   AGENTS_RUNNER_FAULTS_UNREACHABLE  % of calls that fail as the engine unreachable, without running (default: 20):
#                                     "Cannot connect", or the connection dropped at its first request (the ping)
#   AGENTS_RUNNER_FAULTS_DROP         % of labelled creates that run, then fail as a dropped connection (default: 15)
#   AGENTS_RUNNER_FAULTS_HANG         % of reads that hang (10 minutes, or until killed) (default: 5)
#   AGENTS_RUNNER_FAULTS_DIAL         % of engine connections (system dial-stdio) that drop after up to a
#                                     second, mid-request or not; as many again hang (default: 10)
#   AGENTS_RUNNER_FAULTS_STATE        a folder for the call counter and the log faults.log (default: /tmp/agents-runner-faults)
# Every kind of call is made unreachable, attached ones (an attached run or start, exec, logs --follow,
# attach, wait, cp, build) too, in the exact words and exit codes of the docker CLI 28 for that
# command: an engine that is down fails them before anything runs. Only drops and hangs, which the
# caller cannot tell from the command's own outcome, spare attached calls. Engine connections are
# refused as the CLI refuses them when it cannot reach the engine, dropped or hung.
set -euo pipefail
real=${AGENTS_RUNNER_FAULTS_DOCKER:-docker}
state=${AGENTS_RUNNER_FAULTS_STATE:-/tmp/agents-runner-faults}
mkdir -p "$state"

# The call's number, from a counter shared by concurrent calls.
exec 9>>"$state/lock"
flock 9
call=$(($(cat "$state/count" 2>/dev/null || echo 0) + 1))
echo "$call" >"$state/count"
flock -u 9
exec 9>&-
RANDOM=$(((${AGENTS_RUNNER_FAULTS_SEED:-1} * 7919 + call) % 32768))
draw=$((RANDOM % 100)) second=$((RANDOM % 100))

# The sub-command (one or two words) after global flags, and what kind of call it is.
words=() i=1
while ((i <= $#)); do
  arg=${!i}
  case $arg in
    --context | -c | -H | --host | --config | -l | --log-level) i=$((i + 2)); continue ;;
    -*) i=$((i + 1)); continue ;;
  esac
  words=("${@:i:2}")
  break
done
verb=${words[0]:-}
[[ $verb =~ ^(container|image|network|volume|system)$ ]] && verb="$verb ${words[1]:-}"
all=" $* "
kind=other
case $verb in
  events) kind=stream ;;
  "system dial-stdio") kind=dial ;;
  exec | attach | wait | cp | build | "container exec" | "container attach" | "container wait" | "container cp" | "image build") kind=attached ;;
  logs | "container logs") [[ $all == *" -f "* || $all == *" --follow "* ]] && kind=attached || kind="read" ;;
  start | "container start") [[ $all == *" -a "* || $all == *" --attach "* ]] && kind=attached ;;
  run | "container run")
    if [[ $all == *" -d "* || $all == *" --detach "* ]]; then [[ $all == *" --label "* ]] && kind=create; else kind=attached; fi ;;
  create | "container create" | "network create" | "volume create") [[ $all == *" --label "* ]] && kind=create ;;
  ps | inspect | port | version | info | images | "container inspect" | "container ls" | "image inspect" | "network inspect" \
    | "network ls" | "volume inspect" | "volume ls") kind="read" ;;
esac

log() {
  local fault=$1
  shift
  printf '%s call=%s seed=%s %s: %s\n' "$(date -u +%H:%M:%S.%N | cut -c1-12)" "$call" "${AGENTS_RUNNER_FAULTS_SEED:-1}" "$fault" "$*" >>"$state/faults.log"
}
# The docker CLI's own failure, as it prints it for this command: `run` says "docker: " first, adds a
# pointer to its help and exits 125; inspect prints an empty list first; every other command exits 1.
cli_failure() {
  case $verb in
    "system dial-stdio")
      echo "failed to open the raw stream connection: dial unix ${socket#unix://}: connect: connection refused" >&2
      exit 1 ;;
    run | "container run")
      printf 'docker: %s\n\nRun '\''docker run --help'\'' for more information\n' "$1" >&2
      exit 125 ;;
    inspect | "container inspect" | "image inspect" | "network inspect" | "volume inspect") echo "[]" ;;
  esac
  echo "$1" >&2
  exit 1
}
socket=${DOCKER_HOST:-unix:///var/run/docker.sock}
# The URL the CLI names in its connection errors: a unix socket's path escaped as the host, a tcp
# address as itself, and an ssh engine (reached through its connection helper) as a placeholder host.
case $socket in
  unix://*) url=${socket#unix://} url=http://${url//\//%2F} ;;
  tcp://*) url=http://${socket#tcp://} ;;
  *) url=http://docker.example.com ;;
esac
if ((draw < ${AGENTS_RUNNER_FAULTS_UNREACHABLE:-20})); then
  log unreachable "$@"
  if ((second % 2 == 0)); then
    cli_failure "Cannot connect to the Docker daemon at $socket. Is the docker daemon running?"
  fi
  cli_failure "error during connect: Head \"$url/_ping\": EOF"
fi
if [[ $kind == dial ]] && ((second < ${AGENTS_RUNNER_FAULTS_DIAL:-10})); then
  log connection-dropped "$@"
  # The connection ends within a second, wherever its requests are: killed, as a lost ssh link is.
  exec timeout --signal KILL "0.$((RANDOM % 9 + 1))" "$real" "$@"
fi
if [[ $kind == dial ]] && ((second < 2 * ${AGENTS_RUNNER_FAULTS_DIAL:-10})); then
  log connection-hung "$@"
  # Reads nothing and answers nothing, until killed.
  exec sleep 600 >/dev/null
fi
if [[ $kind == create ]] && ((second < ${AGENTS_RUNNER_FAULTS_DROP:-15})); then
  log dropped "$@"
  # Its own outcome is what the dropped connection hides.
  "$real" "$@" >/dev/null 2>&1 || true
  case $verb in
    "network create") path=networks/create ;;
    "volume create") path=volumes/create ;;
    *) path=containers/create ;;
  esac
  cli_failure "error during connect: Post \"$url/v1.41/$path\": EOF"
fi
if [[ $kind == read ]] && ((second < ${AGENTS_RUNNER_FAULTS_HANG:-5})); then
  log hung "$@"
  # Longer than any read's time limit, and off the caller's pipes: a hang the caller does not kill
  # (its test host died) holds no one's output open and ends by itself.
  exec sleep 600 >/dev/null 2>&1
fi
exec "$real" "$@"
