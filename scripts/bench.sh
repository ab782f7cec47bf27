#!/usr/bin/env bash
# Benchmarks a container lifecycle (create + start a `sleep` container, read its state, force-remove
# it, confirm it is gone) seven ways in one run, round-robin: this library's per-test path, the same
# with its engine connection off (every call a docker process), the Engine API over the unix socket
# (the floor), the library and the floor again with no network (`--network none`), Testcontainers,
# and the naive one-docker-process-per-step CLI. The whole table (sequential, parallel, cold) is run
# --repeat times (default 3) in one invocation, each run with its own ratios, so the noise shows.
# Brings the engine up first, builds and runs AgentsRunner.Docker.Benchmarks in Release, and fails if
# anything labelled with the benchmark's session is left on the engine.
#
# Writes results.md, results.csv, samples.csv and lifecycle-ratios.svg to artifacts/bench/, prints
# the tables (every median with its 25th-75th percentile, and the load before and after each run),
# and prints as its last line, each figure the median of that figure over the runs:
#   lifecycle/floor seq=R par8=R cold=R removal-lag-ms=MS docker-calls=N
#
# Usage: scripts/bench.sh [--repeat N] [--rounds N] [--warmup N] [--parallel-rounds N] [--cold-rounds N] [--counted N]
#   --repeat N           runs of the whole table (default 3)
#   --rounds N           sequential rounds per run (default 40)
#   --warmup N           warm-up rounds, once, before the first run (default 3)
#   --parallel-rounds N  rounds of 4 and of 8 lifecycles at once, per run (default 3)
#   --cold-rounds N      fresh processes per variant and run for the cold lifecycle (default 3)
#   --counted N          lifecycles per variant behind the counting docker wrapper, once (default 5)
# A full run takes about 13 minutes on 2 cores; `--repeat 1 --rounds 5` about 2.
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
    docker_bounded ps --all --filter "label=$label_session" --format "container {{.Names}} $(label_template container "$label_session")"
    docker_bounded network ls --filter "label=$label_session" --format "network {{.Name}} $(label_template network "$label_session")"
    docker_bounded volume ls --filter "label=$label_session" --format "volume {{.Name}} $(label_template volume "$label_session")"
  } | awk -v session="$session" 'index($3, session) == 1'
}

"$here/engine-up.sh"

say "building $(basename "$project") (Release)"
dotnet build "$project" -c Release --nologo -v quiet >&2

mkdir -p "$out"
say "session $session; results in $out"
say "load at the start: $(docker_bounded ps -q | wc -l) container(s) running on the engine; $(uptime | sed 's/.*load average/load average/')"
# Ryuk, Testcontainers' reaper, is an image from a registry, and there is none here.
export TESTCONTAINERS_RYUK_DISABLED=true
dotnet "$project/bin/Release/net10.0/AgentsRunner.Docker.Benchmarks.dll" --session "$session" --out "$out" "$@"

left=$(leftovers)
if [[ -n $left ]]; then
  say "FAILED: the benchmark left these on the engine:"
  printf '  %s\n' "$left" >&2
  exit 1
fi
