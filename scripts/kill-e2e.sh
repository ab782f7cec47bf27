#!/usr/bin/env bash
# Kills the test host of a running end-to-end suite with SIGKILL and measures how long its session's
# resources stay on the engine: the crash promise, tried at its worst moment (a full run, two cores).
# Its watchdog should remove everything within seconds; the script prints what was left each second.
#
# Usage: scripts/kill-e2e.sh [--after SECONDS] [--goal SECONDS] [-- run-e2e.sh options]
#   --after S   kill the test host S seconds after its session started (default 40)
#   --goal S    fail unless nothing of the session is left S seconds after the kill (default 5)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

after=40 goal=5 pass=()
while (($#)); do
  case $1 in
    --after) { (($# >= 2)) && [[ $2 =~ ^[0-9]+$ ]]; } || usage; after=$2; shift 2 ;;
    --goal) { (($# >= 2)) && [[ $2 =~ ^[1-9][0-9]*$ ]]; } || usage; goal=$2; shift 2 ;;
    --) shift; pass=("$@"); break ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1'"; usage ;;
  esac
done

"$here/engine-up.sh"
"$here/test-image.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$here/run-e2e.sh" "${pass[@]}" >"$log" 2>&1 &
run=$!

# The session's id, from run-e2e's first line; then its test host, the process whose environment
# carries that id (a child test run's host has an id of its own).
sid=""
for ((i = 0; i < 600; i++)); do
  sid=$(sed -n 's/^run-e2e: run 1\/1, session \([a-z0-9-]*\),.*/\1/p' "$log")
  [[ -z $sid ]] || break
  sleep 0.1
done
[[ -n $sid ]] || { say "FAILED: run-e2e.sh never said its session's id."; kill "$run" 2>/dev/null; exit 1; }
host_of() {
  local pid
  for pid in $(pgrep -f 'AgentsRunner.Docker.Tests --results-directory' || true); do
    if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "AGENTS_RUNNER_SESSION_ID=$1" \
      && [[ $(tr '\0' ' ' <"/proc/$pid/cmdline") == *--internal-testhostcontroller-pid* ]]; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}
sleep "$after"
host=$(host_of "$sid") || { say "FAILED: no test host of session $sid runs $after s in (did the run end?)."; wait "$run" || true; exit 1; }
count() { "$here/resources.sh" --session "$sid" 2>/dev/null | tail -n +2 | grep -c . || true; }
before=$(count)
kill -KILL "$host"
killed=$(date +%s.%N)
say "SIGKILL to the test host (pid $host) of session $sid, $after s in, with $before resource(s) of it on the engine"

left=$before line=""
for ((second = 1; second <= 60; second++)); do
  sleep "$(awk -v k="$killed" -v s="$second" -v now="$(date +%s.%N)" 'BEGIN { d = k + s - now; print (d > 0 ? d : 0) }')"
  left=$(count)
  line+=" ${second}s:$left"
  ((left == 0)) && break
done
say "left after each second:$line"
wait "$run" || true
# The run's own audit, after the watchdog's last word: anything of the session left then is a leak.
grep -E '^run-e2e: (summary|LEAK AUDIT FAILED)' "$log" >&2 || true
if grep -q 'LEAK AUDIT FAILED' "$log"; then
  say "FAILED: the run's audit found resources of session $sid left after its watchdog was done."
  exit 1
fi
if ((left == 0 && second <= goal)); then
  say "nothing of session $sid left $second s after the kill (goal: $goal s)."
  exit 0
fi
say "FAILED: $left resource(s) of session $sid still there $second s after the kill (goal: nothing after $goal s); the watchdog's log: $e2e_reports/$sid.watchdog.log"
exit 1
