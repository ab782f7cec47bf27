#!/usr/bin/env bash
# Where one docker CLI process's time goes (issue 11, item 2): `docker container inspect --format
# '{{json .State}}' ID`, the library's state read, timed against the same request on the engine's
# socket, in variants of the environment, then cut into phases with strace timestamps.
#
# Starts one `sleep` container of the test image labelled agents-runner.session=bench-cli-<id> and
# removes it at the end. Prints markdown tables (median and 25th-75th percentile of each); the
# variants take turns, round-robin, so a slow spell of the shared engine falls on all of them.
#
# Usage: AgentsRunner.Docker.Benchmarks/cli-breakdown.sh [--reps N] [--strace-reps N]
#   --reps N          timed runs of each variant (default 50)
#   --strace-reps N   runs under strace for the phases (default 30)
# Needs strace (apt-get install strace) and curl.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../scripts/lib.sh source-path=SCRIPTDIR
source "$here/../scripts/lib.sh"

reps=50
strace_reps=30
while (($# > 0)); do
  case $1 in
    -h | --help) help_text; exit 0 ;;
    --reps) reps=${2:?--reps needs a number}; shift 2 ;;
    --strace-reps) strace_reps=${2:?--strace-reps needs a number}; shift 2 ;;
    *) say "unknown option '$1'"; usage ;;
  esac
done
for tool in strace curl; do
  command -v "$tool" >/dev/null || { say "needs $tool (apt-get install $tool)"; exit 2; }
done

socket=/var/run/docker.sock
docker_path=$(command -v "$docker_cli")
session=$(new_session_id bench-cli)
work=$(mktemp -d)
empty_config="$work/empty-docker-config"
mkdir -p "$empty_config"
container=""
cleanup() {
  [[ -z $container ]] || "$docker_cli" rm -f "$container" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

container=$("$docker_cli" run --detach --label "$label_session=$session" "$test_image" sleep 600)
api=$("$docker_cli" version --format '{{.Server.APIVersion}}')
say "session $session, probe container ${container:0:12}, engine API $api"

# name|environment (space-separated NAME=VALUE, or -)|what runs: version, inspect, inspect-context or curl
variants=(
  "docker --version (no engine)|-|version"
  "inspect, as the library runs it|-|inspect"
  "inspect, DOCKER_API_VERSION=$api|DOCKER_API_VERSION=$api|inspect"
  "inspect, DOCKER_CONFIG=empty dir|DOCKER_CONFIG=$empty_config|inspect"
  "inspect, DOCKER_HOST=unix://$socket|DOCKER_HOST=unix://$socket|inspect"
  "inspect, --context default|-|inspect-context"
  "inspect, DOCKER_CLI_HINTS=false|DOCKER_CLI_HINTS=false|inspect"
  "inspect, GOMAXPROCS=1|GOMAXPROCS=1|inspect"
  "inspect, GOGC=off|GOGC=off|inspect"
  "inspect, GOMAXPROCS=1 GOGC=off|GOMAXPROCS=1 GOGC=off|inspect"
  "inspect, the four DOCKER_ variables above|DOCKER_API_VERSION=$api DOCKER_CONFIG=$empty_config DOCKER_HOST=unix://$socket DOCKER_CLI_HINTS=false|inspect"
  "curl process, the same request on the socket|-|curl"
)

# Runs variant $1 once with its environment; output discarded.
run_variant() {
  local env_part what
  IFS='|' read -r _ env_part what <<<"$1"
  local -a env_args=() cmd
  [[ $env_part == - ]] || read -ra env_args <<<"$env_part"
  case $what in
    version) cmd=("$docker_path" --version) ;;
    inspect) cmd=("$docker_path" container inspect --format '{{json .State}}' "$container") ;;
    inspect-context) cmd=("$docker_path" --context default container inspect --format '{{json .State}}' "$container") ;;
    curl) cmd=(curl -sf --unix-socket "$socket" "http://docker/v$api/containers/$container/json") ;;
  esac
  env "${env_args[@]}" "${cmd[@]}" >/dev/null
}

# Prints "median p25 p75" (ms, one decimal) of the numbers on stdin, one a line.
spread() {
  sort -g | awk '{ v[NR] = $1 }
    function q(p,  r, lo) { r = p * (NR - 1) + 1; lo = int(r); return v[lo] + (v[lo + (lo < NR)] - v[lo]) * (r - lo) }
    END { if (NR == 0) { print "- - -"; exit } printf "%.1f %.1f %.1f\n", q(0.5), q(0.25), q(0.75) }'
}

# A markdown cell: "median (p25-p75)".
cell() { awk '{ printf "%s (%s–%s)", $1, $2, $3 }'; }

now_us() { local t=${EPOCHREALTIME/./}; printf '%s\n' "$((10#$t))"; }

say "load before the timed runs: $("$docker_cli" ps -q | wc -l) running container(s); $(uptime | sed 's/.*load average/load average/')"
# Warm-up: page cache, the engine's caches.
for v in "${variants[@]}"; do run_variant "$v"; done
# A run that fails (the shared engine restarting, say) is left out and counted.
failed=0
for ((r = 0; r < reps; r++)); do
  for ((i = 0; i < ${#variants[@]}; i++)); do
    v=${variants[(i + r) % ${#variants[@]}]}
    start=$(now_us)
    if run_variant "$v"; then
      end=$(now_us)
      printf '%s\n' "$((end - start))" >>"$work/wall-$(((i + r) % ${#variants[@]}))"
    else
      failed=$((failed + 1))
    fi
  done
done
# The request alone: curl's own time for a GET on the open socket, connection included.
for ((r = 0; r < reps; r++)); do
  curl -sf -o /dev/null -w '%{time_total}\n' --unix-socket "$socket" "http://docker/v$api/containers/$container/json"
done | awk '{ print $1 * 1e6 }' >"$work/request"

printf '\n### One docker process, wall time (%s runs each, round-robin)\n\n' "$reps"
printf '| variant | median ms (p25–p75) |\n|---|---|\n'
for ((i = 0; i < ${#variants[@]}; i++)); do
  printf '| %s | %s |\n' "${variants[i]%%|*}" "$(awk '{ print $1 / 1000 }' "$work/wall-$i" | spread | cell)"
done
printf '| the request alone (curl %%{time_total}) | %s |\n' "$(awk '{ print $1 / 1000 }' "$work/request" | spread | cell)"

# Go runtime start and package initialisation: GODEBUG=inittrace=1 prints each package's init
# with its start (@ ms since the runtime started) and duration; the last one's end is when main runs.
for ((r = 0; r < reps; r++)); do
  GODEBUG=inittrace=1 "$docker_path" --version 2>&1 >/dev/null |
    awk '$1 == "init" { sub(/@/, "", $3); end = $3 + $5; clock += $5 } END { printf "%.3f %.3f\n", end, clock }'
done >"$work/init"

# Phases from strace timestamps (only the traced syscalls stop the process: --seccomp-bpf).
phases() {
  awk '
    { t = $2 * 1000 }
    NR == 1 { exec = t }
    /openat\(.*config\.json/ && !config { config = t }
    /connect\(.*docker\.sock/ && !connected { connected = t }
    /write\(.*"(HEAD|GET|POST|DELETE) \// && !first { first = t }
    /write\(.*"HEAD \/_ping/ && !ping { ping = t }
    /write\(.*"GET \/v/ && !request { request = t }
    request && /(read\(|read resumed>).*= [1-9][0-9]*$/ { last_read = t }
    /exit_group/ { quit = t }
    /\+\+\+ exited/ { gone = t }
    END {
      if (!config || !connected || !request || !last_read || !quit) { exit 1 }
      printf "%.3f %.3f %.3f %.3f %.3f %.3f %.3f %.3f\n", config - exec, connected - config, first - connected, ping ? request - ping : 0,
        last_read - request, quit - last_read, gone - quit, gone - exec
    }'
}
strace_one() {
  local -a env_args=()
  [[ $1 == - ]] || read -ra env_args <<<"$1"
  env "${env_args[@]}" strace -f --seccomp-bpf -ttt -e trace=execve,connect,read,write,openat,exit_group -o "$work/trace" \
    "$docker_path" container inspect --format '{{json .State}}' "$container" >/dev/null &&
    phases <"$work/trace" || failed=$((failed + 1))
}
for ((r = 0; r < strace_reps; r++)); do
  strace_one - >>"$work/phases-default"
  strace_one "DOCKER_API_VERSION=$api" >>"$work/phases-pinned"
done

printf '\n### Phases of one %s under strace (%s runs each)\n\n' "\`docker container inspect\`" "$strace_reps"
printf 'Timestamps of the first traced syscall of each phase; strace itself slows every traced syscall.\n\n'
printf '| phase | ends at | default: median ms (p25–p75) | DOCKER_API_VERSION=%s |\n|---|---|---|---|\n' "$api"
names=(
  "Go runtime start, package init, command tree|open of ~/.docker/config.json"
  "config, context and client set-up|connect() to the socket"
  "dial to the first request written|write of the first request"
  "API version negotiation (HEAD /_ping and its answer)|write of the GET request"
  "the request itself|last read of the response"
  "template output|exit_group"
  "process exit (all threads gone)|last thread exited"
  "whole process, execve to exit|"
)
for ((k = 0; k < ${#names[@]}; k++)); do
  col=$((k + 1))
  printf '| %s | %s | %s | %s |\n' "${names[k]%%|*}" "${names[k]#*|}" \
    "$(awk -v c="$col" '{ print $c }' "$work/phases-default" | spread | cell)" \
    "$(awk -v c="$col" '{ print $c }' "$work/phases-pinned" | spread | cell)"
done
printf '\nGo package initialisation (GODEBUG=inittrace=1, %s, %s runs): main starts at %s ms after the runtime, of which %s ms in package init functions.\n' \
  "\`docker --version\`" "$reps" "$(awk '{ print $1 }' "$work/init" | spread | cell)" "$(awk '{ print $2 }' "$work/init" | spread | cell)"
say "$failed run(s) failed and are left out"
say "load after: $("$docker_cli" ps -q | wc -l) running container(s); $(uptime | sed 's/.*load average/load average/')"
