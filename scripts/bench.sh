#!/usr/bin/env bash
# Benchmarks a container lifecycle (create + start a `sleep` container, read its state, force-remove
# it, confirm it is gone) four ways in one run, round-robin: this library's per-test path, the Engine
# API over the unix socket (the floor), Testcontainers, and the naive one-docker-process-per-step CLI.
# Brings the engine up first, builds and runs AgentsRunner.Docker.Benchmarks in Release, and fails if
# anything labelled with the benchmark's session is left on the engine.
#
# Writes results.md, results.csv, samples.csv and lifecycle-ratios.svg to artifacts/bench/, prints
# the tables, and prints as its last line:
#   lifecycle/floor seq=R par8=R cold=R removal-lag-ms=MS docker-calls=N
#
# Usage: scripts/bench.sh [--warmup N] [--rounds N] [--parallel-rounds N] [--cold-rounds N] [--counted N]
# Environment:
#   AGENTS_RUNNER_BENCH_OUT   where results go (default: artifacts/bench in the repository)
#   AGENTS_RUNNER_DOCKER      docker CLI to use (default: docker)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
for arg in "$@"; do case $arg in -h | --help) help_text; exit 0 ;; esac; done
out=${AGENTS_RUNNER_BENCH_OUT:-$root/artifacts/bench}
project=$root/AgentsRunner.Docker.Benchmarks

# Everything the benchmark creates carries agents-runner.session=<this id> (its child processes add a suffix).
session=$(new_session_id bench)

# Prints each container, network and volume whose session label starts with $session.
leftovers() {
  {
    "$docker_cli" ps --all --filter "label=$label_session" --format "container {{.Names}} $(label_template container "$label_session")"
    "$docker_cli" network ls --filter "label=$label_session" --format "network {{.Name}} $(label_template network "$label_session")"
    "$docker_cli" volume ls --filter "label=$label_session" --format "volume {{.Name}} $(label_template volume "$label_session")"
  } | awk -v session="$session" 'index($3, session) == 1'
}

"$here/engine-up.sh"

say "building $(basename "$project") (Release)"
dotnet build "$project" -c Release --nologo -v quiet >&2

mkdir -p "$out"
say "session $session; results in $out"
# Ryuk, Testcontainers' reaper, is an image from a registry, and there is none here.
export TESTCONTAINERS_RYUK_DISABLED=true
dotnet "$project/bin/Release/net10.0/AgentsRunner.Docker.Benchmarks.dll" --session "$session" --out "$out" "$@"

left=$(leftovers)
if [[ -n $left ]]; then
  say "FAILED: the benchmark left these on the engine:"
  printf '  %s\n' "$left" >&2
  exit 1
fi
