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
usage() { sed -n '7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
while (($#)); do
  case $1 in
    --after) { (($# >= 2)) && [[ $2 =~ ^[0-9]+$ ]]; } || usage; after=$2; shift 2 ;;
    --) shift; pass=("$@"); break ;;
    -h | --help) usage ;;
    *) echo "restart-e2e: unknown option '$1'" >&2; usage ;;
  esac
done

"$here/engine-up.sh"
"$here/test-image.sh"
pid_file=/var/run/docker.pid
[[ -f $pid_file ]] || { echo "restart-e2e: no $pid_file: this script restarts only a dockerd that scripts/engine-up.sh started." >&2; exit 2; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$here/run-e2e.sh" "${pass[@]}" >"$log" 2>&1 &
run=$!
sleep "$after"
pid=$(<"$pid_file")
echo "restart-e2e: $after s into the run: SIGTERM to dockerd (pid $pid)"
down=$SECONDS
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
"$here/engine-up.sh"
echo "restart-e2e: the engine answered again after $((SECONDS - down)) s"

status=0
wait "$run" || status=$?
cat "$log"
echo "restart-e2e: the suite exited $status; failed tests and what they said:"
grep -A3 '^failed ' "$log" | grep -v '^  from ' || echo "  (none)"
if grep -q 'LEAK AUDIT FAILED' "$log"; then
  echo "restart-e2e: FAILED: the run left resources on the engine." >&2
  exit 1
fi
exit "$status"
