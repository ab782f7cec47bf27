#!/usr/bin/env bash
# Two runs of the end-to-end suite started at the same moment against one engine: both must pass,
# with no leak, and neither may remove the other's resources. Two sentinels prove the sweep's
# restraint: a container labelled as a live session owned by this script's own process, and an
# unlabelled container named like a production one (agents-runner-prod-...). Both must survive.
# Both runs take the classes where sessions meet (leases, sweeps, peer reaping, cleanup) and a few
# that keep containers, networks and volumes busy; the README's test command runs every class. Two
# full suites at once took 7 minutes on 2 cores, and two light ones 5. Tests that make deliberate
# orphans keep them in a sweep domain of their own, which the other run's sweep never looks at. The second run turns the engine
# connection off (AGENTS_RUNNER_DOCKER_CONNECTION=0): every call of its is a docker process, the
# fallback path, beside a run whose reads and removals go over the connection.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
no_arguments "$@"

"$here/engine-up.sh"
"$here/test-image.sh"
build_tests
image=$test_image

# This process's start time in unix milliseconds, as the library computes it (boot time + start ticks).
own_start_ms() {
  local ticks btime hz
  ticks=$(awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$$/stat")
  btime=$(awk '/^btime/ { print $2 }' /proc/stat)
  hz=$(getconf CLK_TCK)
  echo $(((btime * 1000) + (ticks * 1000 / hz)))
}

suffix=$(random_id)
live_sentinel="agents-runner-test-concurrency-sentinel-$suffix"
prod_sentinel="agents-runner-prod-$suffix"
cleanup() {
  docker_bounded rm --force "$live_sentinel" "$prod_sentinel" >/dev/null 2>&1 || true
}
trap cleanup EXIT

docker_bounded run --detach --name "$live_sentinel" \
  --label "$label_session=sentinel-$suffix" \
  --label "$label_owner_host=$(hostname)" \
  --label "$label_owner_boot=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || true)" \
  --label "$label_owner_pidns=$(readlink /proc/$$/ns/pid)" \
  --label "$label_owner_pid=$$" \
  --label "$label_owner_start=$(own_start_ms)" \
  --label "$label_expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" \
  "$image" sleep 3600 >/dev/null
docker_bounded run --detach --name "$prod_sentinel" "$image" sleep 3600 >/dev/null

logs=$(mktemp -d)
say "starting two runs of the end-to-end suite at once"
# Two test classes at once in each: together the four a lone run has, not eight on 2 cores.
classes=()
for class in LeaseTests OrphanSweepTests ScopeCleanupTests NetworkVolumePortTests ContainerExecAndLogsTests TaskLifecycleTests DockerCliTests; do
  classes+=(--filter-class "AgentsRunner.Docker.Tests.E2E.$class")
done
"$here/run-e2e.sh" --no-build --parallel 2 -- "${classes[@]}" >"$logs/a.log" 2>&1 &
first=$!
AGENTS_RUNNER_DOCKER_CONNECTION=0 "$here/run-e2e.sh" --no-build --parallel 2 -- "${classes[@]}" >"$logs/b.log" 2>&1 &
second=$!
status_a=0 status_b=0
wait "$first" || status_a=$?
wait "$second" || status_b=$?

failed=0
for run in a b; do
  say "run $run: $(grep '^run-e2e: summary' "$logs/$run.log" || echo 'no summary')"
done
if ((status_a != 0 || status_b != 0)); then
  say "FAILED: run a exited $status_a, run b exited $status_b; their output:"
  cat "$logs/a.log" "$logs/b.log" >&2
  failed=1
fi
for sentinel in "$live_sentinel" "$prod_sentinel"; do
  if [[ -z $(docker_bounded ps --all --quiet --filter "name=^${sentinel}$") ]]; then
    say "FAILED: the sentinel $sentinel was removed by a run that did not own it."
    failed=1
  fi
done
rm -rf "$logs"
cleanup
if [[ -n $(docker_bounded ps --all --quiet --filter "name=^${live_sentinel}$") ]]; then
  say "FAILED: could not remove the sentinel $live_sentinel."
  failed=1
fi
((failed == 0)) && say "both runs passed, no leaks, and neither touched what was not its own."
exit "$failed"
