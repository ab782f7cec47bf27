#!/usr/bin/env bash
# The end-to-end suite while the engine restarts: dockerd gets SIGTERM some seconds into the run and
# a new one starts as soon as it has exited. The library rides out the outage (an unreachable engine
# is retried for its outage window); only tests whose containers the restart stopped may fail, and
# nothing of the run may be left on the engine. Run as root, on an engine scripts/engine-up.sh starts.
#
# Usage: scripts/restart-e2e.sh [--after SECONDS] [-- run-e2e.sh options]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"

after=20 pass=()
while (($#)); do
  case $1 in
    --after) { (($# >= 2)) && [[ $2 =~ ^[0-9]+$ ]]; } || usage; after=$2; shift 2 ;;
    --) shift; pass=("$@"); break ;;
    -h | --help) help_text; exit 0 ;;
    *) say "unknown option '$1'"; usage ;;
  esac
done

"$here/engine-up.sh"
"$here/test-image.sh"
pid_file=$dockerd_pid_file
[[ -f $pid_file ]] || { say "no $pid_file: this script restarts only a dockerd that scripts/engine-up.sh started."; exit 2; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$here/run-e2e.sh" "${pass[@]}" >"$log" 2>&1 &
run=$!
sleep "$after"
pid=$(<"$pid_file")
say "$after s into the run: SIGTERM to dockerd (pid $pid)"
down=$SECONDS
kill -TERM "$pid"
# A dockerd that does not stop within 60 s (stuck, say) is killed: the restart must happen either way.
deadline=$((SECONDS + 60))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then
  say "dockerd (pid $pid) still running 60 s after SIGTERM: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
fi
"$here/engine-up.sh"
say "the engine answered again after $((SECONDS - down)) s"

status=0
wait "$run" || status=$?
cat "$log"
if grep -q 'LEAK AUDIT FAILED' "$log"; then
  say "FAILED: the run left resources on the engine."
  exit 1
fi
grep -q '^run-e2e: summary' "$log" || { say "FAILED: the run ended without a summary."; exit 1; }
# Each failed test, and whether its output says the engine connection was lost during it.
verdicts=$(awk '
  /^failed / { current = $2; if (!(current in lost)) { lost[current] = 0; order[++n] = current }; next }
  /^(passed|skipped) / { current = "" }
  current != "" && /lost its connection to the engine/ { lost[current] = 1 }
  END { for (i = 1; i <= n; i++) print lost[order[i]], order[i] }' "$log")
failed=$(printf '%s\n' "$verdicts" | grep -c '^[01] ' || true)
unexplained=$(printf '%s\n' "$verdicts" | sed -n 's/^0 //p')
say "the suite exited $status; $failed test(s) failed, and each must say the engine connection was lost during it."
if ((status != 0 && failed == 0)); then
  say "FAILED: the run failed outside the tests (its session's end, say)."
  exit 1
fi
printf '%s\n' "$verdicts" | sed -n 's/^1 /  explained: /p'
if [[ -n $unexplained ]]; then
  printf '  NOT explained by the restart: %s\n' "$unexplained" >&2
  say "FAILED: a test failed without the engine restart to blame."
  exit 1
fi
say "passed: no leak, and every failure is one the restart caused."
