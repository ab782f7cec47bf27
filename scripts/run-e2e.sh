#!/usr/bin/env bash
# The main job: brings up an engine and the test image, runs the end-to-end tests against it,
# audits the engine for anything the run left behind, and prints a summary: tests, leaks, the docker
# load (calls, retries, slowest calls) and where the run's HTML timeline is.
#
# Options:
#   --parallel N     test classes run at once (default 4)
#   --repeat N       run the suite N times, a fresh session each, to hunt flaky tests (default 1)
#   --filter EXPR    only test methods whose name matches EXPR (wildcards * at either end)
#   --light          leave out the heaviest classes (trait Weight=Heavy: the stress test, child test
#                    runs, killed hosts), for checks that repeat the suite under other conditions
#   --keep-failed    keep failed tests' containers for debugging (labelled; the audit spares them)
#   --no-build       use the last build (as concurrent runs of this script must)
#   --through CMD    the tests run docker through CMD (e.g. scripts/docker-faults.sh); the audit does not
#   --time-limit S   a run still going after S seconds is killed and counts as failed (default 900);
#                    its session's watchdog then removes what it left, and the audit checks that
#   -- ARGS          pass ARGS on to the test runner (e.g. -- --filter-class 'AgentsRunner.Docker.Tests.E2E.StressTests')
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

parallel=4 repeat=1 filter="" light=0 keep_failed=0 build=1 through="" time_limit=900 runner_args=()
positive() { [[ $2 =~ ^[1-9][0-9]*$ ]] || { say "$1 takes a whole number >= 1, not '$2'"; exit 2; }; }
while (($#)); do
  case $1 in
    --parallel) (($# >= 2)) || usage; positive "$1" "$2"; parallel=$2; shift 2 ;;
    --repeat) (($# >= 2)) || usage; positive "$1" "$2"; repeat=$2; shift 2 ;;
    --filter) (($# >= 2)) || usage; filter=$2; shift 2 ;;
    --light) light=1; shift ;;
    --keep-failed) keep_failed=1; shift ;;
    --no-build) build=0; shift ;;
    --through) (($# >= 2)) || usage; through=$2; shift 2 ;;
    --time-limit) (($# >= 2)) || usage; positive "$1" "$2"; time_limit=$2; shift 2 ;;
    --) shift; runner_args=("$@"); break ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1'"; usage ;;
  esac
done

"$here/engine-up.sh"
"$here/test-image.sh"
if ((build)); then
  build_tests
fi

export AGENTS_RUNNER_REQUIRE_ENGINE=1
reports=$e2e_reports
export AGENTS_RUNNER_REPORT_DIR="$reports"
((keep_failed)) && export AGENTS_RUNNER_KEEP_FAILED=1
mkdir -p "$reports"

# Anything labelled with the session still on the engine, one "kind name" per line (kept ones
# spared with --keep-failed). resources.sh lists them: KIND NAME SESSION TEST KEPT, tab-separated.
leftovers() {
  "$here/resources.sh" --session "$1" 2>/dev/null | tail -n +2 \
    | awk -F'\t' -v keep="$keep_failed" '!(keep && $5 == "true") { print $1 " " $2 }'
}

total_passed=0 total_failed=0 total_skipped=0 total_leaks=0 created_c=0 created_n=0 created_v=0 timelines=()
for ((run = 1; run <= repeat; run++)); do
  sid=$(new_session_id "e2e")
  export AGENTS_RUNNER_SESSION_ID=$sid
  say "run $run/$repeat, session $sid, $parallel test classes at once"
  args=(test --project "$test_project" --no-build --no-progress --results-directory "$reports"
    --report-trx --report-trx-filename "$sid.trx" --filter-namespace "AgentsRunner.Docker.Tests.E2E" --max-threads "$parallel")
  [[ -n $filter ]] && args+=(--filter-method "$filter")
  ((light)) && args+=(--filter-not-trait "Weight=Heavy")
  args+=("${runner_args[@]}")
  set +e
  AGENTS_RUNNER_DOCKER=${through:-$docker_cli} AGENTS_RUNNER_CHECK_DOCKER=$docker_cli \
    run_bounded "$time_limit" dotnet "${args[@]}" 2>&1 | tee "$reports/$sid.log"
  status=${PIPESTATUS[0]}
  set -e

  counts=$(run_counts "$reports/$sid.log" "$status")
  read -r passed failed skipped <<<"$counts"
  # A test host that died without ending its session leaves the clean-up to the session's watchdog:
  # the audit waits (up to 60 s) for its last word.
  watchdog_log="$reports/$sid.watchdog.log"
  for ((wait = 0; wait < 600; wait++)); do
    if [[ ! -f $watchdog_log ]] || grep -qE 'ended normally|done: removed|GAVE UP' "$watchdog_log"; then break; fi
    sleep 0.1
  done
  # An audit that cannot list the engine has not shown the run clean: that counts as a failure.
  if ! listing=$(leftovers "$sid"); then
    say "LEAK AUDIT FAILED: could not list the engine's resources for session $sid."
    listing="(the audit itself)"
  fi
  mapfile -t leaks < <(printf '%s' "$listing" | sed '/^$/d')
  if ((${#leaks[@]})); then
    say "LEAK AUDIT FAILED: session $sid left ${#leaks[@]} resource(s) on the engine:"
    printf '  %s\n' "${leaks[@]}" >&2
  fi
  if [[ -f $reports/$sid.summary ]]; then
    created_c=$((created_c + $(sed -n 's/^containers=//p' "$reports/$sid.summary")))
    created_n=$((created_n + $(sed -n 's/^networks=//p' "$reports/$sid.summary")))
    created_v=$((created_v + $(sed -n 's/^volumes=//p' "$reports/$sid.summary")))
  fi
  # The test host's own record of the run's docker calls (Telemetry/TelemetryRecorder.cs): a few
  # lines on its docker load, and a timeline of its tests and containers to open in a browser.
  if [[ -f $reports/$sid.telemetry.txt ]]; then
    say "docker load of run $run (from its traces and metrics):"
    sed 's/^/  /' "$reports/$sid.telemetry.txt" >&2
  fi
  if [[ -f $reports/$sid.timeline.html ]]; then
    timelines+=("${reports#"$root"/}/$sid.timeline.html")
  fi
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped)) total_leaks=$((total_leaks + ${#leaks[@]}))
done

say "summary over $repeat run(s): tests $total_passed passed, $total_failed failed, $total_skipped skipped;" \
  "created $created_c container(s), $created_n network(s), $created_v volume(s); leaks found: $total_leaks." \
  "Reports (TRX, logs, spans, metrics) in ${reports#"$root"/}/"
if [[ -d $reports/forensics ]]; then
  say "forensics of failed tests (logs, inspect, diff, events; also attached in the TRX): ${reports#"$root"/}/forensics/"
fi
if ((${#timelines[@]})); then
  say "timeline (tests as rows, containers from create to confirmed removal, failures in red): ${timelines[*]}"
fi
results_line "$total_passed" "$total_failed" "$total_skipped"
((total_failed == 0 && total_leaks == 0))
